"""`kb exam` in a real terminal (a pty): answering, every interruption, end of input, timeout."""

from __future__ import annotations

import signal
from collections.abc import Callable
from pathlib import Path

import pytest
from pty_kit import Terminal, current_question, exam_results, questions_by_text, right_answer
from test_exam_cli import kb, result


def start(term: Terminal) -> None:
    term.expect("开始考试？")
    term.send("y")


def test_answering_every_question_in_the_terminal_passes(kb_root: Path) -> None:
    bank = questions_by_text(kb_root)
    term = Terminal(kb_root)
    start(term)
    for number in range(1, 5):
        block = current_question(term, number, bank)
        if number == 1:
            term.send("Z")  # not an option: asked again, not counted
            term.expect("无法识别“Z”：")
        answer = right_answer(block, bank)
        term.send(answer.lower() if number == 2 else answer)  # option letters in any case
    assert term.wait() == 0, term.text
    assert "EXR-0001：得分 100（及格线 75），通过，有效期至 2027-11-20" in term.text
    assert "第 4/4 题　剩余时间 " in term.text
    assert "answer" not in term.text.lower()  # one language on the exam screen
    assert result(kb_root, "EXR-0001")["via"] == "terminal"
    assert kb(kb_root, "check").exit_code == 0


def ctrl_c(term: Terminal) -> None:
    term.type("\x03")


def ctrl_backslash(term: Terminal) -> None:
    term.type("\x1c")


def sigterm(term: Terminal) -> None:
    term.kill(signal.SIGTERM)


INTERRUPTIONS: list[tuple[str, Callable[[Terminal], None], str]] = [
    ("ctrl-c", ctrl_c, "Ctrl-C"),
    ("ctrl-backslash", ctrl_backslash, "Ctrl-\\"),
    ("sigterm", sigterm, "进程被终止"),
    ("hangup", Terminal.hang_up, "终端已关闭"),
]


@pytest.mark.parametrize(
    ("how", "cause"), [(i[1], i[2]) for i in INTERRUPTIONS], ids=[i[0] for i in INTERRUPTIONS]
)
def test_every_interruption_after_the_first_question_leaves_an_incomplete_result(
    kb_root: Path, how: Callable[[Terminal], None], cause: str
) -> None:
    bank = questions_by_text(kb_root)
    term = Terminal(kb_root)
    start(term)
    term.send(right_answer(current_question(term, 1, bank), bank))
    current_question(term, 2, bank)
    how(term)
    code = term.wait()
    if how is not Terminal.hang_up:  # a closed terminal shows nothing more
        assert code == 1
        assert f"考试已中断（{cause}），已作答 1 题，记为未完成（计为一次未通过）。" in term.text
        assert "已写入 records/exam-results/EXR-0001.yml" in term.text
    assert exam_results(kb_root) == ["EXR-0001.yml"]  # whole, and no temporary file left
    written = result(kb_root, "EXR-0001")
    assert (written["status"], written["passed"], written["score"]) == ("incomplete", False, 25)
    assert kb(kb_root, "check").exit_code == 0
    retry = kb(
        kb_root, "exam", "CERT-T", "--person", "P010", "--answers", "x.yml", today="2026-11-21"
    )
    assert "the next attempt is allowed from 2026-11-23" in retry.stderr


def test_even_sigkill_leaves_the_provisional_incomplete_result(kb_root: Path) -> None:
    """SIGKILL cannot be caught; the incomplete result written before question 1 stays."""
    term = Terminal(kb_root)
    start(term)
    current_question(term, 1, questions_by_text(kb_root))
    term.kill(signal.SIGKILL)
    assert term.wait() == -signal.SIGKILL
    assert exam_results(kb_root) == ["EXR-0001.yml"]
    written = result(kb_root, "EXR-0001")
    assert (written["status"], written["answers"], written["passed"]) == ("incomplete", {}, False)
    assert kb(kb_root, "check").exit_code == 0


def ctrl_d(term: Terminal) -> None:
    term.type("\x04")


@pytest.mark.parametrize(
    "how",
    [ctrl_c, ctrl_d, ctrl_backslash, sigterm, Terminal.hang_up],
    ids=["ctrl-c", "ctrl-d", "ctrl-backslash", "term", "hup"],
)
def test_an_interruption_at_the_start_prompt_writes_nothing(
    kb_root: Path, how: Callable[[Terminal], None]
) -> None:
    term = Terminal(kb_root)
    term.expect("开始考试？")
    how(term)
    assert term.wait() == 1
    if how is not Terminal.hang_up:
        assert "考试未开始，没有留下记录。" in term.text
    assert exam_results(kb_root) == []


@pytest.mark.parametrize(("how", "cause"), [(ctrl_c, "Ctrl-C"), (ctrl_d, "输入已结束")])
def test_interrupted_at_question_one_without_an_answer_the_attempt_counts(
    kb_root: Path, how: Callable[[Terminal], None], cause: str
) -> None:
    """As the README says: once a question is on screen, the attempt is recorded."""
    term = Terminal(kb_root)
    start(term)
    current_question(term, 1, questions_by_text(kb_root))
    how(term)
    assert term.wait() == 1
    assert f"考试已中断（{cause}），已作答 0 题" in term.text
    assert "可于 2026-11-23 起重考。" in term.text
    assert result(kb_root, "EXR-0001")["status"] == "incomplete"


def test_the_time_limit_ends_the_exam_while_waiting_for_an_answer(kb_root: Path) -> None:
    bank = questions_by_text(kb_root)
    # The exam clock runs 120x faster: the 10-minute limit passes after five real seconds,
    # time enough to answer the first question even on a loaded machine.
    term = Terminal(kb_root, ("CRMKB_EXAM_CLOCK_SCALE", "120"))
    start(term)
    term.send(right_answer(current_question(term, 1, bank), bank))
    term.expect("时间到，考试结束。", timeout=30)
    assert term.wait() == 0
    written = result(kb_root, "EXR-0001")
    assert written["timed_out"] is True and written["status"] == "complete"
    assert written["duration_seconds"] == 600 and len(written["answers"]) == 1
    assert written["score"] == 25 and written["passed"] is False
    assert kb(kb_root, "check").exit_code == 0


def test_a_slower_exam_clock_is_refused(kb_root: Path) -> None:
    term = Terminal(kb_root, ("CRMKB_EXAM_CLOCK_SCALE", "0.5"))
    start(term)
    assert term.wait() == 2
    assert "error: CRMKB_EXAM_CLOCK_SCALE='0.5' must be a number of 1 or more" in term.text
    assert exam_results(kb_root) == []
