"""Benchmarks: speed and memory of the package against the naive way, in the same run.

Each ``bench_*.py`` module defines ``main(args)`` that prints its own section;
``python -m benchmarks [name ...]`` runs all of them (or the named ones) in order.
Goals are printed beside the measured ratios; they never fail a test.
"""
