"""`kb serve` follows every record change with real builds over real HTTP: an edit, two quick
edits (the last wins), a broken record (the last good page stays), a deleted and re-added
record, and the reports and search index after the quiet period; other pages stay served."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from serve_kit import free_port, get, kb, retitle, serving, start, until

from site_kit import copy_site_inputs


def _search_titles(base: str) -> str:
    """Every document title the served search index holds, as one string."""
    status, manifest = get(f"{base}assets/crmkb-search/manifest.json")
    if status != 200:
        return ""
    chunks = -(-json.loads(manifest)["docs"] // json.loads(manifest)["chunk"])
    return "".join(get(f"{base}assets/crmkb-search/d/{n}.json")[1] for n in range(chunks))


def test_kb_serve_follows_every_change(tmp_path: Path) -> None:
    root = copy_site_inputs(tmp_path / "repo")
    log = tmp_path / "serve.log"
    record = root / "records" / "issues" / "ISS-0042.md"
    source = record.read_text(encoding="utf-8")
    with serving(root, log) as (base, _):
        page, report = f"{base}issues/ISS-0042/", f"{base}reports/2026-W47/"
        assert "ISS-0042" in get(page)[1]

        # Two quick edits: the second lands while the first is being built; the last wins.
        retitle(record, source, "第一次编辑")
        time.sleep(0.6)
        retitle(record, source, "第二次编辑")
        assert until(lambda: "第二次编辑" in get(page)[1]), log.read_text()
        assert "第一次编辑" not in get(page)[1]
        # After the quiet period the reports and the search index hold the new title too.
        assert until(lambda: "第二次编辑" in get(report)[1]), log.read_text()
        assert until(lambda: "第二次编辑" in _search_titles(base)), log.read_text()
        assert "第一次编辑" not in get(report)[1] + _search_titles(base)

        # A broken record: its errors are logged, the last good page stays served.
        record.write_text(source.replace("id: ISS-0042", "id: ISS-42"), encoding="utf-8")
        assert until(lambda: "ISS-42" in log.read_text(encoding="utf-8"), 30)
        assert "第二次编辑" in get(page)[1]

        # Deleted: the page goes, every other page is served meanwhile; re-added: it is back.
        record.unlink()
        others: list[int] = []

        def gone() -> bool:
            others.append(get(f"{base}issues/ISS-0001/")[0])
            return get(page)[0] == 404

        assert until(gone), log.read_text()
        assert set(others) == {200}, others
        assert until(lambda: "ISS-0042" not in get(report)[1]), log.read_text()
        retitle(record, source, "重新加入")
        assert until(lambda: "重新加入" in get(page)[1]), log.read_text()
    assert "Traceback" not in log.read_text(encoding="utf-8")


def test_kb_serve_restarts_cleanly_after_kill_9(tmp_path: Path) -> None:
    """Killed mid-render, then restarted over a changed repository: no half-written folder
    (the restart builds), and no stale page (the changed record shows its new text)."""
    root = copy_site_inputs(tmp_path / "repo")
    log = tmp_path / "serve.log"
    docs = root / "build" / "site-src" / "docs"
    _, server = start(root, log)
    try:
        assert until(lambda: (docs / "issues").is_dir() or server.poll() is not None, 60)
    finally:
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=30)
    record = root / "records" / "issues" / "ISS-0042.md"
    retitle(record, record.read_text(encoding="utf-8"), "重启之后")
    (root / "records" / "issues" / "ISS-0030.md").unlink()  # named by no other record
    with serving(root, log) as (base, _):
        assert "重启之后" in get(f"{base}issues/ISS-0042/")[1]
        assert get(f"{base}issues/ISS-0030/")[0] == 404
        assert get(f"{base}issues/ISS-0002/")[0] == 200


@pytest.mark.parametrize("options", ["ro,size=1m", "size=64k"], ids=["read-only", "full"])
def test_kb_serve_into_a_read_only_or_full_folder_says_so(tmp_path: Path, options: str) -> None:
    if os.geteuid() != 0:
        pytest.skip("mounting a read-only or small folder needs root (CI runs as root)")
    root = copy_site_inputs(tmp_path / "repo")
    out = tmp_path / "out"
    out.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(out)], check=True)
    try:
        argv = ["--lang", "en", "serve", "--root", str(root), "--out", str(out)]
        done = kb(*argv, "--dev-addr", f"127.0.0.1:{free_port()}")
    finally:
        subprocess.run(["umount", str(out)], check=True)
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"cannot write the site into {out}" in done.stderr
    assert "Traceback" not in done.stderr
