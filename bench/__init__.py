"""Benchmarks: `make bench-…` targets; each prints JSON and a table."""
