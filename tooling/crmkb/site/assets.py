"""Files records refer to (training images, issue evidence) and where they go in the site."""

from __future__ import annotations

from pathlib import Path

from crmkb.attachments import ATTACHMENT_FOLDERS, scan

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"}


def record_assets(root: Path) -> dict[str, bytes]:
    """Site path -> the bytes to publish, for every attachment that passed the checks.

    The bytes are the checked ones (an SVG after svg-hush), never re-read from the path.
    """
    found: dict[str, bytes] = {}
    for attachment in scan(root)[0]:  # kb check reports the refused ones
        site_path = evidence_uri(attachment.display)
        if site_path:
            found[site_path] = attachment.content
    return found


def is_evidence(site_path: str) -> bool:
    """Whether a published attachment is an issue's evidence (a screenshot, a log)."""
    return site_path.startswith(ATTACHMENT_FOLDERS["records/evidence"] + "/")


def evidence_uri(evidence: str) -> str | None:
    """Site path of an evidence file given as a repository path, if it is a published asset."""
    for folder, target in ATTACHMENT_FOLDERS.items():
        if evidence.startswith(folder + "/"):
            return target + evidence[len(folder) :]
    return None
