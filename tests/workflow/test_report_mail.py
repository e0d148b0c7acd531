"""Reporting without GitHub (issue 19.4): with `report_form: mailto:…` the site's report links
compose a mail in the daily-log format; that mail, sent, goes through `kb intake` to a record.

The browser test builds the sample site with the mailto setting, reads the links as Chromium
shows them (the search panel's 「上报这个问题」 and an issue page's 「这篇有帮助吗？」), turns
each into the .eml a mail program would send (RFC 6068: the address, then percent-decoded
`subject` and `body`), and takes it in with `kb intake`.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import CliRunner
from playwright.sync_api import Browser

from crmkb.cli import main
from harness import search, serve, watched_tab
from site_kit import copy_site_inputs, mkdocs_build

from .conftest import REPO_ROOT

MAILBOX = "mailto:crm-intake@corp.example.cn"


def use_mailbox(root: Path) -> None:
    settings = root / "crmkb.yml"
    lines = settings.read_text("utf-8").splitlines(keepends=True)
    kept = "".join(x for x in lines if not x.startswith("report_form:"))
    settings.write_text(kept + f"report_form: {MAILBOX}\n", "utf-8")


def composed(link: str, sender: str = "p005@corp.example.cn") -> bytes:
    """The mail a mail program composes from a mailto link (RFC 6068), as sent by `sender`."""
    parts = urlsplit(link)
    assert parts.scheme == "mailto"
    fields: dict[str, str] = {}
    for pair in parts.query.split("&"):
        name, _, value = pair.partition("=")
        fields[unquote(name).lower()] = unquote(value)  # '+' is a plus sign here, not a space
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = unquote(parts.path)
    mail["Subject"] = fields["subject"]
    mail["Date"] = "Mon, 23 Nov 2026 10:00:00 +0800"
    mail["Message-ID"] = f"<{abs(hash(link))}@mail.corp.example.cn>"
    mail.set_content(fields["body"].replace("\r\n", "\n"))
    return bytes(mail)


def intake(root: Path, eml: bytes) -> dict[str, object]:
    path = root / "report.eml"
    path.write_bytes(eml)
    env = {"CRMKB_TODAY": "2026-11-23", "CRMKB_ROOT": str(root)}
    result = CliRunner().invoke(main, ["intake", str(path), "--format", "json"], env=env)
    assert result.exit_code == 0, result.output
    out: dict[str, object] = json.loads(result.output)
    return out


def test_a_page_link_composes_a_mail_kb_intake_files(tmp_path: Path) -> None:
    from crmkb.knowledge_base import load
    from crmkb.site.pages.orientation import feedback

    root = tmp_path / "kb"
    shutil.copytree(REPO_ROOT / "records", root / "records")
    shutil.copy(REPO_ROOT / "crmkb.yml", root / "crmkb.yml")
    use_mailbox(root)
    line = feedback(load(root), "ISS-0003", "回款日期 (到账) & 100%?")
    link = line[line.index("](") + 2 : line.index("){")]
    assert link.startswith(MAILBOX + "?subject=")
    assert not set(link) & set(" \n()<>\"'")  # every unsafe character percent-encoded
    out = intake(root, composed(link))
    (made,) = out["created"]  # type: ignore[misc]
    text = (root / made["path"]).read_text("utf-8")
    assert made["title"] == "ISS-0003 回款日期 (到账) & 100%?"
    assert "module: payment-terms\n" in text  # the page's own module, filled in
    assert "相关页面：ISS-0003" in text


@pytest.fixture(scope="module")
def mailbox_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = copy_site_inputs(tmp_path_factory.mktemp("mailbox"))
    use_mailbox(root)
    result = mkdocs_build(root, root / "site")
    assert result.returncode == 0, result.stderr
    with serve(root / "site") as base:
        yield base, root


def test_the_sites_links_round_trip_through_kb_intake(
    browser: Browser, mailbox_site: tuple[str, Path]
) -> None:
    base, root = mailbox_site
    query = "打印机卡纸 & 100%+?"
    with watched_tab(browser, base) as (page, _):
        page.goto(base)
        assert search(page, query) == []
        report = page.locator(".crmkb-search-empty a.crmkb-report")
        report.wait_for()
        assert report.inner_text() == "上报这个问题"
        empty_state = report.get_attribute("href") or ""
        page.goto(base + "issues/ISS-0003/")
        helped = page.locator("article a.crmkb-feedback").get_attribute("href") or ""
    assert empty_state.startswith(MAILBOX) and helped.startswith(MAILBOX)
    # The page's link names its record and module: sent as it is, it becomes an issue.
    (made,) = intake(root, composed(helped))["created"]  # type: ignore[misc]
    text = (root / made["path"]).read_text("utf-8")
    assert "module: payment-terms\n" in text and "相关页面：ISS-0003" in text
    # The search's link carries the words searched; the reporter writes the module.
    (made,) = intake(root, _with_module(composed(empty_state), "订单"))["created"]  # type: ignore[misc]
    assert made["title"] == query
    text = (root / made["path"]).read_text("utf-8")
    assert "module: order\n" in text and f"## 现象\n\n{query}" in text


def _with_module(eml: bytes, module: str) -> bytes:
    """The reporter writes the module into the composed mail before sending it."""
    from email import policy
    from email.parser import BytesParser

    mail = BytesParser(policy=policy.default).parsebytes(eml)
    assert isinstance(mail, EmailMessage)
    body = mail.get_content()
    lines = [f"模块：{module}" if x.startswith("模块：") else x for x in body.splitlines()]
    mail.set_content("\n".join(lines) + "\n")
    return bytes(mail)
