"""Files records refer to (training images, issue evidence) and where they go in the site."""

from __future__ import annotations

from pathlib import Path

from crmkb.attachments import ACTIVE_SUFFIXES, ATTACHMENT_FOLDERS, attachments

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"}


def record_assets(root: Path) -> dict[str, Path]:
    """Site path -> file for every non-Markdown file under the asset folders."""
    found: dict[str, Path] = {}
    for display, path in attachments(root):
        if path.suffix.lower() not in ACTIVE_SUFFIXES:  # kb check reports those
            site_path = evidence_uri(display)
            if site_path:
                found[site_path] = path
    return found


def evidence_uri(evidence: str) -> str | None:
    """Site path of an evidence file given as a repository path, if it is a published asset."""
    for folder, target in ATTACHMENT_FOLDERS.items():
        if evidence.startswith(folder + "/"):
            return target + evidence[len(folder) :]
    return None
