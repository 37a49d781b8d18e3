"""Command line: ``python -m spec check | mutants | template | contract | catalogue | summary | bench | plot``."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

SPEC_DIR = Path(__file__).resolve().parent
CONTRACT_MD = SPEC_DIR / "CONTRACT.md"


def check_command(impl: str | None, json_file: str | None, workers: str | None, profile: str | None,
                  details: bool, extra: list[str]) -> list[str]:
    """The pytest command line behind the scorecard (kept separate so tests can read it)."""
    # A chapter or a file among the pytest arguments narrows the run to it (resolved here, against the caller's
    # directory, as --impl is); without one the whole spec runs.
    paths = [i for i, a in enumerate(extra) if not a.startswith("-") and Path(a.partition("::")[0]).exists()]
    extra = [str(Path(a.partition("::")[0]).resolve()) + a[len(a.partition("::")[0]):] if i in paths else a
             for i, a in enumerate(extra)]
    cmd = [sys.executable, "-m", "pytest", *([] if paths else [str(SPEC_DIR)]), "-p", "spec.harness.plugin", "-q",
           "--no-header", "-p", "no:cacheprovider", "-p", "no:benchmark", "--spec-progress",
           f"--tb={'short' if details else 'no'}",
           "-rfE" if details else "-rN"]
    if not details:  # the scorecard is a summary; --details (or plain pytest) shows warnings and tracebacks
        cmd.append("--disable-warnings")
    if impl:
        # A folder is resolved here, against the caller's working directory, not pytest's.
        cmd += ["--impl", str(Path(impl).resolve()) if Path(impl).exists() else impl]
    if json_file:
        cmd += ["--spec-json", str(Path(json_file).resolve())]
    if workers:
        cmd += ["-n", workers]
    if profile:
        cmd += ["--hypothesis-profile", profile]
    return cmd + extra


def _check(args) -> int:
    # SPEC_IMPL too is a path relative to where the student stands, not to the repository pytest runs in.
    impl = args.impl or os.environ.get("SPEC_IMPL")
    if (args.weights or args.per != "property") and not args.gradescope:
        print("--weights and --per shape the Gradescope results: add --gradescope results.json", file=sys.stderr)
        return 2
    profile = args.profile or ("grading" if args.gradescope else None)  # every submission sees the same inputs
    cmd = check_command(impl, args.json, args.workers, profile, args.details, args.pytest_args)
    if args.gradescope or args.time_limit:
        from spec import grading

        if args.gradescope:
            return grading.check(cmd, args.gradescope, weights_file=args.weights, per=args.per,
                                 time_limit=args.time_limit, json_file=args.json)
        outcome = grading.run_pytest(cmd, time_limit=args.time_limit)
        if outcome.timed_out:
            print(f"stopped: the run took longer than --time-limit {args.time_limit:g} s", file=sys.stderr)
            return 1
        return outcome.returncode
    return subprocess.call(cmd, cwd=SPEC_DIR.parent)


def _mutants(args) -> int:
    from spec import mutation

    grouped = mutation.scores()
    width = max(len(c) for c in grouped) + 2
    print(f"{'concept':<{width}}{'mutants':>8}{'killed':>8}{'score':>8}")
    total = killed_total = 0
    problems = []
    for concept, results in grouped.items():
        killed = 0
        for m, outcomes in results:
            is_killed = any(o.killed for o in outcomes)
            killed += is_killed
            for o in outcomes:
                if not o.killed:
                    problems.append(f"{m.id} survives {o.test.__name__}, which is declared to kill it")
            if args.verbose:
                by = next((o for o in outcomes if o.killed), None)
                print(f"  {'killed ' if is_killed else 'SURVIVED'} {m.id}: {m.description}")
                if by:
                    print(f"           by {by.test.__name__}: {by.message[:140]}")
        total += len(results)
        killed_total += killed
        print(f"{concept:<{width}}{len(results):>8}{killed:>8}{killed / len(results):>8.0%}")
    print(f"{'total':<{width}}{total:>8}{killed_total:>8}{killed_total / max(total, 1):>8.0%}")
    problems += [f"{p} kills no mutant of the catalogue" for p in mutation.unkilling_properties()]
    false = mutation.false_failures()
    problems += [f"{o.test.__name__} fails correct code {o.mutant.id}: {o.message[:120]}" for o in false]
    print(f"correct alternatives: {len(mutation.alternatives())}, every property passes on them"
          if not false else f"correct alternatives: {len(false)} false failures")
    for p in problems:
        print("problem:", p)
    return 0 if not problems and killed_total == total else 1


def _template(args) -> int:
    from spec.contract import render

    folder = Path(args.folder)
    written = render.write_template(folder)
    for path in written:
        print(f"wrote {path}")
    skipped = "" if written else " (every file already existed; nothing was overwritten)"
    print(f"Template in {folder}{skipped}. Fill in the functions, then run:\n"
          f"  python -m spec check --impl {folder}")
    return 0


def _contract(args) -> int:
    from spec.contract import render

    text = render.markdown()
    if args.write:
        CONTRACT_MD.write_text(text)
        print(f"wrote {CONTRACT_MD}")
        return 0
    sys.stdout.write(text)
    return 0


def _catalogue(args) -> int:
    from spec import catalogue

    text = catalogue.markdown()
    if args.write:
        catalogue.CATALOGUE_MD.parent.mkdir(parents=True, exist_ok=True)
        catalogue.CATALOGUE_MD.write_text(text)
        print(f"wrote {catalogue.CATALOGUE_MD}")
        return 0
    sys.stdout.write(text)
    return 0


def _plot(args) -> int:
    from spec import plot

    return plot.main(args.impl, args.out)


def _summary(args) -> int:
    from spec import summary

    text, ok = summary.from_file(Path(args.file))
    sys.stdout.write(text)
    return 0 if ok else 1


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m spec", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser("check", help="run the conformance suite and print the scorecard by lecture concept")
    check.add_argument("--impl", help="module name or folder of the implementation (default: $SPEC_IMPL or impl)")
    check.add_argument("--json", help="write one JSON record per property to this file")
    check.add_argument("-n", "--workers", help="pytest-xdist workers, e.g. 2 or auto")
    check.add_argument("--profile", help="hypothesis profile: dev, ci, thorough or grading")
    check.add_argument("--details", action="store_true", help="show each failure's full report, not one line")
    check.add_argument("--gradescope", metavar="FILE",
                       help="write Gradescope's results.json to FILE, whatever happens to the run (implies --profile "
                       "grading unless --profile is given)")
    check.add_argument("--weights", metavar="FILE",
                       help="points per concept for --gradescope: 'concept = points' lines, or a JSON object "
                       "(default: 1 point per property)")
    check.add_argument("--per", choices=("property", "concept"), default="property",
                       help="--gradescope: one Gradescope test per property (default) or per concept")
    check.add_argument("--time-limit", type=float, metavar="SECONDS",
                       help="stop the whole run after SECONDS (with --gradescope, unfinished properties fail)")
    check.add_argument("pytest_args", nargs=argparse.REMAINDER, help="after --: more pytest arguments")
    check.set_defaults(run=_check)

    mutants = sub.add_parser("mutants", help="run the mutant catalogue and print the mutation score per concept")
    mutants.add_argument("-v", "--verbose", action="store_true", help="list every mutant and what killed it")
    mutants.set_defaults(run=_mutants)

    template = sub.add_parser("template", help="write a student package of the whole contract, every body a stub")
    template.add_argument("folder")
    template.set_defaults(run=_template)

    contract_cmd = sub.add_parser("contract", help="print the contract as Markdown")
    contract_cmd.add_argument("--write", action="store_true", help=f"write it to {CONTRACT_MD.relative_to(SPEC_DIR.parent)}")
    contract_cmd.set_defaults(run=_contract)

    catalogue_cmd = sub.add_parser("catalogue", help="print the property catalogue (every concept, property and "
                                   "mutant) as Markdown")
    catalogue_cmd.add_argument("--write", action="store_true", help="write it to docs/PROPERTIES.md")
    catalogue_cmd.set_defaults(run=_catalogue)

    plot_cmd = sub.add_parser("plot", help="draw PNG figures of your update rules, second-order methods, overfitting "
                              "runs and learning-rate schedules next to the reference's (needs matplotlib)")
    plot_cmd.add_argument("--impl", help="module name or folder of the implementation (default: $SPEC_IMPL or impl)")
    plot_cmd.add_argument("--out", required=True, metavar="DIR", help="the folder to write the PNG files to")
    plot_cmd.set_defaults(run=_plot)

    summary_cmd = sub.add_parser("summary", help="turn the JSON of `check --json FILE` into a Markdown table by "
                                 "concept (for a CI job summary)")
    summary_cmd.add_argument("file", help="the JSON file written by `python -m spec check --json FILE`")
    summary_cmd.set_defaults(run=_summary)

    from spec.bench import cli as bench_cli

    bench = sub.add_parser("bench", help="time the scorecard (sequential and with workers), its slowest "
                           "properties and the reference's operations against loop versions")
    bench_cli.add_arguments(bench)
    bench.set_defaults(run=bench_cli.run)

    args = parser.parse_args(argv)
    if getattr(args, "pytest_args", None) and args.pytest_args[0] == "--":
        args.pytest_args = args.pytest_args[1:]
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
