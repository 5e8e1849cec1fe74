"""Benchmarks behind `make bench`. Each module `bench/<name>.py` has `main(argv) -> int`."""
