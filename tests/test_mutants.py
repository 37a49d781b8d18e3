"""The spec discriminates: every mutant of the catalogue is killed by each property declared to kill it, and every
property kills at least one mutant. (``python -m spec mutants`` prints the same as a score per concept.)"""

import pytest

from spec import contract, mutation
from spec.harness import settings
from spec.property import Mutant, alternatives, catalogue, info_of, uses

PROPERTIES, MUTANTS = catalogue()
PAIRS = [(m, test) for m in MUTANTS for test in m.kills]


@pytest.fixture(scope="module")
def reference():
    return mutation.reference()


@pytest.mark.parametrize("mutant, prop", PAIRS, ids=[f"{m.id}-by-{t.__name__}" for m, t in PAIRS])
def test_mutant_is_killed(reference, mutant, prop):
    outcome = mutation.run(prop, mutant, reference)
    assert outcome.killed, f"{prop.__name__} passes on mutant {mutant.id} ({mutant.description})"


def test_every_property_kills_a_mutant():
    assert mutation.unkilling_properties() == []


def test_the_catalogue_covers_every_concept():
    concepts = {info_of(p).concept for p in PROPERTIES}
    assert concepts == {m.concept for m in MUTANTS}


@pytest.mark.parametrize("prop", PROPERTIES, ids=[p.__name__ for p in PROPERTIES])
def test_the_runner_does_not_kill_the_reference_itself(reference, prop):
    # A meta-test of the runner: with the reference's own function as the "mutant", every property passes. The
    # properties themselves run on the reference in spec/ with their full settings; here a few examples show that
    # the runner binds the functions as the harness does.
    name = uses(prop)[0]
    honest = Mutant(name, reference.lookup(contract.get(name))[0], kills=(prop,))
    outcome = mutation.run(prop, honest, reference, max_examples=5)
    assert not outcome.killed, f"{prop.__name__} fails on the reference: {outcome.message}"


# Mutation runs are derandomized: every run of an alternative sees the same examples, so here they are a regression
# check, not a search. 10 generated examples (plus every explicit @example) keep that check and the suite fast: the
# ~900 pairs of an alternative and a property of its function made this the suite's slowest part by far (20 examples
# cost 88 s of CPU, 10 cost 59 s, with the optimization chapters). The search
# for false failures is `python -m spec mutants` (the properties' own settings) and this file under the thorough
# profile (2000 examples), which every new chapter runs once.
ALTERNATIVE_EXAMPLES = None if settings.current_profile() == "thorough" else 10

ALTERNATIVE_PAIRS = [(a, t) for a in alternatives() for t in PROPERTIES if set(a.replaces) & set(uses(t))]


@pytest.mark.parametrize("alt, prop", ALTERNATIVE_PAIRS, ids=[f"{a.id}-on-{t.__name__}" for a, t in ALTERNATIVE_PAIRS])
def test_correct_alternative_passes(reference, alt, prop):
    outcome = mutation.run(prop, alt, reference, max_examples=ALTERNATIVE_EXAMPLES)
    assert not outcome.killed, f"{prop.__name__} fails correct code ({alt.id}: {alt.description}): {outcome.message}"


def test_every_function_with_properties_has_a_correct_alternative():
    tested = {name for t in PROPERTIES for name in uses(t)}
    assert tested <= {name for a in alternatives() for name in a.replaces}


def test_a_forward_and_its_backward_are_replaced_together(reference):
    # A correct ReLU that caches a dict holding the mask x > 0 instead of x: its forward with the reference's
    # backward fails (the reference backward reads the cache as x), so the pair must run together.
    import numpy as np

    from spec.layers.test_relu import test_relu_backward_matches_finite_differences as prop
    from spec.property import Alternative

    def masked_forward(x):
        return np.maximum(x, 0.0), {"mask": x > 0}

    def masked_backward(dout, cache):
        return np.where(cache["mask"], dout, 0.0)

    paired = Alternative("relu_forward", masked_forward, also=(("relu_backward", masked_backward),))
    assert paired.replaces == {"relu_forward": masked_forward, "relu_backward": masked_backward}
    assert not mutation.run(prop, paired, reference, max_examples=5).killed
    alone = Alternative("relu_forward", masked_forward)
    assert mutation.run(prop, alone, reference, max_examples=5).killed
