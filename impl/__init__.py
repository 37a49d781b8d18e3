"""Reference implementation of the course's concepts, in NumPy.

One module per contract module (see spec/contract/): the docstrings there state shapes and return values; the
code here is the vectorized, numerically stable version that the conformance suite holds every implementation to.
"""
