"""`kb cert status`: valid, expiring, expired, missing; JSON; exit 1 when someone lacks one."""

from __future__ import annotations

import json
from pathlib import Path

from exam_kit import key_of
from test_exam_cli import kb, take


def test_states_and_the_gate(kb_root: Path) -> None:
    take(kb_root, key_of(kb_root), today="2025-12-01", person="P010")  # expires 2026-12-01
    take(kb_root, {}, today="2026-11-19", person="P011")  # failed: wait until 2026-11-22
    run = kb(kb_root, "cert", "status")
    assert run.exit_code == 1
    assert run.stdout == (
        "P010  李娜    CERT-T      expiring  2026-12-01  EXR-0001\n"
        "P011  王磊    CERT-T      missing   -           - retake from 2026-11-22\n"
    )
    assert run.stderr == (
        "2 people, 2 required certifications: 0 valid, 1 expiring, 0 expired, 1 missing\n"
        "1 person lacks a valid required certification: P011; "
        "they take it with: kb exam CERT --person ID\n"
    )


def test_everyone_certified_exits_0_and_expiry_is_exclusive(kb_root: Path) -> None:
    take(kb_root, key_of(kb_root), today="2026-01-10", person="P010")
    take(kb_root, key_of(kb_root), today="2026-06-01", person="P011")
    assert kb(kb_root, "cert", "status", today="2027-01-09").exit_code == 0
    last_day = kb(kb_root, "cert", "status", today="2027-01-10")
    assert last_day.exit_code == 1
    assert "P010  李娜    CERT-T      expired   2027-01-10  EXR-0001" in last_day.stdout


def test_json_format(kb_root: Path) -> None:
    take(kb_root, key_of(kb_root), person="P010")
    run = kb(kb_root, "cert", "status", "--format", "json")
    assert run.exit_code == 1
    payload = json.loads(run.stdout)
    assert payload == {
        "date": "2026-11-20",
        "lacking": 1,
        "standings": [
            {
                "person": "P010",
                "name": "李娜",
                "roles": ["sales-rep"],
                "certification": "CERT-T",
                "state": "valid",
                "result": "EXR-0001",
                "passed_on": "2026-11-20",
                "expires": "2027-11-20",
                "retake_from": None,
            },
            {
                "person": "P011",
                "name": "王磊",
                "roles": ["sales-rep"],
                "certification": "CERT-T",
                "state": "missing",
                "result": None,
                "passed_on": None,
                "expires": None,
                "retake_from": None,
            },
        ],
    }


def test_one_person(kb_root: Path) -> None:
    take(kb_root, key_of(kb_root), person="P010")
    run = kb(kb_root, "cert", "status", "--person", "P010")
    assert (run.exit_code, run.stdout) == (
        0,
        "P010  李娜    CERT-T      valid     2027-11-20  EXR-0001\n",
    )
    bad = kb(kb_root, "cert", "status", "--person", "P999")
    assert (bad.exit_code, bad.stderr) == (
        2,
        "error: unknown person 'P999'; people are listed in records/people.yml\n",
    )


def test_expiring_lists_only_certificates_to_renew_and_exits_0(kb_root: Path) -> None:
    take(kb_root, key_of(kb_root), today="2025-12-01", person="P010")  # expires 2026-12-01
    take(kb_root, key_of(kb_root), today="2026-06-01", person="P011")  # expires 2027-06-01
    run = kb(kb_root, "cert", "status", "--expiring", "30")
    assert run.exit_code == 0
    assert run.stdout == "P010  李娜    CERT-T      expiring  2026-12-01  EXR-0001\n"
    assert kb(kb_root, "cert", "status", "--expiring", "10").stdout == ""


def test_the_register_marks_expiring_certificates(kb_root: Path) -> None:
    import datetime as dt

    from crmkb.knowledge_base import load
    from crmkb.site.pages import render_register  # the site's own import order

    take(kb_root, key_of(kb_root), today="2025-12-01", person="P010")  # expires 2026-12-01
    page = render_register(load(kb_root, today=dt.date(2026, 11, 20)), dt.date(2026, 11, 20))
    assert '<span class="crmkb-register-expiring">即将到期（剩 11 天）</span>' in page
    assert '<span class="crmkb-register-missing">未取得</span>' in page  # P011
