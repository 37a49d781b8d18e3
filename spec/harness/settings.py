"""Hypothesis profiles and per-process limits.

Profiles (choose with ``pytest --hypothesis-profile NAME``; ``python -m spec check --profile NAME``):

- ``dev``: the local default, fast and randomized: 50 examples a property, failures remembered in .hypothesis/;
  no reproduction blob (the plugin's reproduce snippet replaces it).
- ``ci``: hypothesis loads its own ``ci`` profile when a CI variable is set (derandomized, no deadline, no database,
  reproduction blobs printed); this extends it with the suite's example count. Every run sees the same inputs.
- ``thorough``: bug hunting: 2000 randomized examples a property (``--hypothesis-seed`` works here, as
  ``derandomize`` would override it).
- ``grading``: deterministic like ``ci`` (every submission sees the same inputs), no database, no reproduction
  blobs; the failures of properties marked hidden show only their statement (spec/harness/plugin.py).

No profile runs hypothesis's explain phase, and none has a deadline: a slow but correct implementation is not wrong. Hangs are caught by the per-call
watchdog and the per-test timeout instead.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, Phase, settings

try:  # the same test hypothesis uses to load its own "ci" profile
    from hypothesis._settings import is_in_ci
except ImportError:  # a private helper: fall back to the common variables

    def is_in_ci() -> bool:
        return any(os.environ.get(v) for v in ("CI", "GITHUB_ACTIONS", "GITLAB_CI", "TF_BUILD"))

EXAMPLES = 100

# No "explain" phase: its report lists lines of the spec's own code that only failing examples ran, which tells a
# student nothing about their implementation.
_common = dict(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    phases=[p for p in Phase if p is not Phase.explain],
)

# The plugin's reproduction snippet serves students better than hypothesis's @reproduce_failure blob.
settings.register_profile("dev", max_examples=50, print_blob=False, **_common)
settings.register_profile("ci", settings.get_profile("ci"), max_examples=EXAMPLES, **_common)
settings.register_profile("thorough", max_examples=2000, derandomize=False, print_blob=True, **_common)
settings.register_profile(
    "grading", max_examples=EXAMPLES, derandomize=True, database=None, print_blob=False, **_common
)
settings.load_profile("ci" if is_in_ci() else "dev")

PROFILES = ("dev", "ci", "thorough", "grading")


def current_profile() -> str:
    return settings.get_current_profile_name()


def cap_blas_threads() -> None:
    """One BLAS thread per process: N xdist workers each starting a thread per core would oversubscribe the CPU,
    and the suite's arrays are far too small to gain from threads."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # an optional speed-up, not a requirement
        return
    # threadpoolctl caps the libraries loaded so far: scipy's wheels bring a BLAS of their own, which scipy.linalg
    # loads (L-BFGS-B ran 20x slower with two threads on two cores), so load it first.
    import scipy.linalg  # noqa: F401

    threadpool_limits(1)
