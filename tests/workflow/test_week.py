"""The lead's whole week in `kb`, on a copy of the sample: every step passes `kb check`.

Mon 2026-11-23 to Fri 11-27: a mailed daily log with two problems and three screenshots, owner
and queue, notes and edits, escalation with the consultant named, a fix the user rejects, a
resolution with a new solution taken through validation, a reopened problem, a duplicate of a
duplicate refused, a change request stuck without milestones and unstuck, feedback judged,
SLA and the report of the week that ended.
"""

from __future__ import annotations

import json
from email.message import EmailMessage
from pathlib import Path

from click.testing import Result

from .conftest import Kb

PNG = b"\x89PNG\r\n\x1a\n" + bytes(24)


def daily_log(path: Path) -> Path:
    mail = EmailMessage()
    mail["From"] = "孙丽 <P013@corp.example.cn>"
    mail["To"] = "p001@corp.example.cn"
    mail["Subject"] = "问题日报 11月23日"
    mail["Date"] = "Mon, 23 Nov 2026 17:40:00 +0800"
    mail.set_content(
        "王老师，今天的问题：\n\n"
        "问题1：报价单税率取成了9%\n模块：报价\n影响：高\n截图：tax-1.png、tax 2.png\n"
        "打开含税产品的报价单，税率显示9%，应该是13%。\n\n"
        "问题2：客户导出少了联系人电话\n模块：客户管理\n截图：export.png\n"
        "导出的Excel里联系人电话一列是空的。\n"
    )
    for name in ("tax-1.png", "tax 2.png", "export.png"):
        mail.add_attachment(PNG, maintype="image", subtype="png", filename=name)
    path.write_bytes(bytes(mail))
    return path


def step(kb: Kb, day: str, *args: str) -> Result:
    """Run one command on `day`, insist it worked, and that kb check still passes."""
    result = kb(*args, today=day)
    assert result.exit_code == 0, (args, result.output)
    check = kb("check", today=day)
    assert check.exit_code == 0, (args, check.stdout)
    return result


def refused(kb: Kb, day: str, sample: Path, *args: str) -> str:
    """Run a command that must be refused, and check that no file changed."""
    before = {p: p.read_bytes() for p in (sample / "records").rglob("*") if p.is_file()}
    result = kb(*args, today=day)
    assert result.exit_code != 0, (args, result.output)
    after = {p: p.read_bytes() for p in (sample / "records").rglob("*") if p.is_file()}
    assert after == before
    return result.output


def test_the_leads_week(kb: Kb, sample: Path, tmp_path: Path) -> None:
    mon, tue, wed, thu, fri = (f"2026-11-{d}" for d in (23, 24, 25, 26, 27))

    # Monday evening: the daily log arrives by mail.
    mail = daily_log(tmp_path / "daily.eml")
    intake = step(kb, mon, "intake", str(mail))
    assert intake.output == (
        "ISS-0050  报价单税率取成了9%\n"
        "  wrote records/issues/ISS-0050.md\n"
        "  wrote records/evidence/ISS-0050/tax-1.png\n"
        "  wrote records/evidence/ISS-0050/tax-2.png\n"
        "  上报人 P013 只是自称：确认请用 kb edit ISS-0050 --set reporter_confirmed=true"
        "（更正请用 --set reporter=…）\n"
        "ISS-0051  客户导出少了联系人电话\n"
        "  wrote records/issues/ISS-0051.md\n"
        "  wrote records/evidence/ISS-0051/export.png\n"
        "  上报人 P013 只是自称：确认请用 kb edit ISS-0051 --set reporter_confirmed=true"
        "（更正请用 --set reporter=…）\n"
        "注意：发件人 P013@corp.example.cn 未经邮件系统验证，只是自称（crmkb.yml 没有设置 "
        "intake.authserv_id）；上报人待项目负责人确认\n"
    )
    # No mail server vouches for the sender here: the lead confirms the reporter.
    for issue in ("ISS-0050", "ISS-0051"):
        step(kb, mon, "edit", issue, "--set", "reporter_confirmed=true")
    created = json.loads(kb("show", "ISS-0050", "--format", "json", today=mon).output)
    assert (created["reporter"], created["owner"], created["severity"]) == ("P013", "P022", "high")

    # Tuesday: the lead takes the quote problem, investigates and escalates it.
    step(kb, tue, "assign", "iss-0050", "王立")
    step(kb, tue, "investigate", "ISS-0050")
    step(kb, tue, "note", "ISS-0050", "只有含税产品出错：税率取自客户档案")
    step(kb, tue, "edit", "ISS-0050", "--set", "tags=报价, 税率")
    step(kb, tue, "escalate", "ISS-0050", "--to", "林慧敏", "--summary", "税率取值来源错误")
    mine = json.loads(step(kb, tue, "sla", "--mine", "--format", "json").output)
    assert [r["id"] for r in mine["on_track"] + mine["due_today"]] == ["ISS-0050"]
    step(kb, tue, "propose", "ISS-0050", "--summary", "税率改取产品档案")
    step(kb, tue, "verify", "ISS-0050")

    # Wednesday: the user rejects the fix; it goes back, is fixed again and resolved.
    step(kb, wed, "reject", "ISS-0050", "--reason", "出口报价单仍然是9%")
    step(kb, wed, "verify", "ISS-0050")
    step(
        kb,
        wed,
        "resolve",
        "ISS-0050",
        "--new-solution",
        "--title",
        "税率取自产品档案",
        "--cause",
        "configuration",
    )
    assert "SOL-0021" in refused(kb, wed, sample, "solution", "validate", "SOL-0021")
    solution = sample / "records/solutions/SOL-0021.md"
    text = solution.read_text(encoding="utf-8")
    solution.write_text(text.replace("## 解决步骤\n\n1. ", "## 解决步骤\n\n1. 产品档案维护税率"))
    step(kb, wed, "solution", "validate", "SOL-0021")
    step(kb, wed, "solution", "archive", "SOL-0021")

    # The second problem is a duplicate; a duplicate of a duplicate is refused.
    assert "use --of ISS-0003" in refused(
        kb, wed, sample, "duplicate", "ISS-0051", "--of", "ISS-0044"
    )
    step(kb, wed, "duplicate", "ISS-0051", "--of", "ISS-0012")

    # Thursday: an old problem comes back and is resolved again with its solution.
    step(kb, thu, "reopen", "ISS-0001", "--reason", "11月又有节后到账的回款显示逾期")
    step(kb, thu, "resolve", "ISS-0001", "--solution", "SOL-0001")

    # A change request stuck by an empty plan (as an older kb wrote it) is unstuck.
    step(kb, thu, "cr", "decide", "CR-0007", "--option", "B", "--by", "P001")
    assert "at least one --milestone" in refused(
        kb, thu, sample, "cr", "develop", "CR-0007", "--cost", "12000"
    )
    cr = sample / "records/changes/CR-0007.md"
    stuck = cr.read_text(encoding="utf-8").replace("status: decided", "status: developing")
    stuck = stuck.replace(
        "\n---\n\n## 背景", "\ndevelopment:\n  cost: 12000\n  milestones: []\n---\n\n## 背景"
    )
    cr.write_text(stuck, encoding="utf-8")
    assert kb("check", today=thu).exit_code == 0
    assert "every milestone done" in refused(
        kb, thu, sample, "cr", "pilot", "CR-0007", "--users", "P007"
    )
    step(kb, thu, "cr", "milestone", "add", "CR-0007", "名片导入上线", "--due", fri)
    assert "before the decision" in refused(
        kb, fri, sample, "cr", "milestone", "done", "CR-0007", "名片导入上线", "--on", "2026-11-20"
    )
    step(kb, fri, "cr", "milestone", "done", "CR-0007", "名片导入上线")
    step(kb, fri, "cr", "pilot", "CR-0007", "--users", "P007,p012")

    # Friday: judgement, the queue, and the report of the week that ended.
    step(
        kb,
        fri,
        "feedback",
        "judge",
        "FB-0003",
        "--unreasonable",
        "--reason",
        "跟进记录是客户交接的依据",
    )
    board = json.loads(step(kb, fri, "sla", "--format", "json").output)
    assert "ISS-0050" not in [r["id"] for key in ("overdue", "on_track") for r in board[key]]
    report = step(kb, fri, "report", "weekly", "--format", "csv").output
    assert report.startswith(
        "\ufeffperiod,section,key,label,value\n2026-W47,summary,reported,,13\n"
    )
    shown = step(kb, fri, "show", "ISS-0050").output
    assert (
        "  2026-11-25  王立 (P001)  [investigating] the user rejected the fix: 出口报价单仍然是9%\n"
        in (shown)
    )
    assert "escalated to 林慧敏 (P002): 税率取值来源错误" in shown
