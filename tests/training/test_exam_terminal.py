"""`kb exam` in a terminal, end to end in a subprocess: answering, Ctrl-C, end of input, timeout."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import yaml
from exam_kit import proctor_key
from test_exam_cli import kb, result

KB = Path(sys.executable).parent / "kb"


class Terminal:
    """A `kb exam` process driven through pipes, with a small expect()."""

    def __init__(self, root: Path, *env: tuple[str, str]) -> None:
        environment = {
            **os.environ,
            "CRMKB_TODAY": "2026-11-20",
            "PYTHONUNBUFFERED": "1",
            **dict(env),
        }
        self.proc = subprocess.Popen(
            [
                *(str(KB), "exam", "CERT-T", "--person", "P010", "--seed", "3"),
                *("--key", str(proctor_key()), "--root", str(root)),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=environment,
        )
        self.out = b""
        self._lock = threading.Lock()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        while chunk := os.read(self.proc.stdout.fileno(), 4096):
            with self._lock:
                self.out += chunk

    @property
    def text(self) -> str:
        with self._lock:
            return self.out.decode("utf-8", "replace")

    def expect(self, marker: str, count: int = 1, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while self.text.count(marker) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"never saw {marker!r} x{count}; output so far:\n{self.text}")
            time.sleep(0.02)
        return self.text

    def send(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write((line + "\n").encode())
        self.proc.stdin.flush()

    def finish(self, timeout: float = 20) -> tuple[int, str]:
        if self.proc.stdin and not self.proc.stdin.closed:
            self.proc.stdin.close()
        code = self.proc.wait(timeout)
        assert self.proc.stderr is not None
        return code, self.proc.stderr.read().decode()


def questions_by_text(root: Path) -> dict[str, tuple[str, Any]]:
    found = {}
    for path in (root / "records" / "questions").glob("QB-OP-0?.yml"):
        for q in yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]:
            found[q["text"]] = (q["type"], q["answer"])
    return found


def typed(kind: str, answer: Any) -> str:
    if kind == "true_false":
        return "对" if answer else "错"
    return ",".join(answer) if isinstance(answer, list) else str(answer)


def current_question(term: Terminal, number: int, bank: dict[str, tuple[str, Any]]) -> str:
    marker = f"第 {number}/4 题"
    term.expect(marker)
    deadline = time.monotonic() + 20
    while "答案（" not in (block := term.text.split(marker, 1)[1]):
        assert time.monotonic() < deadline, term.text
        time.sleep(0.02)
    return next(text for text in bank if text in block)


def exam_results(root: Path) -> list[str]:
    folder = root / "records" / "exam-results"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_answering_every_question_in_the_terminal_passes(kb_root: Path) -> None:
    bank = questions_by_text(kb_root)
    term = Terminal(kb_root)
    term.expect("开始考试？")
    term.send("y")
    for number in range(1, 5):
        text = current_question(term, number, bank)
        if number == 1:
            term.send("Z")  # not an option: asked again, not counted
            term.expect("无法识别 'Z'")
        term.send(typed(*bank[text]))
    code, err = term.finish()
    assert (code, err) == (0, "")
    assert "EXR-0001：得分 100（及格线 75），通过，有效期至 2027-11-20" in term.text
    assert "第 4/4 题　剩余时间 " in term.text
    assert result(kb_root, "EXR-0001")["via"] == "terminal"
    assert kb(kb_root, "check").exit_code == 0


def test_ctrl_c_after_the_first_question_records_an_incomplete_attempt(kb_root: Path) -> None:
    bank = questions_by_text(kb_root)
    term = Terminal(kb_root)
    term.expect("开始考试？")
    term.send("y")
    term.send(typed(*bank[current_question(term, 1, bank)]))
    current_question(term, 2, bank)
    term.proc.send_signal(signal.SIGINT)
    code, err = term.finish()
    assert code == 1
    assert err == (
        "error: exam interrupted after 1 answers; recorded as incomplete in "
        "records/exam-results/EXR-0001.yml (EXR-0001). It counts as a failed attempt.\n"
    )
    assert exam_results(kb_root) == ["EXR-0001.yml"]  # whole, and no temporary file left
    written = result(kb_root, "EXR-0001")
    assert (written["status"], written["passed"], written["score"]) == ("incomplete", False, 25)
    assert kb(kb_root, "check").exit_code == 0
    retry = kb(
        kb_root, "exam", "CERT-T", "--person", "P010", "--answers", "x.yml", today="2026-11-21"
    )
    assert "the next attempt is allowed from 2026-11-23" in retry.stderr


def test_end_of_input_before_the_first_question_writes_nothing(kb_root: Path) -> None:
    term = Terminal(kb_root)
    term.expect("开始考试？")
    code, err = term.finish()  # closes stdin: end of input at the confirmation
    assert (code, err) == (1, "error: exam not started; nothing was recorded\n")
    assert exam_results(kb_root) == []


def test_the_time_limit_ends_the_exam_while_waiting_for_an_answer(kb_root: Path) -> None:
    bank = questions_by_text(kb_root)
    # The exam clock runs 120x faster: the 10-minute limit passes after five real seconds,
    # time enough to answer the first question even on a loaded machine.
    term = Terminal(kb_root, ("CRMKB_EXAM_CLOCK_SCALE", "120"))
    term.expect("开始考试？")
    term.send("y")
    term.send(typed(*bank[current_question(term, 1, bank)]))
    term.expect("时间到，考试结束。", timeout=30)
    code, err = term.finish()
    assert (code, err) == (0, "")
    written = result(kb_root, "EXR-0001")
    assert written["timed_out"] is True and written["status"] == "complete"
    assert written["duration_seconds"] == 600 and len(written["answers"]) == 1
    assert written["score"] == 25 and written["passed"] is False
    assert kb(kb_root, "check").exit_code == 0


def test_a_slower_exam_clock_is_refused(kb_root: Path) -> None:
    term = Terminal(kb_root, ("CRMKB_EXAM_CLOCK_SCALE", "0.5"))
    term.expect("开始考试？")
    term.send("y")
    code, err = term.finish()
    assert (code, err) == (2, "error: CRMKB_EXAM_CLOCK_SCALE='0.5' must be a number of 1 or more\n")
    assert exam_results(kb_root) == []
