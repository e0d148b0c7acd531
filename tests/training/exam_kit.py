"""A small knowledge base for the training tests: one role, two modules, one certification.

Imported by name (not as `conftest`) so it never collides with another folder's conftest.
"""

from __future__ import annotations

import subprocess
import tempfile
import textwrap
from functools import cache
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]

PEOPLE = """\
people:
  - {id: P001, name: 王立, roles: [project-lead], joined: 2020-01-01}
  - {id: P010, name: 李娜, roles: [sales-rep], joined: 2026-01-05}
  - {id: P011, name: 王磊, roles: [sales-rep], joined: 2026-02-01}
  - {id: P012, name: 郑浩, roles: [sales-rep], joined: 2020-01-01, active: false}
"""
ROLES = """\
roles:
  - {id: project-lead, name: 项目负责人, certifications: [], proctor: true}
  - {id: sales-rep, name: 业务员, data_rights: {customer: [enter, query]}, certifications: [CERT-T]}
"""
MODULES = """\
modules:
  - {id: customer, name: 客户管理, owner: P001, description: 客户档案}
"""
GUIDE = """\
---
id: {id}
title: {title}
track: operation
roles: [sales-rep]
order: {order}
modules: [customer]
---

## 新建客户

先查重再新建。

## 跟进记录

每条线索都要有跟进记录。
"""
CERT = {
    "id": "CERT-T",
    "name": "测试上岗证",
    "modules": ["TM-OP-01", "TM-OP-02"],
    "questions_per_exam": 4,
    "pass_mark": 75,
    "time_limit_minutes": 10,
    "validity_months": 12,
    "retake_wait_days": 3,
}


def exam_bank(n: int) -> dict[str, Any]:
    """Exam pool QB-OP-0n: three questions, one of each type, with distinctive texts."""
    return {
        "id": f"QB-OP-0{n}",
        "module": f"TM-OP-0{n}",
        "pool": "exam",
        "questions": [
            {
                "id": f"Q-OP-0{n}-01",
                "type": "single",
                "text": f"考试题{n}甲：新建客户前第一步做什么（机密题干{n}A）？",
                "options": {"A": f"机密选项{n}A1", "B": f"机密选项{n}A2", "C": f"机密选项{n}A3"},
                "answer": "B",
                "explanation": f"机密解析{n}A",
                "section": "新建客户",
            },
            {
                "id": f"Q-OP-0{n}-02",
                "type": "multiple",
                "text": f"考试题{n}乙：跟进记录的要求有哪些（机密题干{n}B）？",
                "options": {"A": f"机密选项{n}B1", "B": f"机密选项{n}B2", "C": f"机密选项{n}B3"},
                "answer": ["A", "C"],
                "explanation": f"机密解析{n}B",
                "section": "跟进记录",
            },
            {
                "id": f"Q-OP-0{n}-03",
                "type": "true_false",
                "text": f"考试题{n}丙：可以不写跟进记录（机密题干{n}C）。",
                "answer": False,
                "explanation": f"机密解析{n}C",
                "section": "跟进记录",
            },
        ],
    }


PRACTICE = {
    "id": "QB-OP-01-P",
    "module": "TM-OP-01",
    "pool": "practice",
    "questions": [
        {
            "id": "Q-OP-01-P1",
            "type": "single",
            "text": "练习：新建客户时先做哪一步？",
            "options": {"A": "直接保存", "B": "按信用代码查重", "C": "打电话给客户"},
            "answer": "B",
            "explanation": "先查重，避免重复客户。",
            "section": "新建客户",
        },
        {
            "id": "Q-OP-01-P2",
            "type": "multiple",
            "text": "练习：跟进记录应包括哪些？",
            "options": {"A": "跟进日期", "B": "同事的工资", "C": "具体内容"},
            "answer": ["A", "C"],
            "explanation": "跟进记录写日期和具体内容。",
            "section": "跟进记录",
        },
        {
            "id": "Q-OP-01-P3",
            "type": "true_false",
            "text": "练习：无效线索也要写无效原因。",
            "answer": True,
            "explanation": "无效线索要填写无效原因。",
            "section": "跟进记录",
        },
    ],
}


def dump(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def proctor_key(name: str = "P001") -> Path:
    """A throwaway ed25519 key for a test proctor, made once per test process."""
    return _key(name)


@cache
def _key(name: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="crmkb-test-keys-"))
    key = folder / name
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(key)], check=True
    )
    return key


def allow(root: Path, *names: str) -> None:
    """List these test proctors' public keys in the repository's allowed signers file."""
    lines = [
        f'{name} namespaces="crmkb-exam-result" '
        + proctor_key(name).with_suffix(".pub").read_text(encoding="ascii").strip()
        for name in names
    ]
    path = root / "records" / "proctors" / "allowed_signers"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="ascii")


def make_kb(root: Path) -> Path:
    (root / "records").mkdir(parents=True)
    (root / "crmkb.yml").write_text("language: zh\ncalendar: weekends\n", encoding="utf-8")
    (root / "records" / "people.yml").write_text(PEOPLE, encoding="utf-8")
    (root / "records" / "roles.yml").write_text(ROLES, encoding="utf-8")
    (root / "records" / "modules.yml").write_text(MODULES, encoding="utf-8")
    for n, title in ((1, "客户管理"), (2, "跟进管理")):
        guide = GUIDE.format(id=f"TM-OP-0{n}", title=title, order=n)
        path = root / "records" / "training" / f"TM-OP-0{n}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(guide, encoding="utf-8")
        dump(root / "records" / "questions" / f"QB-OP-0{n}.yml", exam_bank(n))
    dump(root / "records" / "questions" / "QB-OP-01-P.yml", PRACTICE)
    dump(root / "records" / "certifications" / "CERT-T.yml", CERT)
    allow(root, "P001")
    return root


def key_of(root: Path, wrong: int = 0) -> dict[str, Any]:
    """Answers to every exam-pool question: the key, with the first `wrong` of them wrong."""
    answers: dict[str, Any] = {}
    for path in sorted((root / "records" / "questions").glob("QB-*.yml")):
        bank = yaml.safe_load(path.read_text(encoding="utf-8"))
        if bank["pool"] != "exam":
            continue
        for q in bank["questions"]:
            answers[q["id"]] = q["answer"]
    for qid in list(answers)[:wrong]:
        answers[qid] = wrong(answers[qid])
    return answers


def wrong(answer: Any) -> Any:
    if isinstance(answer, bool):
        return not answer
    if isinstance(answer, list):
        return ["B"]
    return "A" if answer != "A" else "B"


def sheet(path: Path, answers: dict[str, Any], seconds: float | None = None) -> Path:
    data: dict[str, Any] = {"answers": answers}
    if seconds is not None:
        data["seconds_per_answer"] = seconds
    dump(path, data)
    return path


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")
