"""The conformance suite: the course's concepts stated as executable properties.

- ``spec/contract/``: the interface an implementation must provide (names, shapes, return values).
- ``spec/<chapter>/test_<concept>.py``: the properties of one concept, next to the mutants they must catch.
- ``spec/harness/``: choosing and loading the implementation under test, calling it through the contract, the pytest
  plugin and the scorecard.
- ``python -m spec``: ``check`` (the scorecard), ``mutants``, ``template``, ``contract``,
  ``catalogue`` (docs/PROPERTIES.md), ``summary`` (a scorecard's JSON as Markdown, for CI).
"""
