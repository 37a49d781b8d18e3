"""``python -m spec bench``: the performance benchmark of issue 9 (a benchmark that prints figures, never a test).

Parts (``--only`` chooses some, comma-separated; all four by default):

- ``suite``: the scorecard on the reference, sequential (-n 0) and with -n 2, on the ci profile: wall and CPU time,
  how evenly the workers were loaded, the speed-up;
- ``slowest``: the ten slowest properties of the sequential run, with their times and example counts;
- ``operations``: the reference's softmax loss, affine layer, kNN distances and Adam step at the issue's sizes
  against straightforward loop versions (spec/bench/operations.py);
- ``growth``: a few files of properties under the ci profile (100 examples) and the thorough one (2000).

All four take about five minutes on an idle 2-core machine (the sequential scorecard alone about two);
``--only operations`` a few seconds.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time

PARTS = ("suite", "slowest", "operations", "growth")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--only", default=",".join(PARTS),
                        help=f"comma-separated parts to run, of {', '.join(PARTS)} (default: all)")
    parser.add_argument("-n", "--workers", default="2",
                        help="xdist workers of the parallel scorecard, compared with -n 0 (default: 2)")
    parser.add_argument("--profile", default="ci", help="hypothesis profile of the scorecard runs (default: ci)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="run each scorecard this many times, alternating -n 0 and -n 2, and report the spread "
                        "(default: 1)")
    parser.add_argument("--op-repeat", type=int, default=3,
                        help="operations: the best of this many runs of each (default: 3)")
    parser.add_argument("--threads", type=int, default=1,
                        help="operations: BLAS threads, set with threadpoolctl (default: 1, as in every worker)")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="operations: multiply every size by this, e.g. 0.1 for a quick look (default: 1)")
    parser.add_argument("--growth-profiles", default="ci,thorough",
                        help="growth: the profiles to compare (default: ci,thorough)")
    parser.add_argument("--growth-paths", nargs="+", default=None,
                        help="growth: files or chapters to run (default: a few quick files)")
    parser.add_argument("pytest_args", nargs=argparse.REMAINDER,
                        help="after --: pytest arguments for the suite runs, e.g. a chapter to narrow them to")


def _header(out) -> None:
    import hypothesis
    import numpy
    import scipy
    import xdist

    out(f"python {platform.python_version()}, numpy {numpy.__version__}, scipy {scipy.__version__}, hypothesis "
        f"{hypothesis.__version__}, pytest-xdist {xdist.__version__}; {os.cpu_count()} cores, load average "
        f"{os.getloadavg()[0]:.1f} (other processes slow the wall times down; the CPU times much less)")
    if os.environ.get("PYTHONDONTWRITEBYTECODE") or sys.flags.dont_write_bytecode:
        out("PYTHONDONTWRITEBYTECODE is set: every process compiles the spec's modules anew (about 1 s of CPU more "
            "per process than with __pycache__)")
    try:
        from threadpoolctl import threadpool_info

        libs = ", ".join(f"{i['internal_api']} {i.get('version') or ''}".strip() for i in threadpool_info())
        out(f"BLAS: {libs or 'none loaded yet'}; capped with threadpoolctl: 1 thread in every scorecard process "
            "(spec/harness/settings.py), --threads in the operations")
    except ImportError:
        out("BLAS: threadpoolctl is not installed, thread counts are the libraries' defaults")


def _spread(values) -> str:
    if len(values) < 2:
        return f"{values[0]:.1f} s"
    return f"median {statistics.median(values):.1f} s, min {min(values):.1f}, max {max(values):.1f} ({len(values)} runs)"


def run(args, out=print) -> int:
    from spec.bench import suite

    parts = [p.strip() for p in args.only.split(",") if p.strip()]
    unknown = [p for p in parts if p not in PARTS]
    if unknown:
        out(f"unknown part {', '.join(unknown)}: choose from {', '.join(PARTS)}")
        return 2
    pytest_args = args.pytest_args[1:] if args.pytest_args[:1] == ["--"] else args.pytest_args
    started = time.perf_counter()
    _header(out)
    status = 0

    sequential: list = []
    if "suite" in parts or "slowest" in parts:
        out("")
        out(f"== Scorecard on the reference, profile {args.profile}"
            + (f", narrowed to {' '.join(pytest_args)}" if pytest_args else "") + " ==")
        parallel = []
        for _ in range(max(1, args.repeat)):
            sequential.append(suite.run_scorecard("0", args.profile, extra=pytest_args, label="-n 0"))
            out(suite.describe(sequential[-1]))
            if "suite" in parts:
                parallel.append(suite.run_scorecard(args.workers, args.profile, extra=pytest_args,
                                                    label=f"-n {args.workers}"))
                out(suite.describe(parallel[-1]))
        if any(r.returncode for r in sequential + parallel):
            status = 1
            out((sequential + parallel)[-1].output[-3000:])
        if parallel:
            out(f"-n 0: {_spread([r.wall for r in sequential])}; -n {args.workers}: "
                f"{_spread([r.wall for r in parallel])}")
            best_seq = min(sequential, key=lambda r: r.wall)
            best_par = min(parallel, key=lambda r: r.wall)
            suite.compare_workers([best_seq, best_par], out=out)
    if "slowest" in parts and sequential:
        run0 = min(sequential, key=lambda r: r.wall)
        out("")
        out("== The ten slowest properties (the sequential run; examples: the test cases hypothesis ran) ==")
        for line in suite.slowest(run0):
            out(line)
        over = [r["id"] for r in run0.records if run0.cpu_times.get(r["id"], r["duration"]) > 5.0]
        out(f"properties above 5 s of CPU time (issue 9's target: none): {len(over)}"
            + (": " + ", ".join(over) if over else ""))
        if run0.cpu_times:
            out(f"all properties: {sum(run0.cpu_times.values()):.1f} s of CPU time; start-up and collection: "
                f"{run0.cpu - sum(run0.cpu_times.values()):.1f} s")
    if "operations" in parts:
        from spec.bench import operations

        out("")
        out("== Reference operations against straightforward alternatives ==")
        operations.run(threads=args.threads, repeat=args.op_repeat, scale=args.scale, out=out)
    if "growth" in parts:
        out("")
        out("== Suite time against the example count ==")
        runs = suite.growth(tuple(args.growth_paths or suite.GROWTH_PATHS),
                            tuple(p.strip() for p in args.growth_profiles.split(",")), out=out)
        status = status or int(any(r.returncode for r in runs))
    out("")
    out(f"benchmark done in {time.perf_counter() - started:.0f} s; load average now {os.getloadavg()[0]:.1f}")
    return status


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m spec bench", description=__doc__.splitlines()[0])
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
