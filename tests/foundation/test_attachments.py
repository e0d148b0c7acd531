"""Attachments (evidence, screenshots) are published as files, so active content is refused."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from crmkb.site.assets import record_assets

from .conftest import Kb

if TYPE_CHECKING:
    from conftest import Repo


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        (
            "records/evidence/ISS-0001/shot.svg",
            '<svg xmlns="http://www.w3.org/2000/svg">\n  <script>alert(1)</script>\n</svg>\n',
            "records/evidence/ISS-0001/shot.svg:2:3: error: SVG contains script, an event "
            "handler or embedded content ('<script'); export it again as a plain image",
        ),
        (
            "records/training/img/step.svg",
            '<svg xmlns="http://www.w3.org/2000/svg"><rect onload="alert(1)"/></svg>\n',
            "records/training/img/step.svg:1:47: error: SVG contains script, an event handler "
            "or embedded content ('onload='); export it again as a plain image",
        ),
        (
            "records/evidence/ISS-0001/page.html",
            "<p>hello</p>\n",
            "records/evidence/ISS-0001/page.html:1:1: error: .html files cannot be published; "
            "attach a screenshot or PDF",
        ),
    ],
)
def test_active_attachments_are_refused(
    repo: Repo, kb: Kb, name: str, content: str, expected: str
) -> None:
    repo.write(name, content)
    result = kb("check")
    assert (result.exit_code, result.stdout.splitlines()) == (1, [expected])


def test_plain_images_are_published_and_active_files_are_not(repo: Repo) -> None:
    repo.write("records/evidence/ISS-0001/shot.svg", '<svg xmlns="http://www.w3.org/2000/svg"/>')
    repo.write("records/evidence/ISS-0001/page.html", "<script>alert(1)</script>")
    repo.write("records/training/img/step.png", b"\x89PNG\r\n")
    published = record_assets(repo.root)
    assert sorted(published) == ["evidence/ISS-0001/shot.svg", "training/img/step.png"]
