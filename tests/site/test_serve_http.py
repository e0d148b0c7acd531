"""`kb serve` as a server: a taken port, the site's own 404, no folder listing, malformed
paths refused without a traceback, files always served whole during rebuilds, and idle
connections that never stop serving at a low descriptor limit. The real command runs in a
subprocess on a free port and is asked over real HTTP."""

from __future__ import annotations

import os
import resource
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from serve_kit import free_port, get, kb, retitle, serving, until

from site_kit import copy_site_inputs

ISSUE = Path("records") / "issues" / "ISS-0042.md"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, Path]]:
    """One `kb serve` of a copy of the sample: its URL, repository and log."""
    root = copy_site_inputs(tmp_path_factory.mktemp("served") / "repo")
    log = root.parent / "serve.log"
    with serving(root, log) as (base, _):
        yield base, root, log


def _raw(base: str, request: bytes) -> bytes:
    """Send `request` as it is (no client library tidies it) and read the whole reply."""
    host, port = base.removeprefix("http://").rstrip("/").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.parametrize(
    ("language", "says"), [("en", "in use by another program"), ("zh", "被其他程序占用")]
)
def test_a_taken_port_is_one_line_and_starts_nothing(
    tmp_path: Path, language: str, says: str
) -> None:
    root = copy_site_inputs(tmp_path / "repo")
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        done = kb(
            "--lang", language, "serve", "--root", str(root), "--dev-addr", f"127.0.0.1:{port}"
        )
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert says in lines[0] and str(port) in lines[0] and "make serve PORT=" in lines[0]
    assert not (root / "build").exists()  # nothing rendered, built or started


def test_a_missing_page_is_the_sites_own_404(served: tuple[str, Path, Path]) -> None:
    base, root, _ = served
    own = (root / "build" / "site-src" / "site" / "404.html").read_text(encoding="utf-8")
    assert "找不到这个页面" in own
    for path in ("no/such/page/", "issues/ISS-9999/", "nope.html", "assets/none.js"):
        assert get(base + path) == (404, own), path


def test_folders_are_never_listed(served: tuple[str, Path, Path]) -> None:
    base, root, _ = served
    site = root / "build" / "site-src" / "site"
    bare = [p for p in site.rglob("*") if p.is_dir() and not (p / "index.html").exists()]
    assert bare, "the sample has folders without an index page (assets/, search/...)"
    own = (site / "404.html").read_text(encoding="utf-8")
    for folder in bare:
        path = folder.relative_to(site).as_posix()
        assert get(f"{base}{path}/") == (404, own), path
        assert get(f"{base}{path}") == (404, own), path
    # A folder with its index page: the page, and the slash added by a redirect.
    assert get(f"{base}issues/ISS-0042")[0] == 200
    reply = _raw(base, b"GET /issues/ISS-0042?x=1 HTTP/1.0\r\n\r\n")
    assert reply.split(b" ", 2)[1] == b"301" and b"Location: /issues/ISS-0042/?x=1" in reply


@pytest.mark.parametrize(
    "target",
    [
        b"/%00",
        b"/issues/%00/",
        b"/%ff%fe",
        b"/a%0d%0aSet-Cookie:x=1",
        b"/..%5c..%5cetc/passwd",
        b"/../../etc/passwd",
        b"/%2e%2e/%2e%2e/etc/passwd",
        b"/.kb-render.json",
        b"//etc/passwd",
        b"http://elsewhere.example/../../etc/passwd",
        b"*",
        b"/" + b"a" * 5000,
    ],
)
def test_malformed_paths_get_a_4xx_and_no_traceback(
    served: tuple[str, Path, Path], target: bytes
) -> None:
    base, _, log = served
    reply = _raw(base, b"GET " + target + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    status = int(reply.split(b" ", 2)[1])
    assert 400 <= status < 500, reply[:200]
    assert b"root:" not in reply
    assert "Traceback" not in log.read_text(encoding="utf-8")


def test_other_methods_are_refused(served: tuple[str, Path, Path]) -> None:
    base, _, log = served
    for method in (b"POST", b"PUT", b"DELETE", b"PROPFIND"):
        reply = _raw(
            base,
            method + b" / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        )
        assert reply.startswith(b"HTTP/1.1 405"), reply[:100]
    reply = _raw(base, b"HEAD / HTTP/1.0\r\n\r\n")
    head, _, body = reply.partition(b"\r\n\r\n")
    assert head.split(b" ", 2)[1] == b"200" and body == b""
    assert "Traceback" not in log.read_text(encoding="utf-8")


def test_a_rebuild_replaces_every_file_whole(served: tuple[str, Path, Path]) -> None:
    """A reader holding any built file while a rebuild runs keeps reading the whole old file
    (the builder replaces files, it never truncates one in place), and no request meanwhile
    gets an empty or cut page."""
    base, root, log = served
    site = root / "build" / "site-src" / "site"
    record = root / ISSUE
    source = record.read_text(encoding="utf-8")
    held = {}
    for path in site.rglob("*"):
        if path.is_file():
            handle = path.open("rb")
            held[path] = (handle, handle.read(), os.fstat(handle.fileno()).st_ino)
    pages = [f"{base}", f"{base}issues/ISS-0042/", f"{base}catalog/", f"{base}open/"]
    bad: list[str] = []
    stop = threading.Event()

    def hammer() -> None:
        while not stop.is_set():
            for url in pages:
                status, text = get(url)
                if status == 200 and not text.rstrip().endswith("</html>"):
                    bad.append(f"{url}: {len(text)} characters")

    readers = [threading.Thread(target=hammer) for _ in range(3)]
    for reader in readers:
        reader.start()
    try:
        for n in range(3):
            retitle(record, source, f"整体替换{n}")
            assert until(lambda n=n: f"整体替换{n}" in get(pages[1])[1]), log.read_text()
    finally:
        stop.set()
        for reader in readers:
            reader.join()
        record.write_text(source, encoding="utf-8")
    assert bad == []
    replaced = 0
    for path, (handle, before, inode) in held.items():
        with handle:
            handle.seek(0)
            assert handle.read() == before, f"{path} was rewritten in place"
        replaced += path.exists() and path.stat().st_ino != inode
    assert replaced >= 3  # the record's page and the listings were built again
    assert until(lambda: "整体替换" not in get(pages[1])[1])


def test_logs_are_quiet(served: tuple[str, Path, Path]) -> None:
    """One line per rebuild; no builder warnings that read like faults, no line per request."""
    base, root, log = served
    record = root / ISSUE
    source = record.read_text(encoding="utf-8")
    for _ in range(20):
        get(f"{base}issues/ISS-0042/")
    before = log.read_text(encoding="utf-8").splitlines()
    retitle(record, source, "安静的日志")
    try:
        assert until(lambda: "安静的日志" in get(f"{base}issues/ISS-0042/")[1])
        time.sleep(4)  # the search index and the reports are written after the page
        text = log.read_text(encoding="utf-8")
    finally:
        record.write_text(source, encoding="utf-8")
    new = text.splitlines()[len(before) :]
    assert "dirty" not in text and "WARNING" not in text and "GET /" not in text
    # The page's rebuild, and the reports' once the records were left alone.
    assert len(new) <= 2 and "重新生成了" in new[0], new


def test_idle_connections_never_stop_serving(tmp_path: Path) -> None:
    """At a 1,024-descriptor limit, 1,018 idle connections once stopped all serving, and an
    edit made meanwhile stayed unserved: idle connections are closed after the idle timeout
    and at most a bounded number are held, so pages and edits are still served."""
    root = copy_site_inputs(tmp_path / "repo")
    log = tmp_path / "serve.log"

    def low_limit() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (1024, 1024))

    with serving(root, log, "--idle-timeout", "1", preexec_fn=low_limit) as (base, _):
        port = int(base.rstrip("/").rsplit(":", 1)[1])
        idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(1018)]
        try:
            page = f"{base}issues/ISS-0042/"
            assert until(lambda: "ISS-0042" in get(page, timeout=30)[1], 120), log.read_text()
            record = root / ISSUE
            retitle(record, record.read_text(encoding="utf-8"), "空闲连接之后")
            more = [socket.create_connection(("127.0.0.1", port)) for _ in range(500)]
            idle.extend(more)
            assert until(lambda: "空闲连接之后" in get(page, timeout=30)[1], 120), log.read_text()
        finally:
            for connection in idle:
                connection.close()
    text = log.read_text(encoding="utf-8")
    assert "Too many open files" not in text and "Traceback" not in text


def test_the_idle_timeout_is_checked(tmp_path: Path) -> None:
    done = kb(
        "--lang", "en", "serve", "--idle-timeout", "0", "--dev-addr", f"127.0.0.1:{free_port()}"
    )
    assert done.returncode == 2 and "--idle-timeout" in done.stderr


@pytest.mark.skipif(
    os.geteuid() != 0, reason="mounting a small folder needs root (CI runs as root)"
)
def test_an_edit_made_while_the_disk_is_full_is_served_once_there_is_room(
    tmp_path: Path,
) -> None:
    """The rebuild the disk stopped is logged once, the last good page stays served, and it
    is tried again on its own: freed space serves the edit with no second edit."""
    root = copy_site_inputs(tmp_path / "repo")
    log = tmp_path / "serve.log"
    out = tmp_path / "out"
    out.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(out)], check=True)
    try:
        with serving(root, log, "--out", str(out)) as (base, _):
            page = f"{base}issues/ISS-0042/"
            stat = os.statvfs(out)
            filler = out / "filler"
            filler.write_bytes(b"\0" * (stat.f_bavail * stat.f_frsize))
            record = root / ISSUE
            source = record.read_text(encoding="utf-8")
            record.write_text(
                source.replace('title: "', 'title: "磁盘满时', 1) + "\n补充说明。" * 4000,
                encoding="utf-8",
            )
            assert until(lambda: "the rebuild failed" in log.read_text(), 60) or until(
                lambda: "重新生成失败" in log.read_text(), 5
            ), log.read_text()
            status, text = get(page)
            assert status == 200 and "磁盘满时" not in text and text.rstrip().endswith("</html>")
            filler.unlink()
            assert until(lambda: "磁盘满时" in get(page)[1], 60), log.read_text()
    finally:
        subprocess.run(["umount", str(out)], check=True)
    text = log.read_text(encoding="utf-8")
    assert text.count("重新生成失败") == 1, text
    assert "Traceback" not in text
