"""``python -m spec.bench``: the same as ``python -m spec bench`` (spec/bench/cli.py)."""

import sys

from spec.bench.cli import main

sys.exit(main())
