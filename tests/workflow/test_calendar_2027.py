"""The new year on mainland China's calendar: 2027 from holidays while chinese-calendar lags,
the company calendar file winning over both, the warning when no source knows a year.

chinese-calendar 1.11.0 ends in 2026 and holidays 0.109 has 2027's statutory holidays but not
the State Council's 2027 notice (no swapped weekend workdays). The facts asserted for 2027 hold
under any notice (元旦 and the Spring Festival's statutory days are off); what depends on the
libraries' releases (the source, whether it is partial) is asserted from what they report.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from crmkb.china_calendar import (
    china_years,
    chinese_calendar_source,
    has_notice,
    holidays_source,
    holidays_years,
)
from crmkb.errors import RecordErrors, UsageError
from crmkb.workdays import Calendar, SpecialDay, calendar_for, special_days

from .test_sla import backdate, issue, run

if TYPE_CHECKING:
    from conftest import Repo

D = dt.date.fromisoformat
pytestmark = pytest.mark.usefixtures("english")  # messages checked in English
CC = chinese_calendar_source().label  # chinese-calendar 1.11.0
HOLIDAYS = holidays_source(False).label  # holidays 0.109
CC_2027 = china_years()[1] >= 2027  # a chinese-calendar release with 2027
STOPGAP_2027 = not CC_2027 and not has_notice(2027)  # holidays' statutory days only


def test_chinese_calendar_answers_the_years_it_knows_across_new_year(cn: Calendar) -> None:
    # 元旦 2026: 1-3 January off, Sunday 4 January worked (调休), from chinese-calendar.
    assert cn.add(D("2025-12-31"), 1) == D("2026-01-04")
    assert cn.decide(D("2026-01-04"))[1].key == "chinese-calendar"  # type: ignore[union-attr]
    # Spring Festival 2026: Saturday 14 February worked, 15-23 off, Saturday 28 worked.
    assert cn.add(D("2026-02-13"), 1) == D("2026-02-14")
    assert cn.add(D("2026-02-14"), 1) == D("2026-02-24")
    assert cn.add(D("2026-02-27"), 1) == D("2026-02-28")
    assert cn.source_note() is None  # every day from the main source: nothing to note


def test_new_year_2027_is_not_a_working_day(cn: Calendar) -> None:
    assert not cn.is_workday(D("2027-01-01"))  # 元旦, a Friday
    assert cn.add(D("2026-12-30"), 2) == D("2027-01-04")
    assert cn.add(D("2026-12-31"), 2) == D("2027-01-05")
    assert cn.between(D("2026-12-30"), D("2027-01-04")) == 2
    assert cn.uncovered == set()
    working, source = cn.decide(D("2027-01-01"))
    assert (working, source is None) == (False, False)
    assert source is not None
    assert source.key == ("chinese-calendar" if CC_2027 else "holidays")
    assert source.partial is STOPGAP_2027


def test_spring_festival_2027_from_holidays(cn: Calendar) -> None:
    # New Year's Eve (Fri 5 Feb) and the festival's first day after the weekend (Mon 8 Feb)
    # are statutory days off whatever the notice adds around them.
    for day in ("2027-02-05", "2027-02-08"):
        assert not cn.is_workday(D(day))
    if STOPGAP_2027:
        # holidays makes up Sat 6 and Sun 7 on Tue 9 and Wed 10 (补休); no weekend is worked.
        assert [d.day for d in special_days(cn, D("2027-02-01"), D("2027-02-28"))] == [
            D("2027-02-05"),
            D("2027-02-08"),
            D("2027-02-09"),
            D("2027-02-10"),
        ]
        assert cn.add(D("2027-02-04"), 2) == D("2027-02-12")
        year = special_days(cn, D("2027-01-01"), D("2027-12-31"))
        assert [d for d in year if d.working] == []  # the 2027 调休 workdays are missing
        assert cn.source_note() == (
            f"calendar 'cn': 2027 from {HOLIDAYS} (public holidays only: it has no swapped "
            "weekend workdays (调休) for 2027; once the State Council publishes them, list "
            "them in a company calendar file, see the README)"
        )


# A company calendar file with a 2027 schedule. The dates are an example of the form the
# State Council's notice takes, not the notice itself (not published where we could read it).
COMPANY_2027 = """\
base: cn
years: [2027]
holidays:
  - 2027-01-01
  - 2027-02-05
  - 2027-02-08
  - 2027-02-09
  - 2027-02-10
  - 2027-02-11
  - 2027-02-12
workdays:
  - 2027-01-30  # a Saturday worked for the Spring Festival
  - 2027-02-20  # and another
"""


def test_the_company_file_supplies_2027s_swapped_workdays(tmp_path: Path) -> None:
    (tmp_path / "calendar.yml").write_text(COMPANY_2027, encoding="utf-8")
    company = calendar_for("calendar.yml", tmp_path)
    assert company.add(D("2026-12-31"), 1) == D("2027-01-04")
    assert company.add(D("2027-01-29"), 1) == D("2027-01-30")  # Saturday worked
    assert company.add(D("2027-02-04"), 1) == D("2027-02-15")  # 11 and 12 off: over holidays
    assert company.add(D("2027-02-19"), 1) == D("2027-02-20")
    # The file lists 2027 in full: a day holidays would give off is worked when it is unlisted.
    assert company.is_workday(D("2027-05-04"))
    assert company.is_workday(D("2026-10-10"))  # chinese-calendar still answers for 2026
    assert special_days(company, D("2027-01-25"), D("2027-02-21")) == [
        SpecialDay(D("2027-01-30"), True, "file"),
        *(SpecialDay(D(f"2027-02-{n:02d}"), False, "file") for n in (5, 8, 9, 10, 11, 12)),
        SpecialDay(D("2027-02-20"), True, "file"),
    ]
    assert company.uncovered == set()
    assert company.source_note() == (
        f"calendar 'calendar.yml': 2026 from {CC}; 2027 from calendar.yml"
    )


def test_a_file_without_years_adds_company_days_to_the_libraries(tmp_path: Path) -> None:
    (tmp_path / "calendar.yml").write_text("base: cn\nholidays: [2027-03-08]\n", encoding="utf-8")
    company = calendar_for("calendar.yml", tmp_path)
    assert not company.is_workday(D("2027-03-08"))  # the company's own day off
    assert not company.is_workday(D("2027-01-01"))  # 元旦 still off, from the libraries
    assert company.decide(D("2027-01-01"))[1] != company.decide(D("2027-03-08"))[1]


def test_the_file_is_read_again_when_it_changes(tmp_path: Path) -> None:
    path = tmp_path / "calendar.yml"
    path.write_text("base: cn\nyears: [2027]\nholidays: [2027-01-04]\n", encoding="utf-8")
    assert not calendar_for("calendar.yml", tmp_path).is_workday(D("2027-01-04"))
    path.write_text("base: cn\nyears: [2027]\nworkdays: [2027-01-02]\n", encoding="utf-8")
    again = calendar_for("calendar.yml", tmp_path)
    assert again.is_workday(D("2027-01-04"))
    assert again.is_workday(D("2027-01-02"))


def test_a_file_that_contradicts_itself_is_a_located_error(tmp_path: Path) -> None:
    (tmp_path / "calendar.yml").write_text(
        "base: cn\nyears: [2027]\nholidays:\n  - 2027-02-05\n  - 2027-02-06\n"
        "workdays:\n  - 2027-01-30\n  - 2027-02-06\n",
        encoding="utf-8",
    )
    with pytest.raises(RecordErrors) as caught:
        calendar_for("calendar.yml", tmp_path)
    assert str(caught.value) == (
        "calendar.yml:8:5: error: 2027-02-06 is listed both as a holiday (line 5) and as a "
        "working day; keep it in only one of the two lists"
    )


def test_no_source_knows_2031(cn: Calendar) -> None:
    assert cn.add(D("2031-01-03"), 1) == D("2031-01-06")  # Friday, then Monday
    assert cn.uncovered == {2031}
    message = cn.uncovered_message(2031)
    assert message.startswith(
        f"calendar 'cn' has no holiday data for 2031 ({CC} ends in {china_years()[1]}, "
        f"{HOLIDAYS} in {holidays_years()}); counting Monday-Friday as working days there. "
        "Once the State Council publishes 2031's schedule, upgrade both (.venv/bin/pip install -U "
        "chinese-calendar holidays) or enter it in a company calendar file: calendar.yml "
        "with `base: cn`, `years: [2031]`"
    )


def test_a_file_names_itself_in_the_warning(tmp_path: Path) -> None:
    (tmp_path / "calendar.yml").write_text(COMPANY_2027, encoding="utf-8")
    company = calendar_for("calendar.yml", tmp_path)
    company.is_workday(D("2031-01-06"))
    assert company.uncovered == {2031}
    assert company.uncovered_message(2031).endswith(
        "or enter it in calendar.yml: add 2031 to `years:`, the notice's days off to "
        "`holidays:` and its weekend days worked to `workdays:`"
    )


def reported_at_new_year(repo: Repo) -> None:
    backdate(repo)
    repo.write("records/issues/ISS-0105.md", issue(105, "2026-12-30"))
    repo.write("records/issues/ISS-0106.md", issue(106, "2026-12-31"))


def test_kb_sla_and_check_across_new_year(repo: Repo) -> None:
    reported_at_new_year(repo)
    result = run(repo, "2027-01-04", "sla")
    assert result.stdout.splitlines()[1:6] == [
        "Overdue: 0",
        "Due today: 1",
        "  ISS-0105  medium    reported       project     due today"
        "    due 2027-01-04  测试问题 105",
        "On track: 1",
        "  ISS-0106  medium    reported       project     1 wd left"
        "    due 2027-01-05  测试问题 106",
    ]
    check = run(repo, "2027-01-04", "check")
    assert (check.exit_code, check.stdout) == (0, "")
    if STOPGAP_2027:
        assert check.stderr.splitlines()[1] == (
            f"说明：日历 'cn'：2026 年取自 {CC}；2027 年取自 {HOLIDAYS}（只有法定节假日：没有 "
            "2027 年的调休上班日；国务院公布后请写入公司日历文件，见 README）"
        )
        assert result.stderr == check.stderr.splitlines()[1] + "\n"
        english = run(repo, "2027-01-04", "--lang", "en", "check", "--format", "json")
        assert json.loads(english.stdout)["notes"] == [
            f"calendar 'cn': 2026 from {CC}; 2027 from {HOLIDAYS} (public holidays only: it has "
            "no swapped weekend workdays (调休) for 2027; once the State Council publishes "
            "them, list them in a company calendar file, see the README)"
        ]


def test_the_company_file_wins_in_kb_sla(repo: Repo) -> None:
    reported_at_new_year(repo)
    repo.write("records/issues/ISS-0107.md", issue(107, "2027-02-04"))
    repo.write("calendar.yml", COMPANY_2027)
    repo.replace("crmkb.yml", "calendar: cn", "calendar: calendar.yml")
    payload = json.loads(run(repo, "2027-02-04", "sla", "--format", "json").stdout)
    due = {row["id"]: row["due"] for key in ("overdue", "on_track") for row in payload[key]}
    assert due == {"ISS-0105": "2027-01-04", "ISS-0106": "2027-01-05", "ISS-0107": "2027-02-16"}
    assert payload["notes"] == [f"日历 'calendar.yml'：2026 年取自 {CC}；2027 年取自 calendar.yml"]


def test_kb_check_locates_a_contradiction_in_the_calendar_file(repo: Repo) -> None:
    repo.write("calendar.yml", COMPANY_2027 + "  - 2027-02-09\n")
    repo.replace("crmkb.yml", "calendar: cn", "calendar: calendar.yml")
    result = run(repo, "2026-11-23", "check")
    assert (result.exit_code, result.stdout) == (
        1,
        "calendar.yml:14:5: error: 2027-02-09 既列为放假日（第 7 行）又列为上班日；"
        "请只保留在其中一个列表里\n",
    )


def test_kb_check_warns_when_no_source_knows_the_year(repo: Repo) -> None:
    backdate(repo)
    repo.write("records/issues/ISS-0105.md", issue(105, "2031-01-03"))
    result = run(repo, "2031-01-08", "check")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == (
        f"crmkb.yml:2:11: warning: 日历 'cn' 没有 2031 年的假日数据（chinese-calendar "
        f"{CC.rpartition(' ')[2]} 只到 {china_years()[1]} 年，holidays "
        f"{HOLIDAYS.rpartition(' ')[2]} 只到 {holidays_years()} 年）；该年按周一至周五计算工作日。"
        "国务院公布 2031 年放假安排后，请升级这两个库（.venv/bin/pip install -U chinese-calendar "
        "holidays），或写入公司日历文件：calendar.yml 中写 `base: cn`、`years: [2031]`，通知里的"
        "放假日期列在 `holidays:` 下，调休上班的周末列在 `workdays:` 下，并在 crmkb.yml 中设 "
        "`calendar: calendar.yml`"
    )


def test_wrong_entries_are_located_and_a_file_outside_the_repository_refused(
    tmp_path: Path,
) -> None:
    (tmp_path / "calendar.yml").write_text(
        "base: cn\nyears: [2027]\nholidays: [2027-01-01, '2027-02-05']\nworkdays: [2028-01-29]\n",
        encoding="utf-8",
    )
    with pytest.raises(RecordErrors) as caught:
        calendar_for("calendar.yml", tmp_path)
    assert str(caught.value).splitlines() == [
        "calendar.yml:3:24: error: '2027-02-05' under holidays is not a date; write it like "
        "2027-01-01",
        "calendar.yml:4:12: error: 2028-01-29 is in 2028, a year not listed in `years`; add "
        "2028 to it",
    ]
    outside = tmp_path / "elsewhere.yml"
    outside.write_text("base: cn\n", encoding="utf-8")
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "calendar.yml").symlink_to(outside)
    for setting in ("calendar.yml", str(outside)):
        with pytest.raises(UsageError, match="is outside the repository"):
            calendar_for(setting, tmp_path / "repo")
