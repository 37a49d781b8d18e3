# The conformance harness is a pytest plugin; registering it here makes plain `pytest` at the repository root
# test the implementation chosen with --impl (or SPEC_IMPL), the reference `impl/` by default.
pytest_plugins = ["spec.harness.plugin"]
