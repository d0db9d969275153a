"""Shared section helpers: results computed once per report's inputs object."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from backoffice_lib.analyses.sections import last_months, once


@dataclass(frozen=True, eq=False)
class _Inputs:
    period: str


def test_once_computes_a_figure_once_per_inputs_and_key():
    calls = []

    def compute():
        calls.append(1)
        return pd.DataFrame({"x": [1, 2]})

    d, other = _Inputs("2026-10"), _Inputs("2026-10")
    first = once(d, ("figure", 12), compute)
    again = once(d, ("figure", 12), compute)
    assert len(calls) == 1
    pd.testing.assert_frame_equal(first, again)
    once(d, ("figure", 6), compute)
    once(other, ("figure", 12), compute)
    assert len(calls) == 3


def test_once_hands_out_copies_of_frames():
    d = _Inputs("2026-10")
    first = once(d, "figure", lambda: pd.DataFrame({"x": [1, 2]}))
    first["x"] = 0
    first["y"] = 1
    assert once(d, "figure", lambda: None)["x"].tolist() == [1, 2]
    assert list(once(d, "figure", lambda: None).columns) == ["x"]


def test_last_months_ends_with_the_period():
    assert last_months("2026-02", 3) == ["2025-12", "2026-01", "2026-02"]
