"""`kb serve` for tests: the real command in a subprocess on a free port, real HTTP requests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ENV = {
    **os.environ,
    "NO_MKDOCS_2_WARNING": "1",
    "CRMKB_TODAY": "2026-11-23",
    "CRMKB_SERVE_QUIET": "1",  # the reports' quiet period, shortened for the test
}
KB = Path(sys.executable).parent / "kb"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def get(url: str, timeout: float = 10) -> tuple[int, str]:
    """Status and text of a GET; 0 when nothing answered."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return int(response.status), response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return int(exc.code), exc.read().decode("utf-8", "replace")
    except OSError:
        return 0, ""


def kb(*args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """`kb ARGS` run to its end, its output captured as text."""
    return subprocess.run(
        [str(KB), *args], capture_output=True, text=True, env=ENV, timeout=timeout
    )


def until(check: Callable[[], Any], seconds: float = 90) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


def start(
    root: Path, log: Path, *options: str, **popen: Any
) -> tuple[str, subprocess.Popen[bytes]]:
    port = free_port()
    argv = [str(KB), "serve", "--root", str(root), "--dev-addr", f"127.0.0.1:{port}", *options]
    with log.open("ab") as sink:
        server = subprocess.Popen(argv, stdout=sink, stderr=sink, env=ENV, **popen)
    return f"http://127.0.0.1:{port}/", server


@contextmanager
def serving(
    root: Path, log: Path, *options: str, **popen: Any
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    base, server = start(root, log, *options, **popen)
    try:
        assert until(lambda: get(base)[0] == 200, 180), log.read_text()
        yield base, server
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait(timeout=30)


def retitle(record: Path, source: str, marker: str) -> None:
    record.write_text(source.replace('title: "', f'title: "{marker}', 1), encoding="utf-8")
