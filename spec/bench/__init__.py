"""Benchmarks (not tests): run as ``python -m spec.bench.<name>``; each prints a markdown table for the README."""
