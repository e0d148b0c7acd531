"""Attachments (evidence, screenshots) are published as files: only inert, single-link files."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pytest

from crmkb.site.assets import record_assets

from .conftest import Kb

if TYPE_CHECKING:
    from conftest import Repo

EV = "records/evidence/ISS-0001"
SVG_NS = 'xmlns="http://www.w3.org/2000/svg"'
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
ACCEPTED = "attach PNG, JPEG, GIF, WebP, SVG (sanitised), PDF or plain text (.txt)"
ACTIVE_SVG = (
    "SVG contains script, an event handler, an outside reference or embedded content "
    "({}); export it again as a plain image"
)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        (
            f"{EV}/shot.svg",
            f"<svg {SVG_NS}>\n  <script>alert(1)</script>\n</svg>\n",
            f"{EV}/shot.svg:2:3: error: " + ACTIVE_SVG.format("'<script'"),
        ),
        (
            "records/training/img/step.svg",
            f'<svg {SVG_NS}><rect onload="alert(1)"/></svg>\n',
            "records/training/img/step.svg:1:47: error: " + ACTIVE_SVG.format("'onload='"),
        ),
        (
            f"{EV}/prefixed.svg",
            '<s:svg xmlns:s="http://www.w3.org/2000/svg"><s:script>alert(1)</s:script></s:svg>',
            f"{EV}/prefixed.svg:1:45: error: " + ACTIVE_SVG.format("'<s:script'"),
        ),
        (
            f"{EV}/xhtml.svg",
            f'<svg {SVG_NS} xmlns:h="http://www.w3.org/1999/xhtml"><h:script>x()</h:script></svg>',
            f"{EV}/xhtml.svg:1:80: error: " + ACTIVE_SVG.format("'<h:script'"),
        ),
        (
            f"{EV}/remote.svg",
            f'<svg {SVG_NS}><image href="http://evil.example/x.png"/></svg>',
            f"{EV}/remote.svg:1:48: error: " + ACTIVE_SVG.format("'href=\"http://'"),
        ),
        (
            f"{EV}/import.svg",
            f"<svg {SVG_NS}><style>@import url(/a.css);</style></svg>",
            f"{EV}/import.svg:1:48: error: " + ACTIVE_SVG.format("'@import'"),
        ),
        (
            f"{EV}/entity.svg",
            f'<!DOCTYPE svg [<!ENTITY x "y">]><svg {SVG_NS}>&x;</svg>',
            f"{EV}/entity.svg:1:16: error: " + ACTIVE_SVG.format("'<!ENTITY'"),
        ),
        (
            f"{EV}/page.html",
            "<p>hello</p>\n",
            f"{EV}/page.html:1:1: error: .html files can run in the browser and cannot be "
            f"published; {ACCEPTED}",
        ),
        (
            f"{EV}/report.shtml",
            "<!--#exec cmd='id'-->",
            f"{EV}/report.shtml:1:1: error: .shtml files can run in the browser and cannot be "
            f"published; {ACCEPTED}",
        ),
        (
            f"{EV}/report.xht",
            "<html/>",
            f"{EV}/report.xht:1:1: error: .xht files can run in the browser and cannot be "
            f"published; {ACCEPTED}",
        ),
        (
            f"{EV}/report.shtml.txt",
            "plain",
            f"{EV}/report.shtml.txt:1:1: error: .shtml files can run in the browser and cannot "
            f"be published; {ACCEPTED}",
        ),
        (
            f"{EV}/data.csv",
            "a,b\n",
            f"{EV}/data.csv:1:1: error: this file type cannot be published; {ACCEPTED}",
        ),
        (
            f"{EV}/fake.png",
            "<script>alert(1)</script>",
            f"{EV}/fake.png:1:1: error: the content is not a PNG file; export it again",
        ),
        (
            f"{EV}/fake.pdf",
            b"%PDF-1.7\n1 0 obj << /OpenAction << /S /J#61vaScript /JS (app.alert(1)) >> >>",
            f"{EV}/fake.pdf:1:1: error: PDF contains an active element (/OpenAction: script, "
            "actions, links or embedded files); print it to PDF again without them",
        ),
        (
            f"{EV}/my shot.png",
            PNG,
            f"{EV}/my shot.png:1:1: error: name 'my shot.png' may hold only letters, digits, "
            "'.', '_' and '-'; rename it",
        ),
    ],
)
def test_active_attachments_are_refused(
    repo: Repo, kb: Kb, name: str, content: str | bytes, expected: str
) -> None:
    repo.write(name, content)
    result = kb("check")
    assert (result.exit_code, result.stdout.splitlines()) == (1, [expected])
    assert name.removeprefix("records/") not in record_assets(repo.root)


def test_utf16_svg_is_refused(repo: Repo, kb: Kb) -> None:
    svg = f"<svg {SVG_NS}><script>alert(1)</script></svg>".encode("utf-16")
    repo.write(f"{EV}/wide.svg", svg)
    result = kb("check")
    assert result.stdout.splitlines() == [
        f"{EV}/wide.svg:1:1: error: SVG must be saved as UTF-8 (this one is UTF-16 or binary)"
    ]


@pytest.mark.parametrize(
    "target", ["../../questions/QB-OP-01.yml", "/proc/self/environ", "/etc/hostname"]
)
def test_symlinks_are_refused(repo: Repo, kb: Kb, target: str) -> None:
    (repo.root / EV).mkdir(parents=True, exist_ok=True)
    os.symlink(target, repo.root / EV / "key.txt")
    result = kb("check")
    assert result.stdout.splitlines() == [
        f"{EV}/key.txt:1:1: error: is a symbolic link; commit the file itself, not a link"
    ]
    assert "evidence/ISS-0001/key.txt" not in record_assets(repo.root)


def test_symlinked_folders_are_refused(repo: Repo, kb: Kb) -> None:
    os.symlink(repo.root / "records" / "questions", repo.root / EV / "pool")
    result = kb("check")
    assert result.stdout.splitlines() == [
        f"{EV}/pool:1:1: error: is a symbolic link; commit the file itself, not a link"
    ]
    assert not [p for p in record_assets(repo.root) if "pool" in p]


def test_hardlinks_are_refused(repo: Repo, kb: Kb) -> None:
    os.link(repo.root / "records/questions/QB-OP-01.yml", repo.root / EV / "key.txt")
    result = kb("check")
    assert result.stdout.splitlines() == [
        f"{EV}/key.txt:1:1: error: is a hard link to another file; commit a copy of the file "
        "instead"
    ]
    assert "evidence/ISS-0001/key.txt" not in record_assets(repo.root)


def test_fifos_are_refused_without_blocking(repo: Repo, kb: Kb) -> None:
    os.mkfifo(repo.root / EV / "pipe.txt")
    result = kb("check")
    assert result.stdout.splitlines() == [
        f"{EV}/pipe.txt:1:1: error: is not a regular file; attach a copy of the file"
    ]


def test_inert_files_are_published_and_svg_goes_through_svg_hush(repo: Repo) -> None:
    repo.write(f"{EV}/shot.svg", f'<svg {SVG_NS}><rect width="5"/><a href="#x"/></svg>')
    repo.write(f"{EV}/page.html", "<script>alert(1)</script>")
    repo.write(f"{EV}/log.txt", "第一行\n<b>not markup</b>\n")
    repo.write(f"{EV}/form.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")
    repo.write("records/training/img/step.png", PNG)
    published = record_assets(repo.root)
    assert sorted(published) == [
        "evidence/ISS-0001/form.pdf",
        "evidence/ISS-0001/log.txt",
        "evidence/ISS-0001/shot.svg",
        "training/img/step.png",
    ]
    assert published["training/img/step.png"] == PNG
    assert published["evidence/ISS-0001/shot.svg"].startswith(b'<?xml version="1.0"')
