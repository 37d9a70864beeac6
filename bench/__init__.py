"""Herald's benchmark suite: `python3 dev.py bench` (see BENCHMARKS.md)."""
