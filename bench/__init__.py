"""Benchmarks: quality against gold and peers, speed against raw spaCy and a bare framework."""
