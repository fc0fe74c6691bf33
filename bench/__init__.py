"""Benchmarks for issue 8: run with `python -m bench` (see README, Benchmarks)."""
