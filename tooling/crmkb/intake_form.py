"""A submitted GitHub issue form (problem-report.yml), from the `issues` event payload.

GitHub renders a form as Markdown: one `### <label>` heading per field, then the answer
(`_No response_` when left empty). Attachments are links in the evidence answer; the workflow
downloads each into a folder under the link's last path segment before calling kb.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from crmkb.errors import UsageError
from crmkb.intake import SEVERITIES, Problem, Report

LABELS = {
    "reporter": "上报人（姓名或工号）",
    "module": "CRM 模块",
    "symptom": "现象（用你自己的话描述）",
    "steps": "情景与复现步骤",
    "evidence": "证据（截图等）",
    "severity": "影响程度",
}
_HEADING = re.compile(r"^###\s+(.+?)\s*$", re.MULTILINE)
_LINK = re.compile(r"!?\[([^\]]*)\]\((https?://[^)\s]+)\)|<img[^>]*\ssrc=\"(https?://[^\"]+)\"")
_PREFIX = re.compile(r"^\s*\[(问题|問題)\]\s*")
MAX_FILE_BYTES = 20 * 1024 * 1024


def read_form(raw: bytes, shown: str, evidence_dir: Path | None) -> tuple[Report, str, int]:
    """(report, the reporter as typed, issue number) from an `issues` event payload."""
    try:
        event = json.loads(raw)
        issue = event["issue"]
        body, title, number = str(issue["body"] or ""), str(issue["title"]), int(issue["number"])
        created = dt.datetime.fromisoformat(str(issue["created_at"]).replace("Z", "+00:00"))
    except (ValueError, KeyError, TypeError) as exc:
        raise UsageError(f"{shown} is not a GitHub issues event payload ({exc})") from None
    answers = sections(body)
    missing = [label for key, label in LABELS.items() if key in REQUIRED and not answers.get(key)]
    if missing:
        raise UsageError(f"issue #{number}: the form is missing {', '.join(missing)}")
    problem = Problem(1, _PREFIX.sub("", title).strip() or answers["symptom"][:40])
    problem.module = answers["module"]
    severity = answers.get("severity", "")
    problem.severity = SEVERITIES.get(severity.lower(), "medium") if severity else "medium"
    problem.text = [answers["symptom"], "", answers.get("steps", "")]
    files = _evidence(answers.get("evidence", ""), evidence_dir, number)
    problem.shots = list(files)
    report = Report(f"#{number}", created.date(), title, [problem], files)
    return report, answers["reporter"], number


REQUIRED = frozenset({"reporter", "module", "symptom"})


def sections(body: str) -> dict[str, str]:
    """Each form field's answer, by its key in LABELS ('' for _No response_)."""
    by_label = {label: key for key, label in LABELS.items()}
    found: dict[str, str] = {}
    heads = list(_HEADING.finditer(body))
    for i, head in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(body)
        answer = body[head.end() : end].strip()
        key = by_label.get(head.group(1).strip())
        if key:
            found[key] = "" if answer == "_No response_" else answer
    return found


def _evidence(text: str, folder: Path | None, number: int) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for match in _LINK.finditer(text):
        url = match.group(2) or match.group(3)
        stored = url.rstrip("/").rsplit("/", 1)[-1]
        if folder is None:
            raise UsageError(f"issue #{number} links evidence; pass --evidence-dir with the files")
        path = folder / stored
        if not path.is_file() or path.is_symlink():
            raise UsageError(f"evidence {url} was not downloaded to {path}")
        content = path.read_bytes()
        if len(content) > MAX_FILE_BYTES:
            raise UsageError(f"evidence {stored} is over 20 MiB")
        alt = (match.group(1) or "").strip()
        name = alt if re.search(r"\.\w{2,5}$", alt) else f"{stored}{_suffix(content)}"
        while name in files:
            name = f"{len(files) + 1}-{name}"
        files[name] = content
    return files


def _suffix(content: bytes) -> str:
    """GitHub's attachment links carry no suffix: tell the common screenshot types apart."""
    if content.startswith(b"\x89PNG"):
        return ".png"
    if content.startswith(b"\xff\xd8"):
        return ".jpg"
    if content.startswith(b"GIF8"):
        return ".gif"
    if content.startswith(b"%PDF"):
        return ".pdf"
    return ".bin"
