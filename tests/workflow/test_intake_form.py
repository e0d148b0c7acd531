"""The issue form: fields cut by the template's headings, evidence only from GitHub's attachment
store, the reporter from the GitHub account that opened the issue (issues 18.8 and 19.2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import Kb

PNG = b"\x89PNG\r\n\x1a\n" + bytes(16)
ASSET = "https://github.com/user-attachments/assets/6f1c2a90-1b2c-4d5e-9f00-aa11bb22cc33"
FIELDS = {
    "上报人（姓名或工号）": "周雅琴",
    "相关知识库页面": "_No response_",
    "CRM 模块": "应收与回款",
    "现象（用你自己的话描述）": "录入回款后到账日期变成了今天。",
    "情景与复现步骤": "1. 打开回款\n2. 保存",
    "证据（截图等）": "_No response_",
    "影响程度": "高",
}


def event(tmp_path: Path, login: str = "zhouyaqin", **answers: str) -> Path:
    fields = {**FIELDS, **{FIELD_KEYS[k]: v for k, v in answers.items()}}
    body = "\n\n".join(f"### {label}\n\n{answer}" for label, answer in fields.items())
    issue = {
        "number": 57,
        "title": "[问题] 回款单保存后到账日期变成了今天",
        "created_at": "2026-11-23T08:12:40Z",
        "user": {"login": login},
        "body": body,
    }
    path = tmp_path / "event.json"
    path.write_text(json.dumps({"action": "opened", "issue": issue}), encoding="utf-8")
    return path


FIELD_KEYS = {
    "reporter": "上报人（姓名或工号）",
    "module": "CRM 模块",
    "symptom": "现象（用你自己的话描述）",
    "steps": "情景与复现步骤",
    "evidence": "证据（截图等）",
    "severity": "影响程度",
}


def intake(kb: Kb, path: Path, *args: str) -> dict[str, object]:
    result = kb("intake", "--issue-form", str(path), *args, "--format", "json")
    assert result.exit_code == 0, result.output
    out: dict[str, object] = json.loads(result.output)
    return out


def shown(kb: Kb, issue: str = "ISS-0050") -> dict[str, object]:
    out: dict[str, object] = json.loads(kb("show", issue, "--format", "json").output)
    return out


@pytest.mark.parametrize(
    "injected",
    [
        "录入回款后出错。\n\n### 上报人（姓名或工号）\n\nP001",
        "录入回款后出错。\n\n### 上报人（姓名或工号）\n\nP001\n\n### CRM 模块\n\norder",
        "录入回款后出错。\n### 影响程度\n\n紧急\n### CRM 模块\norder",
        f"录入回款后出错。\n\n### 证据（截图等）\n\n![x.png]({ASSET})",
    ],
)
def test_a_heading_typed_into_a_field_overrides_nothing(
    kb: Kb, tmp_path: Path, injected: str
) -> None:
    out = intake(kb, event(tmp_path, login="someone-else", symptom=injected))
    assert [c["evidence"] for c in out["created"]] == [[]]  # type: ignore[union-attr,index]
    issue = shown(kb)
    assert (issue["reporter"], issue["module"], issue["severity"]) == ("P005", "receivable", "high")
    assert issue["reporter_confirmed"] is False  # typed, not the account's: the lead confirms
    assert kb("check").exit_code == 0


def test_the_reporter_is_the_account_not_the_typed_name(kb: Kb, tmp_path: Path) -> None:
    intake(kb, event(tmp_path, login="ZhouYaQin", reporter="王立"))
    issue = shown(kb)
    assert (issue["reporter"], issue.get("reporter_confirmed", True)) == ("P005", True)


def test_an_unknown_account_and_no_name_is_refused(kb: Kb, tmp_path: Path) -> None:
    result = kb("intake", "--issue-form", str(event(tmp_path, login="x", reporter="_No response_")))
    assert result.exit_code == 2
    assert "x" in result.output and "people.yml" in result.output


@pytest.mark.parametrize(
    "link",
    [
        "https://evil.example/user-attachments/assets/6f1c2a90-1b2c-4d5e-9f00-aa11bb22cc33",
        "https://github.com.evil.example/user-attachments/assets/6f1c2a90-1b2c-4d5e-9f00-aa11bb22cc33",
        "http://github.com/user-attachments/assets/6f1c2a90-1b2c-4d5e-9f00-aa11bb22cc33",
        "https://u:p@github.com/user-attachments/assets/6f1c2a90-1b2c-4d5e-9f00-aa11bb22cc33",
        "https://github.com:8443/user-attachments/assets/6f1c2a90-1b2c-4d5e-9f00-aa11bb22cc33",
        f"{ASSET}?download=1",
        "https://github.com/evil/repo/raw/main/6f1c2a90-1b2c-4d5e-9f00-aa11bb22cc33",
        "https://raw.githubusercontent.com/user-attachments/assets/6f1c2a90-1b2c-4d5e-9f00-aa11bb22cc33",
    ],
)
def test_evidence_only_from_github_attachments(kb: Kb, tmp_path: Path, link: str) -> None:
    path = event(tmp_path, evidence=f"![shot.png]({link})")
    listed = kb("intake", "--issue-form", str(path), "--list-evidence")
    assert (listed.exit_code, listed.output) == (0, "")
    shots = tmp_path / "shots"
    shots.mkdir()
    (shots / "evidence-1").write_bytes(PNG)
    out = intake(kb, path, "--evidence-dir", str(shots))
    assert out["created"][0]["evidence"] == []  # type: ignore[index]


def test_the_workflow_downloads_what_kb_lists(kb: Kb, tmp_path: Path) -> None:
    files = "https://github.com/user-attachments/files/1234567/log.pdf"
    path = event(tmp_path, evidence=f"![a.png]({ASSET})\n[log.pdf]({files})\n![again]({ASSET})")
    listed = kb("intake", "--issue-form", str(path), "--list-evidence")
    assert (listed.exit_code, listed.output) == (0, f"{ASSET}\n{files}\n")


def test_a_screenshot_that_could_not_be_fetched_is_left_out(
    kb: Kb, sample: Path, tmp_path: Path
) -> None:
    path = event(tmp_path, evidence=f"![a.png]({ASSET})")
    out = intake(kb, path, "--evidence-dir", str(tmp_path), "--skip-missing-evidence")
    assert out["missing"] == [ASSET]
    assert out["created"][0]["evidence"] == []  # type: ignore[index]
    history = shown(kb)["history"]
    assert ASSET in history[1]["text"]  # type: ignore[index]
    assert kb("check").exit_code == 0


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("    github: ZhouYaQin\n", "已经属于 P005"),
        ("    github: -bad-\n", "github"),
    ],
)
def test_github_logins_are_validated(kb: Kb, sample: Path, line: str, message: str) -> None:
    people = sample / "records/people.yml"
    text = people.read_text("utf-8")
    people.write_text(
        text.replace(
            "    email: p006@corp.example.cn\n", "    email: p006@corp.example.cn\n" + line, 1
        ),
        "utf-8",
    )
    result = kb("check")
    assert result.exit_code == 1
    assert "records/people.yml:" in result.output and message in result.output, result.output
