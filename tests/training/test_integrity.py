"""`kb check` on exam results: signed by a proctor, a paper the certification could draw,
regraded from the key, retake wait enforced."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from exam_kit import ROLES, allow, key_of, proctor_key, sheet
from test_exam_cli import kb, result, take

from crmkb.signatures import ALLOWED_SIGNERS, Signer, find_proctor
from crmkb.training.filing import render, seal

PATH = "records/exam-results/EXR-0001.yml"


def problems(root: Path, today: str = "2026-11-20") -> list[str]:
    run = kb(root, "check", today=today)
    return [line for line in run.stdout.splitlines() if "exam-results" in line]


def rewrite(root: Path, record_id: str, reseal: bool, **changes: Any) -> None:
    """Change a result; `reseal` has the proctor P001 sign the changed result again."""
    data = {**result(root, record_id), **changes}
    data.pop("id")
    if reseal:
        allowed = root / ALLOWED_SIGNERS
        signer = Signer(proctor_key(), allowed)
        signer = Signer(signer.key, allowed, find_proctor(allowed, signer.sign(b"x")) or "")
        data = seal({k: v for k, v in data.items() if k not in ("proctor", "signature")}, signer)
    write(root, record_id, data)


def write(root: Path, record_id: str, data: dict[str, Any]) -> None:
    path = root / "records" / "exam-results" / f"{record_id}.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(record_id, data)[1], encoding="utf-8")


def test_the_ten_line_forgery_is_rejected(kb_root: Path) -> None:
    """The issue's forgery: one question, its answer copied from the bank, score 100."""
    bank = yaml.safe_load((kb_root / "records/questions/QB-OP-01.yml").read_text("utf-8"))
    first = bank["questions"][0]
    forged = {
        "person": "P010",
        "certification": "CERT-T",
        "taken": "2026-11-20",
        "duration_seconds": 300,
        "questions": [first["id"]],
        "answers": {first["id"]: first["answer"]},
        "score": 100,
        "passed": True,
        "expires": "2027-11-20",
    }
    write(kb_root, "EXR-0001", forged)
    assert problems(kb_root) == [
        f"{PATH}:1:1: error: this result has no proctor and signature, so it certifies nothing: "
        "results are written and signed by kb exam with a proctor's key "
        "(kb exam CERT --person ID --key KEY)",
        f"{PATH}:6:12: error: 1 questions, but CERT-T draws exactly 4 per exam",
    ]
    status = kb(kb_root, "cert", "status", "--person", "P010")
    assert status.exit_code == 1


def test_a_forgery_signed_with_a_key_that_is_not_a_proctors_is_rejected(kb_root: Path) -> None:
    take(kb_root, {})
    data = {**result(kb_root, "EXR-0001"), "score": 100, "passed": True}
    data = {k: v for k, v in data.items() if k not in ("id", "proctor", "signature")}
    intruder = Signer(proctor_key("P666"), kb_root / ALLOWED_SIGNERS, "P001")
    write(kb_root, "EXR-0001", seal(data, intruder))
    found = problems(kb_root)
    assert any(
        p.startswith(f"{PATH}:")
        and "the signature does not verify for proctor P001" in p
        and "restore the file from git" in p
        for p in found
    ), found


def test_the_answers_file_drill_needs_a_proctors_key(kb_root: Path) -> None:
    drill = str(sheet(kb_root.parent / "key.yml", key_of(kb_root)))
    args = ["exam", "CERT-T", "--person", "P010", "--answers", drill]
    no_agent = kb(kb_root, *args)
    assert no_agent.exit_code == 1
    assert "no --key given and no ssh agent running; pass --key PATH" in no_agent.stderr
    stranger = kb(kb_root, *args, "--key", str(proctor_key("P010")))
    assert stranger.exit_code == 1
    assert "is not a proctor's: its public key is not in records/proctors" in stranger.stderr
    assert not (kb_root / "records" / "exam-results").exists()
    # A candidate who is a proctor still cannot sign their own paper.
    allow(kb_root, "P001", "P010")
    roles = kb_root / "records/roles.yml"
    roles.write_text(ROLES.replace("[CERT-T]}", "[CERT-T], proctor: true}"), encoding="utf-8")
    own = kb(kb_root, *args, "--key", str(proctor_key("P010")))
    assert (own.exit_code, own.stderr) == (
        2,
        "error: P010 cannot proctor their own exam; another proctor signs it\n",
    )


def test_a_drill_result_written_by_hand_is_rejected(kb_root: Path) -> None:
    take(kb_root, key_of(kb_root))
    data = result(kb_root, "EXR-0001")
    del data["signature"]
    (kb_root / PATH).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    found = problems(kb_root)
    assert found == [
        f"{PATH}:1:1: error: this result has no signature, so it certifies nothing: results "
        "are written and signed by kb exam with a proctor's key "
        "(kb exam CERT --person ID --key KEY)"
    ]


def test_too_few_questions_are_rejected_even_when_signed(kb_root: Path) -> None:
    take(kb_root, key_of(kb_root))
    data = result(kb_root, "EXR-0001")
    kept = data["questions"][:3]
    answers = {q: a for q, a in data["answers"].items() if q in kept}
    rewrite(kb_root, "EXR-0001", reseal=True, questions=kept, answers=answers)
    assert problems(kb_root) == [
        f"{PATH}:9:12: error: 3 questions, but CERT-T draws exactly 4 per exam"
    ]


def test_a_paper_off_the_spread_is_rejected(kb_root: Path) -> None:
    take(kb_root, {})
    off = ["Q-OP-01-01", "Q-OP-01-02", "Q-OP-01-03", "Q-OP-02-01"]
    rewrite(kb_root, "EXR-0001", reseal=True, questions=off)
    assert problems(kb_root) == [
        f"{PATH}:9:12: error: the questions do not follow CERT-T's spread over its modules: "
        "drawn TM-OP-01: 3, TM-OP-02: 1; expected TM-OP-01: 2, TM-OP-02: 2"
    ]


def test_an_edited_result_breaks_the_signature(kb_root: Path) -> None:
    take(kb_root, key_of(kb_root))
    rewrite(kb_root, "EXR-0001", reseal=False, duration_seconds=5)
    assert problems(kb_root) == [
        f"{PATH}:19:12: error: the signature does not verify for proctor P001 (Signature "
        "verification failed: incorrect signature): the result changed after it was signed, "
        "or the key is not that proctor's key in records/proctors/allowed_signers; restore the "
        "file from git"
    ]


def test_a_copied_result_is_caught(kb_root: Path) -> None:
    take(kb_root, key_of(kb_root))
    copy = kb_root / "records" / "exam-results" / "EXR-0002.yml"
    copy.write_text((kb_root / PATH).read_text("utf-8").replace("EXR-0001", "EXR-0002"), "utf-8")
    assert problems(kb_root) == [
        "records/exam-results/EXR-0002.yml:19:12: error: this is a copy of EXR-0001 (the same "
        "signed sitting); delete the copy"
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


def test_remembered_verdicts_never_cover_a_change(kb_root: Path, signature_cache: Path) -> None:
    take(kb_root, key_of(kb_root))
    signed = (kb_root / PATH).read_text("utf-8")
    assert problems(kb_root) == [] and len(signature_cache.read_text().split()) == 1
    rewrite(kb_root, "EXR-0001", reseal=False, duration_seconds=5)
    assert len(problems(kb_root)) == 1  # other bytes: verified again, and refused
    (kb_root / PATH).write_text(signed, "utf-8")
    assert problems(kb_root) == []
    allow(kb_root, "P002")  # P001 is no longer a proctor: the remembered verdict is void
    assert any("P001 is not a proctor" in p for p in problems(kb_root))
