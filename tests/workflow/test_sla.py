"""`kb sla` and the SLA warnings of `kb check`, on working days of the mainland-China calendar."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from click.testing import CliRunner, Result

from crmkb.cli import main

from .conftest import Kb

if TYPE_CHECKING:
    from conftest import Repo


def issue(number: int, reported: str, severity: str = "medium", **dates: str) -> str:
    """An issue record in the minimal repository, its status the last dated step."""
    status = list(dates)[-1] if dates else "reported"
    lines = [
        "---",
        f"id: ISS-{number:04d}",
        f"title: 测试问题 {number}",
        "reporter: P002",
        f"reported: {reported}",
        "module: receivable",
        f"severity: {severity}",
        f"status: {status}",
    ]
    if "escalated" in dates:
        lines.append("handled_by: consultant")
    if dates:
        lines.append("dates:")
        lines += [f"  {step}: {day}" for step, day in dates.items()]
    return "\n".join([*lines, "---", "", "## 现象", ""]) + "\n"


def run(repo: Repo, today: str, *args: str) -> Result:
    env = {"CRMKB_TODAY": today, "CRMKB_ROOT": str(repo.root)}
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


CONFIG = """\
language: zh
calendar: cn
sla:
  internal_days: 2
  consultant_days: 3
  severity:
    critical: {internal_days: 1, consultant_days: 2}
"""


def backdate(repo: Repo) -> None:
    """Move the minimal repository's own records before the dates these tests use as today."""
    for old, new in (("2026-10-09", "2026-09-09"), ("2026-10-12", "2026-09-11")):
        text = repo.read("records/issues/ISS-0001.md").replace(old, new)
        repo.write("records/issues/ISS-0001.md", text)
    repo.replace("records/solutions/SOL-0001.md", "2026-10-12", "2026-09-11")
    repo.replace("records/feedback/FB-0001.md", "2026-10-10", "2026-09-10")


def national_day(repo: Repo) -> None:
    backdate(repo)
    repo.write("crmkb.yml", CONFIG)
    repo.write("records/issues/ISS-0101.md", issue(101, "2026-09-30", investigating="2026-09-30"))
    repo.write("records/issues/ISS-0102.md", issue(102, "2026-09-30", "critical"))
    repo.write(
        "records/issues/ISS-0103.md",
        issue(103, "2026-09-28", investigating="2026-09-28", escalated="2026-09-30"),
    )
    repo.write(
        "records/issues/ISS-0104.md",
        issue(104, "2026-09-29", investigating="2026-09-29", verifying="2026-09-30"),
    )


def test_due_today_across_the_national_day_holiday(repo: Repo) -> None:
    national_day(repo)
    result = run(repo, "2026-10-09", "sla")
    assert result.exit_code == 0, result.output
    assert result.output == (
        "SLA on 2026-10-09\n"
        "Overdue: 1\n"
        "  ISS-0102  critical  reported       project     1 wd late"
        "    due 2026-10-08  测试问题 102\n"
        "Due today: 1\n"
        "  ISS-0101  medium    investigating  project     due today"
        "    due 2026-10-09  测试问题 101\n"
        "On track: 1\n"
        "  ISS-0103  medium    escalated      consultant  1 wd left"
        "    due 2026-10-10  测试问题 103\n"
        "Paused, waiting on the user (verifying): 1\n"
        "  ISS-0104  medium    verifying      user        3 wd left"
        "    due 2026-10-13  测试问题 104\n"
        "Milestones overdue: 0\n"
    )


def test_the_swapped_saturday_is_a_working_day(repo: Repo) -> None:
    national_day(repo)
    result = run(repo, "2026-10-10", "sla")  # a Saturday worked in exchange for the holiday
    assert result.output == (
        "SLA on 2026-10-10\n"
        "Overdue: 2\n"
        "  ISS-0102  critical  reported       project     2 wd late"
        "    due 2026-10-08  测试问题 102\n"
        "  ISS-0101  medium    investigating  project     1 wd late"
        "    due 2026-10-09  测试问题 101\n"
        "Due today: 1\n"
        "  ISS-0103  medium    escalated      consultant  due today"
        "    due 2026-10-10  测试问题 103\n"
        "On track: 0\n"
        "Paused, waiting on the user (verifying): 1\n"
        "  ISS-0104  medium    verifying      user        2 wd left"
        "    due 2026-10-13  测试问题 104\n"
        "Milestones overdue: 0\n"
    )
    sunday = run(repo, "2026-10-11", "sla", "--format", "json")
    payload = json.loads(sunday.output)
    assert [(r["id"], r["due"], r["remaining"]) for r in payload["overdue"]] == [
        ("ISS-0102", "2026-10-08", -2),
        ("ISS-0101", "2026-10-09", -1),
        ("ISS-0103", "2026-10-10", -1),
    ]
    assert (payload["paused"][0]["start"], payload["paused"][0]["paused"]) == ("2026-09-30", True)


def test_kb_check_warns_and_strict_fails(repo: Repo) -> None:
    national_day(repo)
    result = run(repo, "2026-10-12", "check")
    assert result.exit_code == 0
    assert result.stdout == (
        "records/issues/ISS-0101.md:8:9: warning: SLA overdue by 2 working days: an internal "
        "answer was due 2026-10-09 (2 working days after the report on 2026-09-30)\n"
        "records/issues/ISS-0102.md:8:9: warning: SLA overdue by 3 working days: an internal "
        "answer was due 2026-10-08 (1 working day after the report on 2026-09-30)\n"
        "records/issues/ISS-0103.md:8:9: warning: SLA overdue by 1 working day: a consultant "
        "proposal was due 2026-10-10 (3 working days after the escalation on 2026-09-30)\n"
    )
    strict = run(repo, "2026-10-12", "check", "--strict")
    assert strict.exit_code == 1


def test_an_uncovered_year_falls_back_to_weekends_and_warns_once(repo: Repo) -> None:
    # No library knows 2031 (2027 comes from holidays: tests/workflow/test_calendar_2027.py).
    repo.write("records/issues/ISS-0105.md", issue(105, "2031-01-06"))
    repo.write("records/issues/ISS-0106.md", issue(106, "2031-01-07"))
    result = run(repo, "2031-01-13", "sla")
    warnings = result.stderr.splitlines()
    assert len(warnings) == 1
    assert warnings[0].startswith("warning: 日历 'cn' 没有 2031 年的假日数据（chinese-calendar ")
    assert result.stdout.splitlines()[1:4] == [
        "Overdue: 2",
        "  ISS-0105  medium    reported       project     3 wd late"
        "    due 2031-01-08  测试问题 105",
        "  ISS-0106  medium    reported       project     2 wd late"
        "    due 2031-01-09  测试问题 106",
    ]
    check = run(repo, "2031-01-13", "check")
    assert "crmkb.yml:2:11: warning: 日历 'cn' 没有 2031 年的假日数据" in check.stdout


def test_severity_overrides_and_calendar_come_from_the_configuration(repo: Repo) -> None:
    repo.write(
        "crmkb.yml",
        "language: zh\ncalendar: weekends\nsla:\n  internal_days: 4\n"
        "  severity:\n    medium: {internal_days: 1, consultant_days: 1}\n",
    )
    backdate(repo)
    repo.write("records/issues/ISS-0101.md", issue(101, "2026-09-30"))
    repo.write("records/issues/ISS-0102.md", issue(102, "2026-09-30", "low"))
    payload = json.loads(run(repo, "2026-10-01", "sla", "--format", "json").output)
    assert [(r["id"], r["due"]) for r in payload["due_today"]] == [("ISS-0101", "2026-10-01")]
    assert [(r["id"], r["due"]) for r in payload["on_track"]] == [("ISS-0102", "2026-10-06")]


def test_sla_on_the_sample_records(kb: Kb, golden: object) -> None:
    result = kb("sla")
    assert result.exit_code == 0
    golden("sla-2026-11-23.txt", result.output)  # type: ignore[operator]


def test_a_bad_calendar_setting_is_a_located_error(repo: Repo) -> None:
    repo.write("crmkb.yml", "language: zh\ncalendar: holidays:XX\n")
    result = run(repo, "2026-11-23", "check")
    assert result.exit_code == 1
    assert result.stdout == (
        "crmkb.yml:2:11: error: calendar 'holidays:XX': the holidays library has no country "
        "'XX'; use an ISO code such as holidays:HK or holidays:SG\n"
    )
