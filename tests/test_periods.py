"""Period arithmetic and the French working-day calendar (backoffice_lib.periods)."""

import datetime as dt

import pandas as pd
import pytest

from backoffice_lib import periods as P
from backoffice_lib.errors import ParameterError


@pytest.mark.parametrize(("period", "months", "expected"), [
    ("2026-01", -1, "2025-12"), ("2026-12", 1, "2027-01"), ("2026-03", -15, "2024-12"),
    ("2026-03", 0, "2026-03"),
])
def test_shift_period(period, months, expected):
    assert P.shift_period(period, months) == expected


def test_period_range_and_months_between():
    assert P.period_range("2025-11", "2026-02") == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert P.period_range("2026-02", "2026-01") == []
    assert P.months_between("2025-11", "2026-02") == 3
    assert P.months_between("2026-02", "2025-11") == -3


@pytest.mark.parametrize(("period", "start", "expected"), [
    ("2026-03", 1, "2026-01"), ("2026-03", 7, "2025-07"), ("2026-07", 7, "2026-07"),
    ("2026-12", 4, "2026-04"),
])
def test_fiscal_year_start_period(period, start, expected):
    assert P.fiscal_year_start_period(period, start) == expected


def test_ytd_and_r12_ranges():
    assert P.ytd_range("2026-03") == ["2026-01", "2026-02", "2026-03"]
    assert P.ytd_range("2025-08", fiscal_year_start=7) == ["2025-07", "2025-08"]
    r12 = P.r12_range("2026-03")
    assert (len(r12), r12[0], r12[-1]) == (12, "2025-04", "2026-03")
    assert P.same_period_last_year("2026-03") == "2025-03"


def test_period_days():
    assert P.period_start("2024-02") == dt.date(2024, 2, 1)
    assert P.period_end("2024-02") == dt.date(2024, 2, 29)   # leap year
    assert P.period_end("2025-02") == dt.date(2025, 2, 28)
    assert [P.calendar_days(p) for p in ("2026-01", "2026-04", "2100-02")] == [31, 30, 28]


def test_period_of_and_periods_of():
    assert P.period_of(dt.date(2026, 10, 31)) == "2026-10"
    dates = pd.Series(pd.to_datetime(["2026-01-31", None]), dtype="datetime64[us]")
    result = P.periods_of(dates)
    assert result.iloc[0] == "2026-01" and pd.isna(result.iloc[1])


@pytest.mark.parametrize("bad", ["2026-13", "2026-1", "26-01", "2026/01", None, 202601])
def test_invalid_period_is_a_parameter_error(bad):
    with pytest.raises(ParameterError, match="AAAA-MM"):
        P.shift_period(bad, 1)


def test_invalid_fiscal_year_start():
    with pytest.raises(ParameterError, match="13"):
        P.ytd_range("2026-03", fiscal_year_start=13)


@pytest.mark.parametrize(("year", "expected"), [
    (2024, dt.date(2024, 3, 31)), (2025, dt.date(2025, 4, 20)), (2026, dt.date(2026, 4, 5)),
    (2038, dt.date(2038, 4, 25)),
])
def test_easter_sunday(year, expected):
    assert P.easter_sunday(year) == expected


def test_french_holidays_2026():
    days = P.french_holidays(2026)
    assert len(days) == 11
    # Easter 5 April: Monday 6 April, Ascension 14 May (+39), Whit Monday 25 May (+50)
    assert {dt.date(2026, 4, 6), dt.date(2026, 5, 14), dt.date(2026, 5, 25)} <= days
    assert {dt.date(2026, 7, 14), dt.date(2026, 11, 11), dt.date(2026, 12, 25)} <= days
    alsace = P.french_holidays(2026, alsace_moselle=True)
    assert alsace - days == {dt.date(2026, 4, 3), dt.date(2026, 12, 26)}


def test_working_days():
    # May 2026 has 21 weekdays minus 1, 8, 14 and 25 May → 17 working days
    days = P.working_days(dt.date(2026, 5, 1), dt.date(2026, 5, 31))
    assert len(days) == 17 and days[0] == dt.date(2026, 5, 4)
    assert not P.is_working_day(dt.date(2026, 5, 9))   # Saturday
    assert not P.is_working_day(dt.date(2026, 6, 1), extra_holidays=[dt.date(2026, 6, 1)])


@pytest.mark.parametrize(("period", "n", "expected"), [
    ("2026-04", 5, dt.date(2026, 5, 11)),  # 1 May (Fri) and 8 May (Fri) are holidays
    ("2026-10", 5, dt.date(2026, 11, 6)),  # 1 Nov is a Sunday
    ("2026-12", 1, dt.date(2027, 1, 4)),   # 1 Jan 2027 (Fri) holiday, then the weekend
    ("2026-04", 1, dt.date(2026, 5, 4)),
])
def test_close_date(period, n, expected):
    assert P.close_date(period, close_working_day=n) == expected


def test_close_date_with_company_day_off():
    assert P.close_date("2026-10", 5, extra_holidays=[dt.date(2026, 11, 2)]) == dt.date(2026, 11, 9)


def test_invalid_working_day_rank():
    with pytest.raises(ParameterError):
        P.nth_working_day("2026-05", 0)


def test_periods_of_matches_strftime_across_years():
    dates = pd.Series(pd.date_range("2024-12-30", "2026-01-02", freq="D"), dtype="datetime64[us]")
    dates.iloc[3] = pd.NaT
    result = P.periods_of(dates)
    expected = dates.dt.strftime("%Y-%m").astype("str")
    pd.testing.assert_series_equal(result, expected)
