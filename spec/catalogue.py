"""The property catalogue: one Markdown page of every concept, its properties and the mutants each kills.

``python -m spec catalogue --write`` regenerates ``docs/PROPERTIES.md`` from the spec itself (spec/property.py's
registry: the @prop properties of every chapter, the @mutant catalogue and the @alternative implementations);
tests/test_catalogue.py fails when the checked-in page is out of date. Generating it imports the chapter modules
and reads their declarations; it runs no property and no implementation.

The page is grouped by chapter (the folders of spec/, in alphabetical order), then by concept in the order of the
properties in their files. Each property shows its statement, the test node it lives in (what
``python -m spec check -- NODE`` runs), its lecture source, the contract functions it calls, and the mutants that
must fail it; each concept ends with the correct alternatives its properties must pass.
"""

from __future__ import annotations

import inspect
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from spec.markdown import code, escape, slug, table

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE_MD = ROOT / "docs" / "PROPERTIES.md"
COMMAND = "python -m spec catalogue --write"


@dataclass
class Concept:
    name: str
    chapter: str
    properties: list = field(default_factory=list)


def node_id(test) -> str:
    """The pytest node of a property, relative to the repository: spec/<chapter>/test_<x>.py::<name>."""
    return f"{test.__module__.replace('.', '/')}.py::{test.__name__}"


def chapter_of(test) -> str:
    """The chapter folder of a property: `loss_functions` for spec.loss_functions.test_softmax."""
    parts = test.__module__.split(".")
    return parts[1] if len(parts) > 2 else parts[0]


def first_paragraph(doc: str | None) -> str:
    """The first paragraph of a docstring, on one line."""
    return " ".join(inspect.cleandoc(doc or "").split("\n\n")[0].split())


def chapter_summary(chapter: str) -> str:
    """The first paragraph of the chapter package's docstring, without its "Chapter:" prefix ('' when none)."""
    text = first_paragraph(getattr(sys.modules.get(f"spec.{chapter}"), "__doc__", None))
    text = text.removeprefix("Chapter:").strip()
    return text[:1].upper() + text[1:]


def prose(text: str) -> str:
    """Docstring text as Markdown: ``literals`` become code, everything else is escaped."""
    parts = re.split(r"``(.+?)``", text)
    return "".join(code(p) if i % 2 else escape(p) for i, p in enumerate(parts))


def _calls(test) -> str:
    """The contract functions a property takes, a name of versions with its members."""
    from spec import contract
    from spec.property import parameters

    versions = contract.versions()
    parts = []
    for name in parameters(test):
        if name in versions:
            members = ", ".join(code(m) for m in versions[name])
            parts.append(f"{code(name)} (runs once for each version: {members})")
        else:
            parts.append(code(name))
    return ", ".join(parts)


def _replacement(r) -> str:
    """A mutant or an alternative: its id and the first paragraph of its docstring (what it gets wrong or right)."""
    return f"{code(r.id)}: {prose(first_paragraph(inspect.getdoc(r.func)) or r.func.__name__)}"


def markdown(properties: Iterable | None = None, mutants: Iterable | None = None,
             alternatives: Iterable | None = None) -> str:
    """The catalogue page. Without arguments, of the whole spec; tests pass a small registry of their own."""
    from spec.property import catalogue, info_of, uses
    from spec.property import alternatives as all_alternatives

    if properties is None or mutants is None:
        found_properties, found_mutants = catalogue()
        properties = found_properties if properties is None else properties
        mutants = found_mutants if mutants is None else mutants
    if alternatives is None:
        alternatives = all_alternatives()
    properties, mutants, alternatives = list(properties), list(mutants), list(alternatives)

    kills: dict = {}  # property -> the mutants declared to fail it, in catalogue order
    for m in mutants:
        for test in m.kills:
            kills.setdefault(test, []).append(m)
    chapters: dict[str, dict[str, Concept]] = {}
    for test in properties:
        chapter = chapter_of(test)
        concept = info_of(test).concept
        chapters.setdefault(chapter, {}).setdefault(concept, Concept(concept, chapter)).properties.append(test)
    chapters = dict(sorted(chapters.items()))

    seen: dict[str, int] = {}
    anchors = {}  # (chapter, concept or None) -> anchor, in the order the headings appear
    body: list[str] = []
    for chapter, concepts in chapters.items():
        anchors[chapter, None] = slug(f"spec/{chapter}/", seen)
        body += [f"## {code(f'spec/{chapter}/')}", ""]
        summary = chapter_summary(chapter)
        if summary:
            body += [prose(summary), ""]
        for concept in concepts.values():
            anchors[chapter, concept.name] = slug(concept.name, seen)
            n_mutants = len({m.id for t in concept.properties for m in kills.get(t, ())})
            body += [f"### {escape(concept.name)}", "",
                     f"{len(concept.properties)} {_plural(len(concept.properties), 'property', 'properties')}, "
                     f"{n_mutants} {_plural(n_mutants, 'mutant')}.", ""]
            functions: set[str] = set()
            for test in concept.properties:
                info = info_of(test)
                functions.update(uses(test))
                slug(test.__name__, seen)  # the property's heading takes an anchor too
                body += [f"#### {code(test.__name__)}", "", escape(info.statement.strip()), ""]
                body.append(f"- test: {code(node_id(test))}")
                body.append(f"- lecture: {escape(info.lecture.strip())}")
                calls = _calls(test)
                if calls:
                    body.append(f"- calls: {calls}")
                if info.hidden:
                    body.append("- hidden: under the grading profile a failure shows only this statement, never "
                                "the input")
                killed = kills.get(test, [])
                if killed:
                    body.append(f"- kills {len(killed)} {_plural(len(killed), 'mutant')}:")
                    body += [f"  - {_replacement(m)}" for m in killed]
                else:
                    body.append("- kills no mutant yet (`python -m spec mutants` reports it)")
                body.append("")
            correct = [a for a in alternatives if set(a.replaces) & functions]
            if correct:
                body += ["Correct alternatives (each property above that calls their function must pass on "
                         "them):", ""]
                body += [f"- {_replacement(a)}" for a in correct]
                body.append("")

    n_concepts = sum(len(c) for c in chapters.values())
    rows = []
    for chapter, concepts in chapters.items():
        props = [t for c in concepts.values() for t in c.properties]
        links = ", ".join(f"[{escape(c)}](#{anchors[chapter, c]})" for c in concepts)
        n_mutants = len({m.id for t in props for m in kills.get(t, ())})
        rows.append([f"[{code(f'spec/{chapter}/')}](#{anchors[chapter, None]})", links, str(len(props)),
                     str(n_mutants)])
    head = [
        "# The property catalogue",
        "",
        f"Generated from `spec/` by `{COMMAND}`; do not edit by hand (`tests/test_catalogue.py` fails when this page "
        "is out of date).",
        "",
        "Every lecture concept of the suite, each of its properties in plain words, the lecture it comes from, the "
        "test that checks it and the *mutants* it must catch: realistic wrong implementations, each a bug students "
        "write. Run one property on your implementation with `python -m spec check --impl my_impl -- TEST` (TEST as "
        "listed, e.g. `spec/loss_functions/test_softmax.py::test_softmax_rows_are_probability_vectors`), and the "
        "whole mutant catalogue with `python -m spec mutants -v`. Correct *alternatives* are the opposite check: "
        "the same function written another way, on which every property must pass.",
        "",
        f"{len(chapters)} {_plural(len(chapters), 'chapter')}, {n_concepts} {_plural(n_concepts, 'concept')}, "
        f"{len(properties)} {_plural(len(properties), 'property', 'properties')}, {len(mutants)} "
        f"{_plural(len(mutants), 'mutant')}, {len(alternatives)} correct "
        f"{_plural(len(alternatives), 'alternative')}.",
        "",
        *table(["chapter", "concepts", "properties", "mutants"], rows, "llrr"),
        "",
    ]
    return "\n".join(head + body).rstrip("\n") + "\n"


def _plural(n: int, one: str, many: str | None = None) -> str:
    return one if n == 1 else (many or one + "s")
