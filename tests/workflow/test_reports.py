"""`kb points`, `kb report`, `kb similar`, the `kb new issue` hint and the feedback rules."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from crmkb.cli import main
from crmkb.knowledge_base import load
from crmkb.points import leaderboard
from crmkb.report_render import all_periods, trend

from .conftest import TODAY, Kb


def test_points_ranking(kb: Kb, golden: Any) -> None:
    result = kb("points", "--month", "2026-10")
    assert result.exit_code == 0
    golden("points-2026-10.txt", result.output)
    data = json.loads(kb("points", "--month", "2026-10", "--format", "json").output)
    assert data["ranking"][0]["rank"] == 1


def test_duplicates_and_declined_reports_earn_nothing(kb: Kb, sample: Path) -> None:
    before = json.loads(kb("points", "--month", "2026-11", "--format", "json").output)
    kb("decline", "ISS-0040", "--reason", "报表口径已在培训中说明")
    after = json.loads(kb("points", "--month", "2026-11", "--format", "json").output)
    earned = {r["person"]: r["points"] for r in before["ranking"]}
    now = {r["person"]: r["points"] for r in after["ranking"]}
    assert earned["P013"] - now.get("P013", 0) == 1  # ISS-0040 was a low-severity report
    assert all("ISS-0040" not in r["issues"] for r in after["ranking"])


def test_points_bad_month(kb: Kb) -> None:
    result = kb("points", "--month", "2026-13")
    assert (result.exit_code, result.output) == (2, "error: month '2026-13' is not like 2026-11\n")


def test_weekly_report(kb: Kb, golden: Any) -> None:
    result = kb("report", "weekly", "--period", "2026-W46", "--no-charts")
    assert result.exit_code == 0
    golden("report-2026-W46.md", result.output)


def test_monthly_report_with_charts(kb: Kb, golden: Any, tmp_path: Path) -> None:
    out = tmp_path / "2026-10.md"
    result = kb("report", "monthly", "--period", "2026-10", "--out", str(out))
    assert (result.exit_code, result.output) == (0, f"wrote {out}\n")
    text = out.read_text(encoding="utf-8")
    golden("report-2026-10.md", text)
    assert text.count("<svg ") == 2
    assert "<script" not in text and "http://" not in text.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )


def test_the_terminal_gets_the_report_without_svg(kb: Kb, tmp_path: Path) -> None:
    result = kb("report", "monthly", "--period", "2026-10")
    out = tmp_path / "2026-10.md"
    kb("report", "monthly", "--period", "2026-10", "--out", str(out), "--no-charts")
    assert (result.exit_code, result.output) == (0, out.read_text(encoding="utf-8"))
    assert "<svg" not in result.output


def test_report_out_never_overwrites_without_force(kb: Kb, tmp_path: Path) -> None:
    out = tmp_path / "w47.md"
    out.write_text("mine\n", encoding="utf-8")
    result = kb("report", "weekly", "--period", "2026-W47", "--out", str(out))
    assert (result.exit_code, result.output) == (
        2,
        f"error: {out} already exists; pass --force to replace it\n",
    )
    assert out.read_text(encoding="utf-8") == "mine\n"
    result = kb("report", "weekly", "--period", "2026-W47", "--out", str(out), "--force")
    assert result.exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("# 运行周报 2026-W47\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["weekly", "--period", "2026-47"],
            "error: week '2026-47' is not an ISO week like 2026-W47\n",
        ),
        (["monthly", "--period", "2026-11-01"], "error: month '2026-11-01' is not like 2026-11\n"),
        (
            ["monthly", "--period", "2027-01"],
            "error: period 2027-01 starts after today (2026-11-23); pick a past period\n",
        ),
    ],
)
def test_report_bad_periods(kb: Kb, args: list[str], message: str) -> None:
    result = kb("report", *args)
    assert (result.exit_code, result.output) == (2, message)


def test_every_period_is_published(sample: Path) -> None:
    import datetime as dt

    kb = load(sample, today=dt.date.fromisoformat(TODAY))
    reports = dict(all_periods(kb))
    weeks = [p for p in reports if "-W" in p]
    months = [p for p in reports if "-W" not in p]
    assert len(weeks) >= 8 and len(months) >= 2
    assert all(text.startswith("# 运行") for text in reports.values())
    assert trend(kb).startswith('<svg xmlns="http://www.w3.org/2000/svg" role="img"')
    board = leaderboard(kb, "2026-10")
    assert board.startswith("## 2026-10 问题上报榜\n\n| 名次 | 上报人 | 积分 | 问题 |\n")


def test_similar_finds_the_traditional_spelling(kb: Kb) -> None:
    result = kb("similar", "節後回款入賬 賬齡逾期")
    assert result.exit_code == 0
    ids = [line.split()[0] for line in result.output.splitlines()]
    assert len(ids) == 5
    assert set(ids[:3]) == {"ISS-0045", "ISS-0001", "SOL-0001"}


def test_new_issue_lists_similar_ones(kb: Kb, sample: Path) -> None:
    result = kb(
        "new",
        "issue",
        "--title",
        "国庆后回款入账晚了，账龄显示逾期",
        "--set",
        "reporter=P010",
        "--set",
        "module=receivable",
        "--set",
        "severity=medium",
    )
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert lines[0].startswith(
        "Similar past issues and solutions; if one is the same problem, run kb duplicate ISS-"
    )
    assert len(lines) == 6
    assert {line.split()[0] for line in lines[1:3]} == {"ISS-0045", "ISS-0001"}


def test_similar_needs_text(kb: Kb) -> None:
    result = kb("similar", "  ")
    assert result.exit_code == 2


def test_feedback_rules(kb: Kb, sample: Path) -> None:
    declined = next(
        p
        for p in sorted((sample / "records/feedback").glob("*.md"))
        if "reasonable: false" in p.read_text(encoding="utf-8")
    )
    text = declined.read_text(encoding="utf-8")
    response = next(line for line in text.splitlines() if line.startswith("response:"))
    declined.write_text(text.replace(response + "\n", ""), encoding="utf-8")
    supported = sample / "records/feedback/FB-0002.md"
    text = supported.read_text(encoding="utf-8")
    links = next(line for line in text.splitlines() if line.startswith("links:"))
    supported.write_text(text.replace(links + "\n", ""), encoding="utf-8")
    out = kb("check").stdout
    assert "unreasonable feedback needs a `response` explaining why it is declined" in out
    assert (
        "records/feedback/FB-0002.md" in out
        and "reasonable feedback needs `links` to the issue or change request acting on it" in out
    )


def test_every_workflow_command_has_an_example() -> None:
    names = [
        "investigate",
        "escalate",
        "propose",
        "verify",
        "resolve",
        "duplicate",
        "decline",
        "sla",
        "points",
        "report",
        "similar",
    ]
    for name in names:
        assert "Example" in (main.load_all()[name].help or ""), name
    cr = main.load_all()["cr"]
    for command in cr.commands.values():  # type: ignore[attr-defined]
        assert "Example" in (command.help or ""), command.name


def test_site_pages_carry_every_report_and_its_charts(sample: Path) -> None:
    import datetime as dt

    from crmkb.site.pages.reports import render_reports

    files = render_reports(load(sample, today=dt.date.fromisoformat(TODAY)))
    weeks = [f for f in files if f.startswith("reports/2026-W")]
    months = [f for f in files if f.startswith("reports/2026-") and "-W" not in f]
    assert len(weeks) >= 8 and len(months) >= 2
    assert "![问题数 · 按模块](charts/2026-10-modules.svg)" in files["reports/2026-10.md"]
    assert files["reports/charts/2026-10-modules.svg"].startswith("<svg ")
    assert "[2026-W46](2026-W46.md)" in files["reports/index.md"]
    assert files["reports/leaderboard.md"].startswith("# 问题上报榜\n\n## 2026-11 问题上报榜\n")
