"""Files records refer to (training images, issue evidence) and where they go in the site."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from crmkb.attachments import ATTACHMENT_FOLDERS, scan
from crmkb.evidence import FOLDER as EVIDENCE

if TYPE_CHECKING:
    from crmkb.knowledge_base import KnowledgeBase

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"}


def listed_evidence(kb: KnowledgeBase) -> set[str]:
    """Every evidence file an issue lists (repository paths)."""
    from crmkb.records.issue import Issue

    return {path for issue in kb.of(Issue).values() for path in issue.evidence}


def record_assets(root: Path, listed: set[str] | None = None) -> dict[str, bytes]:
    """Site path -> the bytes to publish, for every attachment that passed the checks.

    The site passes `listed` (`listed_evidence`): evidence is published only when an issue
    lists it, so a file left in the folder by an interrupted write, or by hand, is named by
    kb check and never published (None: every accepted attachment). The bytes are
    the checked ones (an SVG after svg-hush), never re-read from the path.
    """
    found: dict[str, bytes] = {}
    for attachment in scan(root)[0]:  # kb check reports the refused ones
        evidence = attachment.display.startswith(EVIDENCE + "/")
        if evidence and listed is not None and attachment.display not in listed:
            continue
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
