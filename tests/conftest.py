"""tests/ checks the harness itself against the reference; with a student's --impl only spec/ is meant to run."""

from spec.harness import plugin


def pytest_ignore_collect(collection_path, config):
    if not plugin.implementation().is_reference:
        return True
    return None
