"""Mail intake treats headers as claims: nesting, sender, date, size and sameness (issue 18.7)."""

from __future__ import annotations

import json
from email import policy
from email.message import EmailMessage, Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path

import pytest

from .conftest import Kb

PNG = b"\x89PNG\r\n\x1a\n" + bytes(16)
OURS = "mx.corp.example.cn"  # the company's own receiving server (intake.authserv_id)
LOG = "问题1：报价单税率取错\n模块：order\n影响：高\n保存后税率变成 0。\n"


def configure(sample: Path, **intake: object) -> None:
    lines = ["intake:"] + [f"  {key}: {value}" for key, value in intake.items()]
    with (sample / "crmkb.yml").open("a", encoding="utf-8") as config:
        config.write("\n".join(lines) + "\n")


def message(
    text: str = LOG,
    sender: str = "p005@corp.example.cn",
    date: str = "Mon, 23 Nov 2026 17:40:00 +0800",
    results: tuple[str, ...] = (),
    message_id: str = "",
    subject: str = "问题日报",
) -> EmailMessage:
    mail = EmailMessage()
    for value in results:
        mail["Authentication-Results"] = value
    if message_id:
        mail["Message-ID"] = message_id
    mail["From"] = sender
    mail["Subject"] = subject
    mail["Date"] = date
    mail.set_content(text)
    return mail


def save(tmp_path: Path, mail: Message, name: str = "log.eml") -> Path:
    path = tmp_path / name
    path.write_bytes(bytes(mail))
    return path


def show(kb: Kb, issue: str) -> dict[str, object]:
    result = kb("show", issue, "--format", "json")
    assert result.exit_code == 0, result.output
    shown: dict[str, object] = json.loads(result.output)
    return shown


def passed(domain: str = "corp.example.cn", server: str = OURS) -> str:
    return (
        f"{server}; dkim=pass header.d={domain} header.s=s1; "
        f"spf=pass smtp.mailfrom={domain}; dmarc=pass (p=reject) header.from={domain}"
    )


def test_nested_multipart_is_read(kb: Kb, sample: Path, tmp_path: Path) -> None:
    inner = message()
    del inner["From"], inner["Subject"], inner["Date"]
    inner.add_attachment(PNG, maintype="image", subtype="png", filename="tax.png")
    # mixed inside mixed inside mixed, as gateways wrap a mail with a disclaimer part
    outer = MIMEMultipart("mixed", _subparts=[inner], policy=policy.default)
    disclaimer = MIMEText("本邮件仅供内部使用。", "plain", "utf-8")
    disclaimer.add_header("Content-Disposition", "inline")
    wrapper = MIMEMultipart("mixed", _subparts=[outer, disclaimer], policy=policy.default)
    for key, value in message().items():
        if key in ("From", "Subject", "Date"):
            wrapper[key] = value
    result = kb("intake", str(save(tmp_path, wrapper)), "--format", "json")
    assert result.exit_code == 0, result.output
    created = json.loads(result.output)["created"]
    assert [c["evidence"] for c in created] == [["records/evidence/ISS-0050/tax.png"]]
    assert "保存后税率变成 0。" in (sample / created[0]["path"]).read_text("utf-8")
    assert kb("check").exit_code == 0


def test_an_alternative_inside_related_inside_mixed(kb: Kb, tmp_path: Path) -> None:
    mail = message()
    mail.add_alternative("<p>问题1：报价单税率取错</p>", subtype="html")
    html = mail.get_payload()[1]
    html.add_related(PNG, maintype="image", subtype="png", cid="<logo>")
    mail.add_attachment(PNG, maintype="image", subtype="png", filename="tax.png")
    result = kb("intake", str(save(tmp_path, mail)), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["created"][0]["evidence"] == [
        "records/evidence/ISS-0050/tax.png"
    ]


@pytest.mark.parametrize(
    ("sender", "results"),
    [
        ("p001@corp.example.cn", ()),  # no verdict at all: the lead's address, spoofed
        ("p001@corp.example.cn", (passed(server="mx.attacker.example"),)),  # not our server
        (
            "p001@corp.example.cn",
            (passed().replace("dkim=pass", "dkim=fail").replace("dmarc=pass", "dmarc=fail"),),
        ),
        ("P001@CORP.EXAMPLE.CN", (passed(domain="attacker.example"),)),  # passes, other domain
        ("Leads: p001@corp.example.cn, p005@corp.example.cn;", (passed(),)),  # group syntax
        ("p001@corp.example.cn, p005@corp.example.cn", (passed(),)),  # two authors
    ],
)
def test_an_unverified_sender_is_a_claim_for_the_lead_to_confirm(
    kb: Kb, sample: Path, tmp_path: Path, sender: str, results: tuple[str, ...]
) -> None:
    configure(sample, authserv_id=OURS)
    result = kb("intake", str(save(tmp_path, message(sender=sender, results=results))))
    assert result.exit_code == 0, result.output
    assert "未经邮件系统验证" in result.output
    assert "上报人 P001 只是自称：确认请用 kb edit ISS-0050 --set reporter_confirmed=true" in (
        result.output
    )
    issue = show(kb, "ISS-0050")
    assert issue["reporter_confirmed"] is False
    assert kb("check").exit_code == 0
    points = kb("points", "--month", "2026-11", "--format", "json")
    assert "ISS-0050" not in points.output
    # The lead confirms (or corrects) the reporter; then it earns points.
    edit = kb("edit", "ISS-0050", "--set", "reporter=P005", "--set", "reporter_confirmed=true")
    assert edit.exit_code == 0, edit.output
    assert "ISS-0050" in kb("points", "--month", "2026-11", "--format", "json").output


def test_a_verified_sender_is_credited(kb: Kb, sample: Path, tmp_path: Path) -> None:
    configure(sample, authserv_id=OURS)
    spoof = f"{OURS}; dkim=fail header.d=corp.example.cn"  # the sender's own, below ours
    mail = message(sender="周雅琴 <P005@Corp.Example.CN>", results=(passed(), spoof))
    result = kb("intake", str(save(tmp_path, mail)))
    assert result.exit_code == 0, result.output
    assert "未经邮件系统验证" not in result.output
    issue = show(kb, "ISS-0050")
    assert (issue["reporter"], issue.get("reporter_confirmed", True)) == ("P005", True)


def test_without_an_authserv_id_nothing_is_verified(kb: Kb, tmp_path: Path) -> None:
    result = kb("intake", str(save(tmp_path, message(results=(passed(),)))))
    assert result.exit_code == 0, result.output
    assert show(kb, "ISS-0050")["reporter_confirmed"] is False


@pytest.mark.parametrize(
    "date",
    ["Mon, 01 Jan 1900 00:00:00 +0000", "Fri, 01 Jan 2038 00:00:00 +0000", "not a date", ""],
)
def test_a_date_outside_the_window_is_not_trusted(
    kb: Kb, sample: Path, tmp_path: Path, date: str
) -> None:
    configure(sample, since="2025-11-01")
    mail = message(date=date)
    if not date:
        del mail["Date"]
    result = kb("intake", str(save(tmp_path, mail)))
    assert result.exit_code == 0, result.output
    issue = show(kb, "ISS-0050")
    assert issue["reported"] == "2026-11-23"  # the day it was received (taken in)
    history = issue["history"]
    assert isinstance(history, list)
    assert any("按收到的日期登记" in entry["text"] for entry in history), history
    assert kb("check").exit_code == 0


def test_one_mail_creates_at_most_the_cap(kb: Kb, sample: Path, tmp_path: Path) -> None:
    configure(sample, max_problems=3)
    text = "".join(f"问题{n}：第 {n} 个\n模块：order\n" for n in range(1, 3001))
    result = kb("intake", str(save(tmp_path, message(text=text))), "--format", "json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert [c["id"] for c in out["created"]] == ["ISS-0050", "ISS-0051", "ISS-0052"]
    assert out["refused"] == [
        "问题 4–3000 没有登记：一封邮件最多登记 3 个问题（crmkb.yml 的 intake.max_problems）；"
        "请把它们放在另一封邮件里发送"
    ]
    assert not (sample / "records/issues/ISS-0053.md").exists()


def test_the_default_cap_is_small(kb: Kb, sample: Path, tmp_path: Path) -> None:
    text = "".join(f"问题{n}：第 {n} 个\n模块：order\n" for n in range(1, 40))
    result = kb("intake", str(save(tmp_path, message(text=text))), "--format", "json")
    assert len(json.loads(result.output)["created"]) == 20


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            {"message_id": "<Log-1123@Corp.Example.CN>"},
            {"message_id": " <log-1123@corp.example.cn> ", "subject": "[External] 问题日报"},
        ),
        (
            {"message_id": "<log-1123@corp.example.cn>"},
            {"message_id": "log-1123@corp.example.cn", "sender": "P005@CORP.example.cn"},
        ),
        ({}, {"subject": "[External] RE: 问题日报", "sender": "P005@Corp.Example.cn"}),
    ],
)
def test_the_same_mail_twice_is_taken_in_once(
    kb: Kb, sample: Path, tmp_path: Path, first: dict[str, str], second: dict[str, str]
) -> None:
    assert kb("intake", str(save(tmp_path, message(**first), "a.eml"))).exit_code == 0
    again = kb("intake", str(save(tmp_path, message(**second), "b.eml")))
    assert (again.exit_code, again.output) == (
        2,
        "error: 这份上报已经登记为 ISS-0050；没有写入任何内容\n",
    )
    assert not (sample / "records/issues/ISS-0051.md").exists()
