"""Benchmarks: scripts that build their own data and print `BENCH <name> <value> <unit>` lines."""
