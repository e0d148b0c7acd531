"""`kb check` on exam results: regraded from the key, digest-sealed, retake wait enforced."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from exam_kit import dump, key_of
from test_exam_cli import kb, result, take

from crmkb.records.exam_result import ExamResult


def problems(root: Path, today: str = "2026-11-20") -> list[str]:
    run = kb(root, "check", today=today)
    return [line for line in run.stdout.splitlines() if "exam-results" in line]


def rewrite(root: Path, record_id: str, reseal: bool, **changes: Any) -> None:
    data = {**result(root, record_id), **changes}
    if reseal:  # a forger who also recomputes the digest
        data["digest"] = ExamResult.model_validate(data).content_digest()
    dump(root / "records" / "exam-results" / f"{record_id}.yml", data)


def test_a_forged_score_is_rejected(kb_root: Path) -> None:
    take(kb_root, key_of(kb_root, wrong=6))  # every answer wrong: score 0
    rewrite(kb_root, "EXR-0001", reseal=False, score=100, passed=True, expires="2027-11-20")
    found = problems(kb_root)
    path = "records/exam-results/EXR-0001.yml"
    assert any(
        p.startswith(f"{path}:")
        and "score 100 does not follow from the answers: the key gives 0 of 4 correct, score 0" in p
        for p in found
    ), found
    assert any(
        "passed is true but should be false (score 0, pass mark 75, status complete)" in p
        for p in found
    )
    assert any("expires should be absent (only a passed result expires)" in p for p in found)
    assert any("digest mismatch" in p for p in found)
    assert kb(kb_root, "check").exit_code == 1


def test_a_resealed_forgery_still_fails_the_regrade(kb_root: Path) -> None:
    take(kb_root, {})
    rewrite(kb_root, "EXR-0001", reseal=True, score=100, passed=True)
    found = problems(kb_root)
    assert not any("digest" in p for p in found), found
    assert any("score 100 does not follow" in p for p in found)


def test_an_edited_answer_breaks_the_digest(kb_root: Path) -> None:
    take(kb_root, key_of(kb_root))
    rewrite(kb_root, "EXR-0001", reseal=False, duration_seconds=5)
    assert problems(kb_root) == [
        "records/exam-results/EXR-0001.yml:24:9: error: this result differs from what kb exam "
        "wrote (digest mismatch); results are never edited: restore the file from git, and "
        "record a retake as a new result"
    ]


def test_a_result_dated_inside_the_retake_wait_is_rejected(kb_root: Path) -> None:
    take(kb_root, {})
    take(kb_root, key_of(kb_root), today="2026-11-23")
    rewrite(kb_root, "EXR-0002", reseal=True, taken="2026-11-21", expires="2027-11-21")
    found = problems(kb_root, today="2026-11-25")
    assert any(
        "retake on 2026-11-21 is too early: EXR-0001 failed on 2026-11-20 and CERT-T asks for "
        "3 days' wait, so the next attempt is allowed from 2026-11-23" in p
        for p in found
    ), found


def test_a_question_outside_the_exam_pool_is_rejected(kb_root: Path) -> None:
    take(kb_root, {})
    data = result(kb_root, "EXR-0001")
    rewrite(kb_root, "EXR-0001", reseal=True, questions=["Q-OP-01-P1", *data["questions"][1:]])
    found = problems(kb_root)
    assert any(
        "question Q-OP-01-P1 is not in the exam pool of CERT-T's modules" in p for p in found
    ), found


def test_an_incomplete_attempt_never_passes(kb_root: Path) -> None:
    take(kb_root, key_of(kb_root))
    rewrite(kb_root, "EXR-0001", reseal=True, status="incomplete")
    found = problems(kb_root)
    assert any(
        "passed is true but should be false (score 100, pass mark 75, status incomplete)" in p
        for p in found
    ), found
