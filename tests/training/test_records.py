"""What `kb check` says about question banks and certifications (exact messages)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from exam_kit import CERT, dump, exam_bank
from test_exam_cli import kb


def errors(root: Path) -> list[str]:
    run = kb(root, "check")
    return [line for line in run.stdout.splitlines() if ": error: " in line]


def edit_question(root: Path, index: int, **changes: Any) -> None:
    bank = exam_bank(1)
    bank["questions"][index].update(changes)
    dump(root / "records" / "questions" / "QB-OP-01.yml", bank)


@pytest.mark.parametrize(
    ("index", "changes", "message"),
    [
        (0, {"answer": "D"}, "answer 'D' is not one of the options ['A', 'B', 'C']"),
        (1, {"answer": []}, "a multiple-choice answer is a list with at least one option key"),
        (1, {"answer": ["A", "A"]}, "an option key is listed twice in the answer"),
        (0, {"options": {"A": "一样", "B": "一样"}}, "two options have the same text"),
        (2, {"answer": "B"}, "a true_false answer is true or false"),
        (
            0,
            {"text": "考试题1乙：跟进记录的要求有哪些（机密题干1B）？"},
            "duplicate of question Q-OP-01-01",
        ),
        (0, {"section": "不存在的小节"}, "section '不存在的小节' is not a heading in TM-OP-01"),
    ],
)
def test_question_bank_problems(
    kb_root: Path, index: int, changes: dict[str, Any], message: str
) -> None:
    edit_question(kb_root, index, **changes)
    found = errors(kb_root)
    assert any(e.startswith("records/questions/QB-OP-01.yml:") and message in e for e in found), (
        found
    )


def test_a_practice_bank_must_end_in_p(kb_root: Path) -> None:
    path = kb_root / "records" / "questions" / "QB-OP-01-P.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    dump(path, {**data, "pool": "exam"})
    assert any(
        "pool is exam but the id QB-OP-01-P ends in -P; practice banks, and only they, end in -P"
        in e
        for e in errors(kb_root)
    )


@pytest.mark.parametrize(
    ("spread", "message"),
    [
        (
            {"TM-OP-01": 3, "TM-OP-02": 0},
            "spread adds up to 3 questions but questions_per_exam is 4",
        ),
        ({"TM-OP-01": 4}, "spread draws 4 questions from TM-OP-01 but its exam pool holds only 3"),
        (
            {"TM-OP-01": 2, "TM-OP-09": 2},
            "spread names TM-OP-09, which is not one of this certification's modules",
        ),
    ],
)
def test_spread_problems(kb_root: Path, spread: dict[str, int], message: str) -> None:
    dump(kb_root / "records" / "certifications" / "CERT-T.yml", {**CERT, "spread": spread})
    found = errors(kb_root)
    assert any(
        e.startswith("records/certifications/CERT-T.yml:") and message in e for e in found
    ), found


def test_the_even_spread_passes_a_small_pools_shortfall_on() -> None:
    from crmkb.records.certification import Certification

    cert = Certification.model_validate(CERT)
    assert cert.spread_over({"TM-OP-01": 1, "TM-OP-02": 5}) == {"TM-OP-01": 1, "TM-OP-02": 3}
    assert cert.spread_over({"TM-OP-01": 9, "TM-OP-02": 9}) == {"TM-OP-01": 2, "TM-OP-02": 2}


def test_retired_questions_do_not_count_towards_the_pool(kb_root: Path) -> None:
    bank = exam_bank(1)
    for q in bank["questions"][:2]:
        q["retired"] = True
    dump(kb_root / "records" / "questions" / "QB-OP-01.yml", bank)
    assert errors(kb_root) == []  # 1 + 3 drawable questions still make a 4-question paper
    bank["questions"][2]["retired"] = True
    dump(kb_root / "records" / "questions" / "QB-OP-01.yml", bank)
    assert errors(kb_root) == [
        "records/certifications/CERT-T.yml:6:21: error: 4 questions per exam but the exam "
        "pools of its modules hold only 3"
    ]
