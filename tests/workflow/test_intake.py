"""`kb intake`: a mailed daily log or a submitted issue form becomes issues; a bad one writes
nothing."""

from __future__ import annotations

import json
import shutil
from email.message import EmailMessage
from pathlib import Path

import pytest

from .conftest import Kb

PNG = b"\x89PNG\r\n\x1a\n" + bytes(16)
EVENT = Path(__file__).parent / "issue-form-event.json"


def mail(
    tmp_path: Path,
    text: str,
    sender: str = "p013@corp.example.cn",
    message_id: str = "",
    **files: bytes,
) -> Path:
    message = EmailMessage()
    if message_id:
        message["Message-ID"] = message_id
    message["From"] = sender
    message["Subject"] = "问题日报"
    message["Date"] = "Mon, 23 Nov 2026 17:40:00 +0800"
    message.set_content(text)
    for name, content in files.items():
        message.add_attachment(content, maintype="image", subtype="png", filename=name)
    path = tmp_path / "log.eml"
    path.write_bytes(bytes(message))
    return path


def records(sample: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in (sample / "records").rglob("*") if p.is_file()}


def test_one_problem_takes_every_attachment(kb: Kb, sample: Path, tmp_path: Path) -> None:
    path = mail(tmp_path, "问题1：title: [yes] #1\n模块：order\n订单保存报错。\n", **{"a.png": PNG})
    result = kb("intake", str(path), "--format", "json")
    assert json.loads(result.output) == {
        "created": [
            {
                "id": "ISS-0050",
                "title": "title: [yes] #1",
                "path": "records/issues/ISS-0050.md",
                "evidence": ["records/evidence/ISS-0050/a.png"],
            }
        ],
        "notes": [
            "发件人 p013@corp.example.cn 未经邮件系统验证，只是自称（crmkb.yml 没有设置 "
            "intake.authserv_id）；上报人待项目负责人确认"
        ],
        "refused": [],
        "unconfirmed": ["ISS-0050"],
    }
    text = (sample / "records/issues/ISS-0050.md").read_text(encoding="utf-8")
    assert text.startswith("---\nid: ISS-0050\ntitle: 'title: [yes] #1'\nreporter: P013\n")
    assert "## 现象\n\n订单保存报错。\n" in text
    assert kb("check").exit_code == 0


def test_the_same_mail_is_never_taken_in_twice(kb: Kb, sample: Path, tmp_path: Path) -> None:
    path = mail(tmp_path, "问题1：x\n模块：order\n", message_id="<log-1123@corp.example.cn>")
    assert kb("intake", str(path)).exit_code == 0
    before = records(sample)
    again = kb("intake", str(path))
    assert (again.exit_code, again.output) == (
        2,
        "error: 这份上报已经登记为 ISS-0050；没有写入任何内容\n",
    )
    assert records(sample) == before


def test_a_day_without_problems_writes_nothing(kb: Kb, sample: Path, tmp_path: Path) -> None:
    before = records(sample)
    result = kb("intake", str(mail(tmp_path, "今天没问题。\n没问题\n")))
    assert (result.exit_code, result.output) == (0, "no problems reported; nothing was written\n")
    assert records(sample) == before


@pytest.mark.parametrize(
    ("text", "sender", "files", "message"),
    [
        ("问题1：x\n模块：order\n", "nobody@else.cn", {}, "error: 没有人的邮箱是 nobody@else.cn；"),
        ("随便写点什么\n", "p013@corp.example.cn", {}, "error: no problem found in the report;"),
        ("问题1：x\n模块：火星\n", "p013@corp.example.cn", {}, "error: 问题 1：no CRM module"),
        ("问题1：x\n", "p013@corp.example.cn", {}, "error: 问题 1 没有写模块；请加一行“模块：…”"),
        (
            "问题1：x\n模块：order\n影响：很大\n",
            "p013@corp.example.cn",
            {},
            "error: problem 1: 影响",
        ),
        (
            "问题1：x\n模块：order\n截图：b.png\n问题2：y\n模块：order\n",
            "p013@corp.example.cn",
            {"a.png": PNG},
            "error: problem 1 names the screenshot 'b.png', which is not attached",
        ),
        (
            "问题1：x\n模块：order\n问题2：y\n模块：order\n",
            "p013@corp.example.cn",
            {"a.png": PNG},
            "error: attachment(s) a.png belong to no problem;",
        ),
        (
            "问题1：x\n模块：order\n",
            "p013@corp.example.cn",
            {"page.html": b"<script>"},
            "error: page.html: .html files can run in the browser and cannot be published; attach",
        ),
    ],
)
def test_a_malformed_report_writes_nothing(
    kb: Kb,
    sample: Path,
    tmp_path: Path,
    text: str,
    sender: str,
    files: dict[str, bytes],
    message: str,
) -> None:
    before = records(sample)
    result = kb("intake", str(mail(tmp_path, text, sender, **files)))
    assert result.exit_code != 0
    assert result.output.startswith(message), result.output
    assert records(sample) == before


def test_a_file_that_is_not_a_mail(kb: Kb, sample: Path, tmp_path: Path) -> None:
    path = tmp_path / "x.eml"
    path.write_bytes(b"\x00\xff not a mail")
    result = kb("intake", str(path))
    assert (result.exit_code, result.output) == (
        2,
        "error: x.eml 没有 From 地址；上报人要靠它来对应\n",
    )


def test_an_issue_form_becomes_an_issue_with_its_attachments(
    kb: Kb, sample: Path, tmp_path: Path
) -> None:
    shots = tmp_path / "evidence"
    shots.mkdir()
    (shots / "evidence-1").write_bytes(PNG)  # the workflow saves link N as evidence-N
    (shots / "evidence-2").write_bytes(b"\xff\xd8\xff" + bytes(8))
    event = tmp_path / "event.json"
    shutil.copy(EVENT, event)
    args = ("intake", "--issue-form", str(event), "--evidence-dir", str(shots))
    result = kb(*args, "--format", "json")
    assert json.loads(result.output)["created"] == [
        {
            "id": "ISS-0050",
            "title": "回款单保存后到账日期变成了今天",
            "path": "records/issues/ISS-0050.md",
            "evidence": [
                "records/evidence/ISS-0050/回款单.png",
                "records/evidence/ISS-0050/0a0b0c0d-1111-2222-3333-444455556666.jpg",
            ],
        }
    ]
    shown = json.loads(kb("show", "ISS-0050", "--format", "json").output)
    assert (shown["reporter"], shown["module"], shown["severity"], shown["owner"]) == (
        "P005",
        "receivable",
        "high",
        "P006",
    )
    assert shown["history"][0]["text"] == "reported through the issue form (#57) by @zhouyaqin"
    assert "reporter_confirmed" not in shown or shown["reporter_confirmed"] is True
    assert kb("check").exit_code == 0


def test_an_issue_form_without_its_downloads_writes_nothing(
    kb: Kb, sample: Path, tmp_path: Path
) -> None:
    before = records(sample)
    result = kb("intake", "--issue-form", str(EVENT), "--evidence-dir", str(tmp_path))
    assert result.exit_code == 2
    assert result.output.startswith("error: 证据 https://github.com/user-attachments/")
    assert records(sample) == before


def test_the_issue_form_and_its_workflow_match_kb_intake() -> None:
    import yaml

    from crmkb.intake_form import LABELS, REQUIRED

    repo = Path(__file__).resolve().parents[2]
    form = yaml.safe_load((repo / ".github/ISSUE_TEMPLATE/problem-report.yml").read_text("utf-8"))
    fields = {f["id"]: f for f in form["body"] if "id" in f}
    # Every field GitHub renders, in the template's order: kb cuts the body by these headings.
    assert [(k, f["attributes"]["label"]) for k, f in fields.items()] == list(LABELS.items())
    assert {k for k, f in fields.items() if f.get("validations", {}).get("required")} >= REQUIRED
    workflow = (repo / ".github/workflows/intake.yml").read_text("utf-8")
    assert "kb intake --issue-form" in workflow
    assert "github.event.issue.body" not in workflow  # untrusted text never reaches a shell
