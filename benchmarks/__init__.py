"""Benchmarks: `python -m benchmarks.ingest`, `python -m benchmarks.query`, `python -m benchmarks.scale` (each has --smoke)."""
