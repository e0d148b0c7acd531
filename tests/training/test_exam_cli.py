"""`kb exam --answers`: drawing, grading, time limit, retake wait, and what `kb check` accepts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from exam_kit import CERT, dump, key_of, proctor_key, sheet

from crmkb.cli import main

DAY = "2026-11-20"


def kb(root: Path, *args: str, today: str = DAY) -> Result:
    runner = CliRunner()
    return runner.invoke(main, [*args, "--root", str(root)], env={"CRMKB_TODAY": today})


def take(
    root: Path,
    answers: dict[str, Any],
    *,
    today: str = DAY,
    person: str = "P010",
    seed: int = 1,
    seconds: float | None = None,
) -> Result:
    path = sheet(root.parent / f"answers-{today}-{person}.yml", answers, seconds)
    return kb(
        root,
        "exam",
        "CERT-T",
        "--person",
        person,
        "--answers",
        str(path),
        "--seed",
        str(seed),
        "--key",
        str(proctor_key()),
        today=today,
    )


def result(root: Path, record_id: str) -> dict[str, Any]:
    path = root / "records" / "exam-results" / f"{record_id}.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_a_passing_attempt_writes_a_result_that_kb_check_accepts(kb_root: Path) -> None:
    run = take(kb_root, key_of(kb_root))
    assert run.exit_code == 0, run.output
    assert run.stdout == (
        "EXR-0001：得分 100（及格线 75），通过，有效期至 2027-11-20\n"
        "已写入 records/exam-results/EXR-0001.yml，请项目负责人通过 pull request 提交。\n"
    )
    written = result(kb_root, "EXR-0001")
    assert written["status"] == "complete" and written["via"] == "answers-file"
    assert written["passed"] is True and str(written["expires"]) == "2027-11-20"
    modules = sorted(q[:7] for q in written["questions"])
    assert modules == ["Q-OP-01", "Q-OP-01", "Q-OP-02", "Q-OP-02"]  # even spread
    assert list(written) == [
        "id",
        "person",
        "certification",
        "taken",
        "duration_seconds",
        "status",
        "timed_out",
        "via",
        "questions",
        "answers",
        "score",
        "passed",
        "expires",
        "proctor",
        "signature",
    ]
    assert kb(kb_root, "check").exit_code == 0


def test_a_failing_attempt_names_modules_to_revise_and_the_retake_date(kb_root: Path) -> None:
    run = take(kb_root, {})
    assert run.exit_code == 0
    assert run.stdout.splitlines()[:3] == [
        "EXR-0001：得分 0（及格线 75），未通过",
        "可于 2026-11-23 起重考。",
        "建议复习：TM-OP-01 客户管理；TM-OP-02 跟进管理",
    ]
    assert result(kb_root, "EXR-0001")["passed"] is False
    assert "expires" not in result(kb_root, "EXR-0001")


def test_the_same_seed_draws_the_same_paper(kb_root: Path) -> None:
    take(kb_root, {}, seed=5)
    take(kb_root, {}, seed=5, person="P011")
    assert result(kb_root, "EXR-0001")["questions"] == result(kb_root, "EXR-0002")["questions"]


def test_an_explicit_spread_is_followed(kb_root: Path) -> None:
    dump(
        kb_root / "records" / "certifications" / "CERT-T.yml",
        {**CERT, "spread": {"TM-OP-01": 3, "TM-OP-02": 1}},
    )
    take(kb_root, {})
    drawn = result(kb_root, "EXR-0001")["questions"]
    assert sum(q.startswith("Q-OP-01") for q in drawn) == 3


def test_a_retake_prefers_questions_not_seen_before(kb_root: Path) -> None:
    take(kb_root, {}, seed=1)
    take(kb_root, {}, seed=2, today="2026-11-23")
    first = set(result(kb_root, "EXR-0001")["questions"])
    second = set(result(kb_root, "EXR-0002")["questions"])
    # Each module has 3 questions and 2 are drawn: the one unseen in each must come now.
    unseen = {f"Q-OP-0{m}-0{n}" for m in (1, 2) for n in (1, 2, 3)} - first
    assert unseen <= second and len(unseen) == 2


def test_a_retake_before_the_wait_is_refused(kb_root: Path) -> None:
    take(kb_root, {})
    early = take(kb_root, key_of(kb_root), today="2026-11-22")
    assert early.exit_code == 1
    assert early.stderr == (
        "error: P010 did not pass CERT-T on 2026-11-20 (EXR-0001); the retake wait is 3 days, "
        "so the next attempt is allowed from 2026-11-23\n"
    )
    assert not (kb_root / "records" / "exam-results" / "EXR-0002.yml").exists()
    on_time = take(kb_root, key_of(kb_root), today="2026-11-23")
    assert on_time.exit_code == 0
    assert on_time.stdout.startswith("EXR-0002：得分 100（及格线 75），通过，有效期至 2027-11-23")


def test_answers_after_the_time_limit_do_not_count(kb_root: Path) -> None:
    # 10-minute limit, 200 s per answer: answers 1-3 arrive at 200/400/600 s, the 4th at 800 s.
    run = take(kb_root, key_of(kb_root), seconds=200)
    assert run.stdout.splitlines()[0] == (
        "EXR-0001：得分 75（及格线 75），通过，有效期至 2027-11-20（超时，按截止前的作答评分）"
    )
    written = result(kb_root, "EXR-0001")
    assert written["timed_out"] is True and written["status"] == "complete"
    assert written["duration_seconds"] == 600
    assert list(written["answers"]) == written["questions"][:3]
    assert kb(kb_root, "check").exit_code == 0


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        (
            {"Q-OP-01-01": "Z"},
            "answers file: Q-OP-01-01: 'Z' is not valid; answer with option keys from A, B, C",
        ),
        (
            {"Q-OP-01-03": "maybe"},
            "answers file: Q-OP-01-03: 'maybe' is not valid; answer true or false (对 / 错)",
        ),
        (
            {"Q-XX-99": "A"},
            "answers file names Q-XX-99, which is in no question bank; "
            "fix the question id or remove it",
        ),
    ],
)
def test_a_bad_answers_file_says_what_to_fix(
    kb_root: Path, answers: dict[str, Any], message: str
) -> None:
    # Every question is drawn, so the bad answer is always read.
    dump(kb_root / "records" / "certifications" / "CERT-T.yml", {**CERT, "questions_per_exam": 6})
    run = kb(
        kb_root,
        "exam",
        "CERT-T",
        "--person",
        "P010",
        "--answers",
        str(sheet(kb_root.parent / "a.yml", answers)),
        "--seed",
        "1",
        "--key",
        str(proctor_key()),
    )
    assert run.exit_code == 2
    assert run.stderr == f"error: {message}\n"
    assert not (kb_root / "records" / "exam-results").exists() or not any(
        (kb_root / "records" / "exam-results").iterdir()
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["CERT-NOPE", "--person", "P010"],
            "unknown certification 'CERT-NOPE'; choose one of: CERT-T",
        ),
        (
            ["CERT-T", "--person", "P999"],
            "unknown person 'P999'; people are listed in records/people.yml",
        ),
        (["CERT-T", "--person", "P012"], "P012 郑浩 is not active in records/people.yml"),
    ],
)
def test_bad_arguments_exit_2_with_a_fix(kb_root: Path, args: list[str], message: str) -> None:
    run = kb(kb_root, "exam", *args, "--answers", str(sheet(kb_root.parent / "a.yml", {})))
    assert (run.exit_code, run.stderr) == (2, f"error: {message}\n")


def test_without_key_the_proctors_key_in_the_ssh_agent_signs(kb_root: Path, tmp_path: Path) -> None:
    import os
    import re
    import signal
    import subprocess

    socket = tmp_path / "agent.sock"
    started = subprocess.run(
        ["ssh-agent", "-s", "-a", str(socket)], capture_output=True, text=True, check=True
    )
    found = re.search(r"SSH_AGENT_PID=(\d+)", started.stdout)
    assert found, started.stdout
    env = {**os.environ, "SSH_AUTH_SOCK": str(socket)}
    try:
        subprocess.run(["ssh-add", "-q", str(proctor_key())], env=env, check=True)
        path = sheet(kb_root.parent / "paper.yml", key_of(kb_root))
        run = CliRunner().invoke(
            main,
            ["exam", "CERT-T", "--person", "P010", "--answers", str(path), "--root", str(kb_root)],
            env={"CRMKB_TODAY": DAY, "SSH_AUTH_SOCK": str(socket)},
        )
        assert run.exit_code == 0, run.output
        assert result(kb_root, "EXR-0001")["proctor"] == "P001"
        assert kb(kb_root, "check").exit_code == 0
    finally:
        os.kill(int(found.group(1)), signal.SIGTERM)
