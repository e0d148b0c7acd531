"""The documented intranet deployment (deploy/nginx.conf) serving a real build through real
nginx on loopback: pages, headers, the 404 page, no folder listing, and the site working in
Chromium through it (issue 19 item 3)."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from harness import watched_tab
from site_kit import REPO

NGINX = Path("/usr/sbin/nginx")
MISSING_NGINX = "nginx not found at /usr/sbin/nginx; install it with: make nginx"
CONFIG = REPO / "deploy" / "nginx.conf"
MIME_TYPES = Path("/etc/nginx/mime.types")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def site_block(root: Path, port: int) -> str:
    """deploy/nginx.conf with its listen address and root pointed at this test's."""
    text = CONFIG.read_text(encoding="utf-8")
    text, listens = re.subn(
        r"^(\s*)listen [^;]+;", rf"\1listen 127.0.0.1:{port};", text, flags=re.M
    )
    text, roots = re.subn(r"^(\s*)root [^;]+;", rf"\1root {root};", text, flags=re.M)
    assert (listens, roots) == (1, 1), "deploy/nginx.conf needs one `listen` and one `root`"
    return text


@pytest.fixture(scope="module")
def nginx_url(built_site: Path) -> Iterator[str]:
    """nginx with its own prefix (pid, logs, temp files), unprivileged workers, a free port."""
    if not NGINX.exists():
        pytest.fail(MISSING_NGINX)
    prefix = Path(tempfile.mkdtemp(prefix="crmkb-nginx-"))
    try:
        prefix.chmod(0o755)  # the workers (nobody) read the site
        site = prefix / "site"
        shutil.copytree(built_site, site)
        (site / "leak.txt").symlink_to("/etc/hostname")  # a link out of the site (attack)
        port = _free_port()
        (prefix / "site.conf").write_text(site_block(site, port), encoding="utf-8")
        user = "user nobody nogroup;\n" if os.geteuid() == 0 else ""
        (prefix / "nginx.conf").write_text(
            f"{user}daemon off;\npid {prefix}/nginx.pid;\nerror_log {prefix}/error.log;\n"
            "events {}\nhttp {\n"
            f"  include {MIME_TYPES};\n  access_log off;\n"
            + "".join(
                f"  {kind}_temp_path {prefix}/tmp-{kind};\n"
                for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
            )
            + f"  include {prefix}/site.conf;\n}}\n",
            encoding="utf-8",
        )
        command = [str(NGINX), "-p", str(prefix), "-c", str(prefix / "nginx.conf")]
        checked = subprocess.run([*command, "-t"], capture_output=True, text=True, check=False)
        assert checked.returncode == 0, checked.stderr
        server = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
        try:
            _wait_for(port, server)
            yield f"http://127.0.0.1:{port}/"
        finally:
            server.terminate()
            server.wait()
    finally:
        shutil.rmtree(prefix, ignore_errors=True)


def _wait_for(port: int, server: subprocess.Popen[str]) -> None:
    while server.poll() is None:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"nginx stopped: {server.stderr.read() if server.stderr else ''}")


def _get(url: str) -> tuple[int, dict[str, str], str]:
    try:
        with urllib.request.urlopen(url) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


@pytest.mark.parametrize(
    ("path", "title"),
    [("", "CRM 知识库"), ("open/", "未解决问题"), ("issues/ISS-0032/", "ISS-0032")],
)
def test_pages_are_served_with_the_site_s_headers(nginx_url: str, path: str, title: str) -> None:
    status, headers, body = _get(nginx_url + path)
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert title in body
    policy = headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"


def test_an_unknown_address_gets_the_site_s_404_page(nginx_url: str) -> None:
    status, headers, body = _get(nginx_url + "issues/ISS-9999/")
    assert status == 404
    assert "找不到这个页面（404）" in body
    assert "Content-Security-Policy" in headers


def test_a_folder_is_never_listed(nginx_url: str) -> None:
    status, _, body = _get(nginx_url + "assets/crmkb-clock/")
    assert status == 404
    assert "Index of" not in body and "找不到这个页面（404）" in body


def test_data_files_have_their_types(nginx_url: str) -> None:
    for path, kind in [
        ("open-rows.json", "application/json"),
        ("assets/crmkb-clock/calendar.js", "application/javascript"),
    ]:
        status, headers, _ = _get(nginx_url + path)
        assert status == 200 and headers["Content-Type"].startswith(kind), path


@pytest.mark.parametrize("viewport", [(1366, 900), (390, 844)])
def test_the_site_works_through_nginx_in_chromium(
    browser: Browser, nginx_url: str, viewport: tuple[int, int], tmp_path: Path
) -> None:
    """Home -> open list -> an issue, at both viewports, with nginx's headers in force: no
    console error (a CSP violation is one), no outside request; the deadline recomputed."""
    with watched_tab(browser, nginx_url) as (page, _):
        page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
        page.clock.set_fixed_time("2026-11-25T09:00:00")
        page.goto(nginx_url)
        page.screenshot(path=str(tmp_path / f"home-{viewport[0]}.png"))
        page.goto(nginx_url + "open/")
        page.locator("article table a", has_text="ISS-0032").first.click()
        page.wait_for_url("**/issues/ISS-0032/")
        due = page.locator("time.crmkb-due")
        assert due.inner_text() == "已超期 1 个工作日（应于 2026-11-24 前）"
        page.screenshot(path=str(tmp_path / f"issue-{viewport[0]}.png"), full_page=True)
    # The 404 itself is a console error ("Failed to load resource"): a tab of its own.
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    try:
        page = context.new_page()
        missing = page.goto(nginx_url + "no/such/page/")
        assert missing is not None and missing.status == 404
        assert page.locator("h1").first.inner_text() == "找不到这个页面（404）"
        page.screenshot(path=str(tmp_path / f"404-{viewport[0]}.png"))
    finally:
        context.close()


def test_nothing_outside_the_site_is_served(nginx_url: str) -> None:
    for path in ["leak.txt", "%2e%2e/%2e%2e/etc/hostname", "..%2f..%2fetc/hostname"]:
        status, _, body = _get(nginx_url + path)
        assert status in (400, 403, 404), path
        assert Path("/etc/hostname").read_text(encoding="utf-8").strip() not in body, path
