"""Interactive `kb new` in a real terminal (a pty): choices shown, names accepted, only a wrong
answer asked again."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path


class Terminal:
    """`kb` running on a pseudo-terminal, read until an expected prompt appears."""

    def __init__(self, args: list[str], cwd: Path) -> None:
        self.master, slave = pty.openpty()
        env = {**os.environ, "CRMKB_TODAY": "2026-11-23", "COLUMNS": "200"}
        kb = str(Path(sys.executable).parent / "kb")
        self.process = subprocess.Popen(
            [kb, *args], stdin=slave, stdout=slave, stderr=slave, cwd=cwd, env=env
        )
        os.close(slave)
        self.seen = ""

    def expect(self, text: str, timeout: float = 20) -> None:
        while text not in self.seen:
            ready, _, _ = select.select([self.master], [], [], timeout)
            assert ready, f"timed out waiting for {text!r}; saw {self.seen!r}"
            self.seen += os.read(self.master, 4096).decode("utf-8", "replace")

    def answer(self, prompt: str, text: str) -> None:
        self.expect(prompt)
        os.write(self.master, (text + "\r").encode("utf-8"))

    def finish(self) -> int:
        """Read to the end of the output (the pty reports EIO once kb exits), then the code."""
        while select.select([self.master], [], [], 20)[0]:
            try:
                chunk = os.read(self.master, 4096)
            except OSError:
                break
            if not chunk:
                break
            self.seen += chunk.decode("utf-8", "replace")
        return self.process.wait(timeout=20)


def test_a_wrong_answer_is_asked_again_and_names_become_ids(sample: Path) -> None:
    term = Terminal(["new", "issue", "--title", "客户导入后联系人丢失"], sample)
    term.answer("who reported it (id like P010, or a name): ", "李娜x")
    term.expect("error: no person '李娜x'")
    term.answer("who reported it (id like P010, or a name): ", "李娜")
    term.expect("one of: customer 客户管理, opportunity 商机")
    term.answer("module: ", "客户管理")
    term.answer("severity [low/medium/high/critical]: ", "urgent")
    term.expect("error: severity must be one of low, medium, high, critical; try again")
    term.answer("severity [low/medium/high/critical]: ", "high")
    assert term.finish() == 0, term.seen
    assert "records/issues/ISS-0050.md" in term.seen
    text = (sample / "records/issues/ISS-0050.md").read_text(encoding="utf-8")
    assert text.startswith(
        "---\nid: ISS-0050\ntitle: 客户导入后联系人丢失\nreporter: P010\nreported: 2026-11-23\n"
        "module: customer\nseverity: high\nowner: P026\n---\n"
    )
