"""The search panel's page-side files and the problem-report link they offer.

The worker (assets/worker.js) answers queries; panel.js, linked on every page, adds what
Material's result list cannot show: the honest empty state with a link to the repository's
problem-report form, and "show all" when more results match than the first page holds.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

from crmkb.config import Config
from crmkb.intake_link import QUERY, is_mailto, mailto, report_mail

ASSET_DIR = Path(__file__).parent / "assets"
# Site path -> packaged file; the site plugin copies these and links them on every page.
ASSETS = {
    "assets/crmkb-search-panel/panel.js": ASSET_DIR / "panel.js",
    "assets/crmkb-search-panel/panel.css": ASSET_DIR / "panel.css",
}
REPORT_FORM = "problem-report.yml"  # .github/ISSUE_TEMPLATE/problem-report.yml


def report_link(config: Config) -> str:
    """crmkb.yml's report_form for the panel; a `mailto:` one composes an intake mail whose
    `%7Bquery%7D` the panel replaces with the reader's words."""
    form = config.report_form or ""
    if not is_mailto(form):
        return form
    subject, body = report_mail(config.language, QUERY, said=QUERY)
    return mailto(form, subject, body)


def report_url(repo_url: str | None) -> str:
    """The URL that opens the repository's problem-report issue form, or '' when unknown.

    The repository comes from site config (the crmkb plugin's `repo_url`, else MkDocs'
    `repo_url`), else from GitHub Actions' environment when the site is built in CI.
    """
    repo = (repo_url or "").strip().rstrip("/")
    if not repo:
        server = os.environ.get("GITHUB_SERVER_URL", "").rstrip("/")
        name = os.environ.get("GITHUB_REPOSITORY", "")
        repo = f"{server}/{name}" if server and name else ""
    parts = urlsplit(repo)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""  # never a javascript: or relative link
    return f"{repo}/issues/new?template={REPORT_FORM}"
