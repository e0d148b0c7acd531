"""Working-day calendars: the 2026 National Day holiday, its swapped workdays, fallbacks, files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from crmkb.errors import RecordErrors, UsageError
from crmkb.workdays import Calendar, calendar_for

D = dt.date.fromisoformat
pytestmark = pytest.mark.usefixtures("english")  # messages checked in English


def test_national_day_2026_is_seven_days_off(cn: Calendar) -> None:
    holiday = [D("2026-10-01") + dt.timedelta(days=n) for n in range(7)]
    assert [cn.is_workday(d) for d in holiday] == [False] * 7
    # Reported on the last day before the holiday: two working days later is 9 October.
    assert cn.add(D("2026-09-30"), 2) == D("2026-10-09")
    assert cn.add(D("2026-09-29"), 2) == D("2026-10-08")


def test_swapped_weekend_workdays_count(cn: Calendar) -> None:
    assert cn.is_workday(D("2026-09-20"))  # Sunday worked for National Day
    assert cn.is_workday(D("2026-10-10"))  # Saturday worked for National Day
    assert not cn.is_workday(D("2026-10-11"))
    assert cn.add(D("2026-09-18"), 1) == D("2026-09-20")
    assert cn.add(D("2026-10-09"), 1) == D("2026-10-10")
    assert cn.between(D("2026-10-09"), D("2026-10-12")) == 2  # Sat 10th and Mon 12th
    assert cn.uncovered == set()


def test_mid_autumn_2026(cn: Calendar) -> None:
    assert not cn.is_workday(D("2026-09-25"))  # a Friday
    assert cn.add(D("2026-09-24"), 1) == D("2026-09-28")


def test_years_no_source_knows_fall_back_to_weekends_and_are_remembered(cn: Calendar) -> None:
    # 2027 now comes from the holidays library (tests/workflow/test_calendar_2027.py); no
    # library knows 2031.
    assert cn.add(D("2030-12-30"), 3) == D("2031-01-02")  # 31 Dec, then Wed 1 Jan, Thu 2 Jan
    assert cn.uncovered == {2030, 2031}
    assert cn.uncovered_message(2031).startswith(
        "calendar 'cn' has no holiday data for 2031 (chinese-calendar "
    )


def test_weekends_calendar(tmp_path: Path) -> None:
    weekends = calendar_for("weekends", tmp_path)
    assert weekends.add(D("2026-09-30"), 2) == D("2026-10-02")
    assert not weekends.is_workday(D("2026-10-10"))


def test_other_countries_via_holidays(tmp_path: Path) -> None:
    hk = calendar_for("holidays:HK", tmp_path)
    assert not hk.is_workday(D("2026-10-01"))
    assert hk.is_workday(D("2026-10-05"))
    with pytest.raises(UsageError, match="no country 'XX'"):
        calendar_for("holidays:XX", tmp_path)


def test_company_calendar_file(tmp_path: Path) -> None:
    (tmp_path / "calendar.yml").write_text(
        "base: cn\nyears: [2027]\nholidays: [2027-01-01, 2027-02-08]\nworkdays: [2027-02-07]\n",
        encoding="utf-8",
    )
    company = calendar_for("calendar.yml", tmp_path)
    assert company.is_workday(D("2027-02-07"))  # a Sunday worked
    assert not company.is_workday(D("2027-02-08"))
    assert company.is_workday(D("2026-10-10"))  # cn still answers for 2026
    assert company.add(D("2026-12-31"), 1) == D("2027-01-04")
    assert company.uncovered == set()
    company.is_workday(D("2028-03-01"))
    assert company.uncovered == {2028}


def test_company_calendar_file_errors_are_located(tmp_path: Path) -> None:
    (tmp_path / "bad.yml").write_text(
        "base: moon\nholidays: [2027-01-01]\nworkdays: [2027-01-01, 2028-01-02]\nyears: [2027]\n",
        encoding="utf-8",
    )
    with pytest.raises(RecordErrors) as caught:
        calendar_for("bad.yml", tmp_path)
    assert str(caught.value).splitlines() == [
        "bad.yml:1:7: error: base must be cn or weekends (got 'moon')",
        "bad.yml:3:12: error: 2027-01-01 is listed both as a holiday (line 2) and as a working "
        "day; keep it in only one of the two lists",
        "bad.yml:3:24: error: 2028-01-02 is in 2028, a year not listed in `years`; add 2028 to it",
    ]


def test_a_missing_calendar_file(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="neither cn, weekends, holidays:XX"):
        calendar_for("nowhere.yml", tmp_path)
