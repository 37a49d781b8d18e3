"""The property catalogue (docs/PROPERTIES.md) is current, and its generator says what the spec declares."""

from __future__ import annotations

import difflib
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

from spec import catalogue
from spec.markdown import slug
from spec.property import Alternative, Mutant, catalogue as registry, prop

ROOT = Path(__file__).resolve().parents[1]


def test_the_checked_in_catalogue_is_up_to_date():
    expected = catalogue.markdown()
    path = catalogue.CATALOGUE_MD
    assert path.exists(), f"{path.relative_to(ROOT)} is missing: run `{catalogue.COMMAND}`"
    actual = path.read_text()
    if actual != expected:
        diff = "\n".join(list(difflib.unified_diff(actual.splitlines(), expected.splitlines(), "checked in",
                                                   "generated", n=0, lineterm=""))[:30])
        raise AssertionError(f"{path.relative_to(ROOT)} is out of date with spec/: run `{catalogue.COMMAND}` and "
                             f"check the file in. The first differences:\n{diff}")


def test_the_catalogue_stays_small_enough_for_github_to_render():
    size = len(catalogue.markdown().encode())
    # GitHub shows a Markdown file of more than about 512 kB as plain text.
    assert size < 480_000, (f"the catalogue has grown to {size // 1000} kB: GitHub stops rendering Markdown near "
                            "512 kB; split it by chapter in spec/catalogue.py")


def test_the_readme_links_the_catalogue():
    assert "docs/PROPERTIES.md" in (ROOT / "README.md").read_text()


def test_every_property_of_the_spec_is_listed_at_its_test_node():
    page = catalogue.markdown()
    properties, mutants = registry()
    for test in properties:
        node = catalogue.node_id(test)
        path, _, name = node.partition("::")
        assert (ROOT / path).is_file() and f"def {name}(" in (ROOT / path).read_text(), node
        assert f"- test: `{node}`" in page
    assert f"{len(properties)} properties, {len(mutants)} mutants" in page


def test_property_names_are_unique_across_chapters():
    # The scorecard's failure lines, Gradescope's test names, -k and the catalogue's anchors name a property by its
    # function name alone: two chapters with one name would read as one property.
    names = Counter(prop.__name__ for prop in registry()[0])
    assert [name for name, count in names.items() if count > 1] == []


def test_generating_the_catalogue_runs_no_property_and_loads_no_implementation():
    # In a fresh process: importing every chapter module only declares properties, mutants and alternatives.
    script = (
        "import sys\n"
        "from spec import catalogue\n"
        "from spec.harness import checked\n"
        "catalogue.markdown()\n"
        "loaded = sorted(m for m in sys.modules if m == 'impl' or m.startswith('impl.'))\n"
        "assert not loaded, f'generating the catalogue imported {loaded}'\n"
        "assert not checked.CALL_LOG.calls, 'generating the catalogue called a contract function'\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr


# A small registry of its own: two concepts in two fake chapters, mutants, alternatives, a hidden property and a
# property of versions. Built in a function, so that pytest does not collect its properties; they are never run:
# the generator only reads declarations.

def fake_page() -> str:
    def place(test, module):
        test.__module__ = module
        return test

    @prop("soft max", "Lecture 1, slide 2 (the *softmax*)", "Rows sum to 1: sum_j p[i, j] = 1.")
    def test_rows_sum_to_one(softmax):
        pass

    @prop("soft max", "Lecture 1, slide 3", "Stable for |x| <= 1000.", hidden=True)
    def test_stable(softmax):
        pass

    @prop("distances", "Lecture 2", "Distances are Euclidean.")
    def test_euclidean(compute_distances):
        pass

    @prop("distances", "Lecture 2", "A property without a mutant yet.")
    def test_lonely(compute_distances):
        pass

    def softmax_without_shift(x):
        """exp(x) without subtracting the row maximum: inf / inf = nan
        once a score passes 709.

        A second paragraph that the catalogue leaves out."""

    def softmax_of_ones(x):
        """Every probability 1 (``np.ones_like``)."""

    def softmax_by_log_sum_exp(x):
        """exp(x - logsumexp(x)), scipy's way."""

    def distances_two_loops(X_train, X):
        """Two loops, as CS231n's compute_distances_two_loops."""

    properties = [place(t, "spec.fake_chapter.test_fake") for t in (test_rows_sum_to_one, test_stable)]
    properties += [place(t, "spec.another_chapter.test_knn") for t in (test_euclidean, test_lonely)]
    mutants = [
        Mutant("softmax", softmax_of_ones, (), (test_rows_sum_to_one,)),
        Mutant("softmax", softmax_without_shift, (), (test_rows_sum_to_one, test_stable)),
    ]
    alternatives = [Alternative("softmax", softmax_by_log_sum_exp),
                    Alternative("compute_distances_two_loops", distances_two_loops)]
    return catalogue.markdown(properties, mutants, alternatives)


def section(page: str, heading: str) -> str:
    """The text under one heading, up to the next heading of any level."""
    start = page.index(heading + "\n")
    following = re.search(r"^#+ ", page[start + len(heading):], re.M)
    return page[start: start + len(heading) + (following.start() if following else len(page))]


def test_a_property_shows_its_statement_lecture_node_calls_and_the_mutants_it_kills():
    block = section(fake_page(), "#### `test_rows_sum_to_one`")
    assert "Rows sum to 1: sum\\_j p\\[i, j\\] = 1." in block  # escaped, so that Markdown shows it as written
    assert "- test: `spec/fake_chapter/test_fake.py::test_rows_sum_to_one`" in block
    assert "- lecture: Lecture 1, slide 2 (the \\*softmax\\*)" in block
    assert "- calls: `softmax`" in block
    assert "- kills 2 mutants:" in block
    assert "  - `softmax:softmax_of_ones`: Every probability 1 (`np.ones_like`)." in block
    # The first paragraph of a mutant's docstring, on one line: the whole of its first sentence.
    assert ("  - `softmax:softmax_without_shift`: exp(x) without subtracting the row maximum: inf / inf = nan once "
            "a score passes 709.\n") in block
    assert "second paragraph" not in block


def test_hidden_properties_versions_and_properties_without_mutants_say_so():
    page = fake_page()
    stable = section(page, "#### `test_stable`")
    assert "- hidden: under the grading profile" in stable and "- kills 1 mutant:" in stable
    euclidean = section(page, "#### `test_euclidean`")
    assert "- calls: `compute_distances` (runs once for each version: `compute_distances_two_loops`, " in euclidean
    assert "- kills no mutant yet" in section(page, "#### `test_lonely`")


def test_concepts_are_grouped_by_chapter_with_their_alternatives():
    page = fake_page()
    assert page.index("## `spec/another_chapter/`") < page.index("### distances") < page.index(
        "## `spec/fake_chapter/`") < page.index("### soft max")
    soft_max = page[page.index("### soft max"):]
    assert soft_max.startswith("### soft max\n\n2 properties, 2 mutants.")
    assert "- `softmax:softmax_by_log_sum_exp`: exp(x - logsumexp(x)), scipy's way." in soft_max
    distances = page[page.index("### distances"):page.index("## `spec/fake_chapter/`")]
    # An alternative of one version belongs to the concept whose properties take the versions' name.
    assert "compute_distances_two_loops:distances_two_loops" in distances and "softmax:" not in distances
    assert "2 chapters, 2 concepts, 4 properties, 2 mutants, 2 correct alternatives." in page
    assert "| [`spec/fake_chapter/`](#specfake_chapter) | [soft max](#soft-max) | 2 | 2 |" in page


def test_every_link_of_the_contents_points_at_a_heading():
    for page in (fake_page(), catalogue.markdown()):
        seen: dict[str, int] = {}
        anchors = {slug(h.replace("\\", ""), seen) for h in re.findall(r"^#+ (.+)$", page, re.M)}
        links = set(re.findall(r"\]\(#([^)]+)\)", page))
        assert links and links <= anchors, sorted(links - anchors)


def test_the_command_prints_and_writes_the_page(tmp_path, monkeypatch, capsys):
    from spec.__main__ import main

    assert main(["catalogue"]) == 0
    assert capsys.readouterr().out == catalogue.markdown()
    target = tmp_path / "docs" / "PROPERTIES.md"
    monkeypatch.setattr(catalogue, "CATALOGUE_MD", target)
    assert main(["catalogue", "--write"]) == 0
    assert target.read_text() == catalogue.markdown()
