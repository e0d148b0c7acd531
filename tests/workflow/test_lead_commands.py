"""Exact output of the lead's new commands, and their refusals leaving every file alone."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from .conftest import REPO_ROOT, Kb

ISSUE = "records/issues/ISS-0040.md"


def files(sample: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in (sample / "records").rglob("*") if p.is_file()}


def test_note_appends_a_dated_entry_with_the_author(kb: Kb, sample: Path) -> None:
    result = kb("note", "iss-0040", "用户说: 只有周报有问题 #1")
    assert (result.exit_code, result.output) == (
        0,
        "ISS-0040: note added\n  wrote records/issues/ISS-0040.md\n",
    )
    text = (sample / ISSUE).read_text(encoding="utf-8")
    assert text.split("---\n")[1].endswith(
        "history:\n  - on: 2026-11-23\n    by: P001\n    text: '用户说: 只有周报有问题 #1'\n"
    )


def test_edit_keeps_text_as_typed_and_parses_typed_fields(kb: Kb, sample: Path) -> None:
    result = kb("edit", "ISS-0040", "--set", "title=yes", "--set", "severity=high")
    assert result.output == "ISS-0040: edited title, severity\n  wrote records/issues/ISS-0040.md\n"
    shown = json.loads(kb("show", "ISS-0040", "--format", "json").output)
    assert (shown["title"], shown["severity"]) == ("yes", "high")
    assert kb("check").exit_code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("edit", "ISS-0040", "--set", "status=resolved"),
            "error: status cannot be set with kb edit: use the lifecycle commands "
            "(kb investigate, kb resolve, kb reject, …)\n",
        ),
        (
            ("edit", "ISS-0040", "--set", "owner=P999"),
            "records/issues/ISS-0040.md:11:8: error: unknown person 'P999'; it is not defined "
            "in records/people.yml\nerror: kb refused the change: the records would fail kb "
            "check; nothing was written\n",
        ),
        (
            ("edit", "ISS-0040", "--set", "severity=urgent"),
            "error: severity: Input should be 'low', 'medium', 'high' or 'critical' "
            "(got 'urgent')\n",
        ),
        (("edit", "XYZ-1", "--set", "a=b"), "error: 'XYZ-1' is not a record id like "),
        (("note", "ISS-9999", "x"), "error: no issue 'ISS-9999'; see kb list issue\n"),
        (("note", "ISS-0040", "  "), "error: the note is empty; write what happened\n"),
        (("assign", "ISS-0040", "无名氏"), "error: no person '无名氏'; give an id like P010 "),
        (("assign", "FB-0001", "P001"), "error: feedback records have no owner; "),
        (
            ("reject", "ISS-0040", "--reason", "x"),
            "error: ISS-0040 is 'reported'; kb reject applies to a verifying issue\n",
        ),
        (
            ("reopen", "ISS-0040", "--reason", "x"),
            "error: ISS-0040 is 'reported'; kb reopen applies to a resolved issue\n",
        ),
        (("reopen", "ISS-0001", "--reason", " "), "error: kb reopen needs --reason saying why\n"),
        (
            ("duplicate", "ISS-0040", "--of", "ISS-0044"),
            "error: ISS-0044 is itself a duplicate of ISS-0003; use --of ISS-0003\n",
        ),
        (
            ("solution", "archive", "SOL-0017"),
            "error: SOL-0017 is 'draft'; kb solution archive applies to a validated solution\n",
        ),
        (
            ("cr", "milestone", "add", "CR-0005", "上线", "--due", "2026-11-01"),
            "error: milestone due 2026-11-01 is in the past (today is 2026-11-23); plan ahead\n",
        ),
        (
            ("cr", "link", "CR-0005", "ISS-9999"),
            "records/changes/CR-0005.md:",
        ),
        (
            ("feedback", "judge", "FB-0002", "--reasonable", "--reason", "x", "--link", "SOL-1"),
            "records/feedback/FB-0002.md:",
        ),
    ],
)
def test_refusals_say_why_and_change_nothing(
    kb: Kb, sample: Path, args: tuple[str, ...], message: str
) -> None:
    before = files(sample)
    result = kb(*args)
    assert result.exit_code != 0
    assert result.output.startswith(message), result.output
    assert files(sample) == before


def test_reopen_moves_the_pass_into_the_history_and_restarts_the_clock(
    kb: Kb, sample: Path
) -> None:
    result = kb("reopen", "ISS-0001", "--reason", "又出现了")
    assert result.output == (
        "ISS-0001: resolved -> investigating on 2026-11-23\n  wrote records/issues/ISS-0001.md\n"
        "  wrote records/solutions/SOL-0001.md\n"  # its solution is marked 需复核 (issue 22)
    )
    issue = json.loads(kb("show", "ISS-0001", "--format", "json").output)
    assert (issue["status"], issue["restarted"], issue["dates"]) == (
        "investigating",
        "2026-11-23",
        {"investigating": "2026-11-23"},
    )
    steps = [(e["on"], e.get("step")) for e in issue["history"]]
    assert steps[0] == ("2026-10-09", "investigating")
    assert steps[-2:] == [("2026-10-16", "resolved"), ("2026-11-23", "investigating")]
    board = json.loads(kb("sla", "--format", "json").output)
    row = next(r for key in ("on_track", "due_today") for r in board[key] if r["id"] == "ISS-0001")
    assert (row["start"], row["due"], row["remaining"]) == ("2026-11-23", "2026-11-25", 2)
    # A week later: the report of the week before the reopen still shows it resolved then.
    assert (
        "ISS-0001" not in kb("report", "weekly", "--period", "2026-W42", today="2026-11-30").output
    )


def test_attach_copies_under_a_safe_name_and_links(kb: Kb, sample: Path, tmp_path: Path) -> None:
    shot = tmp_path / "屏幕 截图 (1).PNG"
    shot.write_bytes(b"\x89PNG\r\n\x1a\n")
    result = kb("attach", "ISS-0040", str(shot), str(shot))
    assert result.output == (
        "ISS-0040: 2 evidence file(s) attached\n"
        "  wrote records/evidence/ISS-0040/屏幕-截图-1-2.png\n"
        "  wrote records/evidence/ISS-0040/屏幕-截图-1.png\n"
        "  wrote records/issues/ISS-0040.md\n"
    )
    assert kb("check").exit_code == 0


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "x.html",
            b"<p>",
            "error: x.html: .html files can run in the browser and cannot be published; attach",
        ),
        (
            "bad.svg",
            b'<svg onload="alert(1)"/>',
            "error: bad.svg: SVG contains script, an event handler",
        ),
    ],
)
def test_attach_refuses_active_files(
    kb: Kb, sample: Path, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    source = tmp_path / name
    source.write_bytes(content)
    before = files(sample)
    result = kb("attach", "ISS-0040", str(source))
    assert result.exit_code != 0
    assert result.output.startswith(message), result.output
    assert files(sample) == before


def test_list_and_sla_by_owner(kb: Kb) -> None:
    kb("assign", "ISS-0040", "P010")
    result = kb("list", "issue", "--owner", "李娜")
    assert result.stdout == (
        "ID        STATUS    SEVERITY  MODULE  OWNER  REPORTED    TITLE\n"
        "ISS-0040  reported  low       report  P010   2026-11-20  "
        "周报里“本周新增客户”比自己统计的多\n"
    )
    mine = kb("sla", "--mine")  # the workflow fixture sets me: P001, who owns no module
    assert mine.output.splitlines()[0] == "SLA on 2026-11-23 for P001"
    assert kb("list", "issue", "--mine", "--owner", "P001").exit_code == 2


def test_list_feedback_shows_the_judgement(kb: Kb) -> None:
    result = kb(
        "feedback", "judge", "FB-0001", "--reasonable", "--reason", "确有道理", "--link", "CR-0002"
    )
    assert result.output == "FB-0001: judged reasonable\n  wrote records/feedback/FB-0001.md\n"
    rows = kb("list", "feedback").stdout.splitlines()
    assert rows[0].split() == ["ID", "JUDGEMENT", "PERSON", "RECEIVED", "SUMMARY"]
    assert rows[1].split()[:2] == ["FB-0001", "reasonable"]


def test_solution_lifecycle_needs_steps(kb: Kb, sample: Path) -> None:
    kb("investigate", "ISS-0040", "--on", "2026-11-20")
    kb("resolve", "ISS-0040", "--new-solution", "--title", "口径说明", "--cause", "process")
    check = kb("check")
    assert (
        "records/solutions/SOL-0021.md:6:13: warning: this draft has no steps yet; write them "
        "under the steps heading (it is not published until it has them)\n"
    ) in check.stdout
    refused = kb("solution", "validate", "SOL-0021")
    assert refused.output == "error: SOL-0021 has no steps yet; write them before it is validated\n"
    path = sample / "records/solutions/SOL-0021.md"
    path.write_text(path.read_text(encoding="utf-8").replace("1. \n", "1. 按创建人统计\n"))
    assert kb("solution", "validate", "sol-0021").output == (
        "SOL-0021: draft -> validated\n  wrote records/solutions/SOL-0021.md\n"
    )
    assert "published: 2026-11-23" in path.read_text(encoding="utf-8")
    assert kb("list", "solution", "--status", "validated").stdout.count("SOL-0021") == 1


def test_kb_check_warns_of_an_overdue_milestone_and_kb_sla_lists_it(kb: Kb) -> None:
    check = kb("check")
    assert (
        "records/changes/CR-0005.md:51:12: warning: milestone '测试环境联调' was due 2026-11-20 "
        "and is not done\n"
    ) in check.stdout
    sla = kb("sla").output.splitlines()
    assert sla[-2:] == [
        "Milestones overdue: 1",
        "  CR-0005  1 wd late, due 2026-11-20  测试环境联调  业务员离职客户移交向导",
    ]


def test_a_proposal_waiting_for_the_user_has_a_clock(kb: Kb) -> None:
    check = kb("check", today="2026-12-30")
    assert (
        "records/issues/ISS-0026.md:9:9: warning: SLA overdue by 35 working days: the "
        "consultant's proposal of 2026-11-09 was due to reach the user (kb verify) by 2026-11-11\n"
    ) in check.stdout


def test_show_names_people_and_modules_and_gives_the_sla(kb: Kb) -> None:
    kb("escalate", "ISS-0036", "--to", "P002", "--summary", "产品未同步")
    out = kb("show", "ISS-0036").output.splitlines()
    assert "reporter: 刘洋 (P012)" in out or any(
        line.startswith("reporter: ") and "(P" in line for line in out
    )
    assert any(line.startswith("module: ") and "(" in line for line in out)
    assert "sla: escalated, waits on the consultant, due 2026-11-26, 3 wd left" in out
    assert out[out.index("history:") + 1] == (
        "  2026-11-23  王立 (P001)  [escalated] escalated to 林慧敏 (P002): 产品未同步"
    )


def test_an_empty_draft_is_not_published_until_it_has_steps(kb: Kb, sample: Path) -> None:
    from crmkb.knowledge_base import load
    from crmkb.site.pages import generate, urls

    kb("investigate", "ISS-0040", "--on", "2026-11-20")
    kb("resolve", "ISS-0040", "--new-solution", "--title", "口径说明", "--cause", "process")
    pages = generate(load(sample, today=dt.date(2026, 11, 23)))
    assert urls.solution("SOL-0021") not in pages
    assert "SOL-0021" not in pages[urls.issue("ISS-0040")] + pages[urls.SOLUTIONS]
    path = sample / "records/solutions/SOL-0021.md"
    path.write_text(path.read_text(encoding="utf-8").replace("1. \n", "1. 按创建人统计\n"))
    pages = generate(load(sample, today=dt.date(2026, 11, 23)))
    assert "SOL-0021" in pages[urls.issue("ISS-0040")] and urls.solution("SOL-0021") in pages


def test_show_prints_the_body_line_by_line(kb: Kb) -> None:
    out = kb("show", "ISS-0040").output
    assert "\n\n## 情景与复现\n\n1. 打开“报表 > 销售周报”" in out
    assert out.endswith("是否包含电商插件导入时自动新建的客户。\n")


def test_the_html_report_is_self_contained_and_escapes_record_text(
    kb: Kb, sample: Path, tmp_path: Path
) -> None:
    kb("edit", "ISS-0040", "--set", 'title=<script>alert(1)</script><img src="http://x/y">')
    out = tmp_path / "w47.html"
    result = kb("report", "weekly", "--format", "html", "--out", str(out), today="2026-11-24")
    assert (result.exit_code, result.output) == (0, f"wrote {out}\n")
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>\n") and page.count("<svg ") == 2
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script" not in page and "<img" not in page and "href=" not in page
    assert '&lt;img src="http://x/y"&gt;' in page  # shown as text, never fetched


def test_the_csv_report_keeps_formulas_out(kb: Kb) -> None:
    kb("edit", "ISS-0040", "--set", "title==HYPERLINK(1)")
    rows = kb("report", "weekly", "--format", "csv", today="2026-11-24").output.splitlines()
    assert "2026-W47,open,ISS-0040,'=HYPERLINK(1),reported" in rows


@pytest.mark.parametrize(
    "point", ["prepared", "temp-1", "temp-2", "committed", "renamed-1", "renamed-2"]
)
def test_kill_during_attach_leaves_nothing_outside_the_journal(
    kb: Kb, sample: Path, tmp_path: Path, point: str
) -> None:
    """Issue 18 item 6: kill -9 at each step of kb attach; the evidence file and the record
    listing it are one transaction: both or neither, never an orphan or a temporary file."""
    import os
    import subprocess
    import sys

    shot = tmp_path / "k.png"
    shot.write_bytes(b"\x89PNG\r\n\x1a\n")
    record = sample / ISSUE
    before = record.read_bytes()
    env = {**os.environ, "CRMKB_TODAY": "2026-11-23", "CRMKB_FAULT": point}
    kb_bin = str(Path(sys.executable).parent / "kb")
    done = subprocess.run(
        [kb_bin, "attach", "ISS-0040", str(shot), "--root", str(sample)], env=env, check=False
    )
    assert done.returncode == -9
    assert "records/evidence/ISS-0040/k.png" not in kb("check").stdout  # the journal is named
    kb("note", "ISS-0040", "after the crash")  # finishes or undoes the interrupted change
    check = kb("check")
    assert check.exit_code == 0 and "evidence" not in check.stdout, check.stdout
    folder = sample / "records/evidence/ISS-0040"
    left = sorted(p.name for p in folder.iterdir()) if folder.exists() else []
    committed = point in ("committed", "renamed-1", "renamed-2")
    assert left == (["k.png"] if committed else [])
    listed = "records/evidence/ISS-0040/k.png" in record.read_text(encoding="utf-8")
    assert listed == committed
    if not committed:
        assert record.read_bytes() != before  # only the note
    again = kb("attach", "ISS-0040", str(shot))
    name = "k-2.png" if committed else "k.png"
    assert f"  wrote records/evidence/ISS-0040/{name}\n" in again.output


def test_an_orphan_or_a_leftover_is_named_and_never_published(
    kb: Kb, sample: Path, tmp_path: Path
) -> None:
    import shutil

    folder = sample / "records/evidence/ISS-0040"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "orphan.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (folder / ".tk.png.x1y2.tmp").write_bytes(b"\x89PNG\r\n\x1a\n")
    check = kb("check")
    assert check.exit_code == 0
    assert (
        "records/evidence/ISS-0040/.tk.png.x1y2.tmp:1:1: warning: a hidden or temporary file "
        "(an interrupted write leaves one); it is never published: delete it\n"
        "records/evidence/ISS-0040/orphan.png:1:1: warning: no issue lists this evidence file; "
        "link it with kb attach or delete it\n"
    ) in check.stdout
    shutil.copy(REPO_ROOT / "mkdocs.yml", sample / "mkdocs.yml")
    shutil.copytree(REPO_ROOT / "kb", sample / "kb")
    out = tmp_path / "site-src"
    assert kb("render", str(out)).exit_code == 0
    published = {p.name for p in out.rglob("*") if p.is_file()}
    assert "orphan.png" not in published and ".tk.png.x1y2.tmp" not in published
    assert "payment-terms-list.svg" in published  # listed evidence still is


def test_cr_goal_and_link(kb: Kb, sample: Path) -> None:
    goal = kb("cr", "goal", "cr-0009", "--reason", "要手工换算", "--goal", "按客户币种出具: USD")
    assert goal.output == "CR-0009: requested -> requested\n  wrote records/changes/CR-0009.md\n"
    link = kb("cr", "link", "CR-0009", "iss-0031", "ISS-0033")
    assert link.output == "CR-0009: requested -> requested\n  wrote records/changes/CR-0009.md\n"
    text = (sample / "records/changes/CR-0009.md").read_text(encoding="utf-8")
    assert "goal: '按客户币种出具: USD'\n" in text and "issues: [ISS-0031, ISS-0033]\n" in text
    again = kb("cr", "link", "CR-0009", "ISS-0031")
    assert (again.exit_code, again.output) == (1, "error: CR-0009 already links ISS-0031\n")
    assert kb("check").exit_code == 0


def test_the_clock_can_keep_the_report_date_after_a_reopen(kb: Kb, sample: Path) -> None:
    config = sample / "crmkb.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "  consultant_days: 3\n", "  consultant_days: 3\n  reopen: continue\n"
        ),
        encoding="utf-8",
    )
    kb("reopen", "ISS-0040", "--reason", "x")  # refused: not resolved; use a resolved one
    kb("reopen", "ISS-0001", "--reason", "又出现了")
    board = json.loads(kb("sla", "--format", "json").output)
    row = next(r for r in board["overdue"] if r["id"] == "ISS-0001")
    assert (row["start"], row["due"]) == ("2026-10-09", "2026-10-12")


def test_a_weekly_report_on_a_monday_is_the_week_that_ended(kb: Kb) -> None:
    result = kb("report", "weekly", today="2026-11-23")
    assert result.output.startswith("# 运行周报 2026-W47\n\n统计期间 2026-11-16 至 2026-11-22")


def test_show_a_solution_gives_its_reuse(kb: Kb) -> None:
    assert "reuse: 2 issue(s)" in kb("show", "SOL-0001").output.splitlines()


def test_a_history_author_must_be_a_person(kb: Kb, sample: Path) -> None:
    kb("note", "ISS-0040", "x")
    path = sample / ISSUE
    path.write_text(path.read_text(encoding="utf-8").replace("by: P001", "by: P998"))
    check = kb("check")
    assert check.exit_code == 1
    assert [line for line in check.stdout.splitlines() if ": error: " in line] == [
        "records/issues/ISS-0040.md:13:9: error: unknown person 'P998'; it is not defined in "
        "records/people.yml"
    ]
