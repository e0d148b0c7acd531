"""A submitted GitHub issue form (problem-report.yml), from the `issues` event payload.

GitHub renders a form as Markdown: one `### <label>` heading per field, in the template's
order, then the answer (`_No response_` when left empty). A reporter can type such a heading
into a text field, so the body is cut at the template's headings from the last field back:
each field's heading is the last one before the next field's, and text typed into one field
never becomes another field's answer. Evidence is only what GitHub's own attachment store
holds (`https://github.com/user-attachments/…`, checked with ada-url); the workflow downloads
link N to `evidence-N` in the evidence folder before calling kb. The reporter is the GitHub
account that opened the issue, mapped to a person by `github:` in people.yml.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

from ada_url import URL

from crmkb.errors import UsageError
from crmkb.i18n import _
from crmkb.intake import SEVERITIES, Problem, Report

# The template's fields, in its order (tests/workflow/test_intake.py keeps them in step).
LABELS = {
    "reporter": "上报人（姓名或工号）",
    "record": "相关知识库页面",
    "module": "CRM 模块",
    "symptom": "现象（用你自己的话描述）",
    "steps": "情景与复现步骤",
    "evidence": "证据（截图等）",
    "severity": "影响程度",
}
REQUIRED = frozenset({"module", "symptom"})
ONE_LINE = frozenset({"reporter", "record", "module", "severity"})  # inputs and drop-downs
_LINK = re.compile(r"!?\[([^\]]*)\]\((https?://[^)\s]+)\)|<img[^>]*\ssrc=\"(https?://[^\"]+)\"")
_PREFIX = re.compile(r"^\s*\[(问题|問題)\]\s*")
_ASSET = re.compile(r"^/user-attachments/(?:assets/[0-9a-f-]{36}|files/\d{1,20}/[^/]{1,200})$")
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_LINKS = 20


@dataclass(frozen=True)
class Form:
    """A submitted form: its report, who opened it and what they typed as the reporter."""

    report: Report
    number: int
    login: str  # the GitHub account that opened the issue
    typed: str  # the 上报人 field: only a claim
    missing: tuple[str, ...]  # evidence links that could not be downloaded


def read_form(raw: bytes, shown: str, evidence_dir: Path | None, skip_missing: bool) -> Form:
    """The form in an `issues` event payload; UsageError saying what is wrong with it."""
    try:
        event = json.loads(raw)
        issue = event["issue"]
        body, title, number = str(issue["body"] or ""), str(issue["title"]), int(issue["number"])
        created = dt.datetime.fromisoformat(str(issue["created_at"]).replace("Z", "+00:00"))
        login = str((issue.get("user") or {}).get("login") or "")
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise UsageError(
            _("{file} is not a GitHub issues event payload ({why})").format(file=shown, why=exc)
        ) from None
    answers = sections(body)
    missing = [LABELS[key] for key in sorted(REQUIRED) if not answers.get(key)]
    if missing:
        raise UsageError(
            _("issue #{number}: the form is missing {fields}").format(
                number=number, fields="、".join(missing)
            )
        )
    problem = Problem(1, _PREFIX.sub("", title).strip() or answers["symptom"][:40])
    problem.module = answers["module"]
    severity = answers.get("severity", "")
    problem.severity = SEVERITIES.get(severity.lower(), "medium") if severity else "medium"
    problem.text = [answers["symptom"], "", answers.get("steps", "")]
    files, gone = _evidence(answers.get("evidence", ""), evidence_dir, number, skip_missing)
    problem.shots = list(files)
    notes = tuple(
        _("evidence {url} could not be downloaded; filed without it").format(url=url)
        for url in gone
    )
    report = Report(f"#{number}", created.date(), title, [problem], files, notes=notes)
    return Form(report, number, login, answers.get("reporter", ""), tuple(gone))


def sections(body: str) -> dict[str, str]:
    """Each form field's answer by its key in LABELS ('' for _No response_ or no heading).

    Cut from the end: a field's heading is the last `### label` line before the next
    field's heading, so a heading typed into a text field stays text of that field."""
    found: dict[str, str] = {}
    end = len(body)
    for key, label in reversed(LABELS.items()):
        heads = list(re.finditer(rf"(?m)^###[ \t]+{re.escape(label)}[ \t]*\r?$", body[:end]))
        if not heads:
            continue
        head = heads[-1]
        answer = body[head.end() : end].strip()
        end = head.start()
        if key in ONE_LINE and "\n" in answer:
            answer = answer.splitlines()[0].strip()  # an input is one line; the rest is not it
        found[key] = "" if answer == "_No response_" else answer
    return found


def evidence_links(body: str) -> list[str]:
    """The evidence answer's links to GitHub's attachment store, in order, each once."""
    return evidence_links_in(sections(body).get("evidence", ""))


def attachment(link: str) -> str | None:
    """`link` normalised when it is a GitHub attachment (exact host, path, no extras)."""
    try:
        url = URL(link)
    except ValueError:
        return None
    plain = not (url.username or url.password or url.port or url.search or url.hash)
    ours = url.protocol == "https:" and url.host == "github.com" and plain
    if ours and _ASSET.match(url.pathname) and ".." not in url.pathname:
        return str(url.href)
    return None


def _evidence(
    text: str, folder: Path | None, number: int, skip_missing: bool
) -> tuple[dict[str, bytes], list[str]]:
    files: dict[str, bytes] = {}
    gone: list[str] = []
    alts = {attachment(m.group(2) or m.group(3) or ""): m.group(1) for m in _LINK.finditer(text)}
    for index, url in enumerate(evidence_links_in(text), 1):
        if folder is None:
            raise UsageError(
                _("issue #{number} links evidence; pass --evidence-dir with the files").format(
                    number=number
                )
            )
        path = folder / f"evidence-{index}"
        if not path.is_file() or path.is_symlink():
            if skip_missing:
                gone.append(url)
                continue
            raise UsageError(
                _("evidence {url} was not downloaded to {path}").format(url=url, path=path)
            )
        content = path.read_bytes()
        if len(content) > MAX_FILE_BYTES:
            raise UsageError(_("evidence {url} is over 20 MiB").format(url=url))
        alt = (alts.get(url) or "").strip()
        stored = url.rstrip("/").rsplit("/", 1)[-1]
        name = alt if re.fullmatch(r"[^/\\]{1,100}\.\w{2,5}", alt) else stored + _suffix(content)
        while name in files:
            name = f"{len(files) + 1}-{name}"
        files[name] = content
    return files, gone


def evidence_links_in(text: str) -> list[str]:
    """The links to GitHub's attachment store in `text`, in order, each once (at most 20)."""
    links: list[str] = []
    for match in _LINK.finditer(text):
        url = attachment(match.group(2) or match.group(3))
        if url and url not in links:
            links.append(url)
    return links[:MAX_LINKS]


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
