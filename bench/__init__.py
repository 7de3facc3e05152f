"""Benchmarks of the embedded stack with fake vendors (``make bench``, ``make bench-smoke``).

See ``bench/README.md`` for what each suite measures, how, and which baselines it runs.
"""
