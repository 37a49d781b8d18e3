#!/usr/bin/env bash
# Gradescope runs this once, when it builds the autograder's image: install Python 3.11+ and this repository.
# The autograder zip holds the repository's files with setup.sh and run_autograder at its root; Gradescope unpacks
# it into /autograder/source. Choose an Ubuntu base image with Python 3.11 or newer (24.04 has 3.12); on an older
# one this installs python3.11 from the distribution, where it has one.
set -euo pipefail
apt-get update
apt-get install -y --no-install-recommends python3 python3-venv python3-pip
PY=python3
if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    apt-get install -y --no-install-recommends python3.11 python3.11-venv
    PY=python3.11
fi
"$PY" -m venv /autograder/venv
/autograder/venv/bin/python -m pip install --upgrade pip
/autograder/venv/bin/python -m pip install /autograder/source
