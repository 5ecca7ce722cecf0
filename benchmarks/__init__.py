"""Benchmarks (``make bench``): ratios against reference tools run in the same process."""
