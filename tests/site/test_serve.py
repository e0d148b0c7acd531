"""`mkdocs serve` rebuilds the site when a record changes (records/ is watched)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from site_kit import copy_site_inputs


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            body: bytes = response.read()
            return body.decode("utf-8")
    except OSError:
        return None


def _wait_for(url: str, needle: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        body = _get(url)
        if body is not None and needle in body:
            return True
        time.sleep(0.5)
    return False


def test_editing_a_record_rebuilds_its_page(tmp_path: Path) -> None:
    root = copy_site_inputs(tmp_path)
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "serve",
            "-f",
            str(root / "mkdocs.yml"),
            "-a",
            f"127.0.0.1:{port}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    try:
        url = f"http://127.0.0.1:{port}/issues/ISS-0042/"
        assert _wait_for(url, "ISS-0042", 90), "mkdocs serve did not come up"
        record = root / "records" / "issues" / "ISS-0042.md"
        source = record.read_text(encoding="utf-8")
        record.write_text(
            source.replace("## 现象", "## 现象\n\n编辑后重新生成的标记。", 1), encoding="utf-8"
        )
        assert _wait_for(url, "编辑后重新生成的标记", 90), "the page was not rebuilt"
    finally:
        server.terminate()
        server.wait(timeout=30)
