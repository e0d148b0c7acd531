"""`kb exam` in a real pseudo-terminal: Ctrl-C and Ctrl-\\ go through the terminal's line
discipline, closing the terminal sends SIGHUP, exactly as for a candidate at a keyboard."""

from __future__ import annotations

import os
import pty
import re
import select
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

import yaml
from exam_kit import proctor_key

KB = Path(sys.executable).parent / "kb"


class Terminal:
    """A `kb exam` process on its own pty, with a small expect()."""

    def __init__(self, root: Path, *env: tuple[str, str], args: tuple[str, ...] = ()) -> None:
        environment = {
            **os.environ,
            "CRMKB_TODAY": "2026-11-20",
            "PYTHONUNBUFFERED": "1",
            "TERM": "dumb",
            **dict(env),
        }
        argv = [
            *(str(KB), "exam", "CERT-T", "--person", "P010", "--seed", "3"),
            *("--key", str(proctor_key()), "--root", str(root), *args),
        ]
        pid, self.master = pty.fork()
        if pid == 0:  # the child: a new session whose controlling terminal is the pty
            os.execve(argv[0], argv, environment)
        self.pid = pid
        self.out = b""
        self.code: int | None = None
        self._lock = threading.Lock()
        self._closing = False
        self._pump_thread = threading.Thread(target=self._pump, daemon=True)
        self._pump_thread.start()

    def _pump(self) -> None:
        # poll, not select: select() refuses descriptors above 1023.
        watch = select.poll()
        watch.register(self.master, select.POLLIN)
        while not self._closing:
            # A read blocked in this thread would keep the pty open after hang_up closes it.
            if not watch.poll(50):
                continue
            try:
                chunk = os.read(self.master, 4096)
            except OSError:  # EIO: the child side is closed
                return
            if not chunk:
                return
            with self._lock:
                self.out += chunk

    @property
    def text(self) -> str:
        with self._lock:
            return self.out.decode("utf-8", "replace").replace("\r\n", "\n")

    def expect(self, marker: str, count: int = 1, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while self.text.count(marker) < count:
            ended = not self._pump_thread.is_alive() and not self._closing
            if ended and self.text.count(marker) >= count:
                break  # the last output came in just as the process ended
            if time.monotonic() > deadline or ended:
                raise AssertionError(f"never saw {marker!r} x{count}; output so far:\n{self.text}")
            time.sleep(0.02)
        return self.text

    def type(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def send(self, line: str) -> None:
        self.type(line + "\r")

    def hang_up(self) -> None:
        """Close the terminal window: the kernel sends SIGHUP to the exam."""
        self._closing = True
        self._pump_thread.join(5)
        os.close(self.master)

    def kill(self, signum: signal.Signals) -> None:
        os.kill(self.pid, signum)

    def wait(self, timeout: float = 20) -> int:
        deadline = time.monotonic() + timeout
        while True:
            done, status = os.waitpid(self.pid, os.WNOHANG)
            if done:
                self.code = os.waitstatus_to_exitcode(status)
                self._pump_thread.join(2)
                return self.code
            if time.monotonic() > deadline:
                os.kill(self.pid, signal.SIGKILL)
                raise AssertionError(f"kb exam did not end; output so far:\n{self.text}")
            time.sleep(0.02)


def questions_by_text(root: Path) -> dict[str, dict[str, Any]]:
    found = {}
    for path in (root / "records" / "questions").glob("QB-OP-0?.yml"):
        for q in yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]:
            found[q["text"]] = q
    return found


def current_question(term: Terminal, number: int, bank: dict[str, dict[str, Any]]) -> str:
    """The text of question `number` once its answer prompt is on screen."""
    marker = f"第 {number}/4 题"
    term.expect(marker)
    deadline = time.monotonic() + 20
    while "答案（" not in (block := term.text.split(marker, 1)[1]):
        assert time.monotonic() < deadline, term.text
        time.sleep(0.02)
    return block


def right_answer(block: str, bank: dict[str, dict[str, Any]]) -> str:
    """What to type for the question shown in `block`, using the letters as shown."""
    question = next(q for text, q in bank.items() if text in block)
    if question["type"] == "true_false":
        return "对" if question["answer"] else "错"
    shown = dict(re.findall(r"^  ([A-Z])\. (.+)$", block, re.MULTILINE))
    letter = {question["options"][key]: key for key in question["options"]}
    by_key = {letter[text]: shown_letter for shown_letter, text in shown.items()}
    keys = question["answer"] if isinstance(question["answer"], list) else [question["answer"]]
    return "、".join(sorted(by_key[k] for k in keys))


def exam_results(root: Path) -> list[str]:
    folder = root / "records" / "exam-results"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []
