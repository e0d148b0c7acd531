"""Problem reports from staff who never touch git: a mailed daily log becomes issue records.

The daily log of seed 003, one mail per day with screenshots attached:

    问题1：报价单税率取错
    模块：报价            (a module's id or Chinese name)
    影响：高              (低/中/高/紧急 or low/medium/high/critical; default 中)
    截图：tax.png         (attachments of this problem; with one problem, all of them)
    现象 text, any number of lines …

Every problem of one mail is created in one change: all of them with their evidence, or none.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from crmkb.errors import UsageError

SEVERITIES = {
    "低": "low",
    "中": "medium",
    "高": "high",
    "紧急": "critical",
    "緊急": "critical",
    "low": "low",
    "medium": "medium",
    "high": "high",
    "critical": "critical",
}
_START = re.compile(r"^\s*(?:问题|問題|problem)\s*(\d*)\s*[:：]\s*(.*)$", re.IGNORECASE)
_FIELD = re.compile(
    r"^\s*(模块|模塊|module|影响|影響|severity|截图|截圖|screenshots?)\s*[:：]\s*(.*)$", re.I
)
_KEYS = {
    "模块": "module",
    "模塊": "module",
    "module": "module",
    "影响": "severity",
    "影響": "severity",
    "severity": "severity",
    "截图": "shots",
    "截圖": "shots",
    "screenshot": "shots",
    "screenshots": "shots",
}
_NOTHING = re.compile(r"^\s*(没问题|沒問題|无问题|無問題|no problems?)\W*$", re.IGNORECASE)


@dataclass
class Problem:
    """One problem of a daily log, as the reporter wrote it."""

    number: int
    title: str
    module: str = ""
    severity: str = "medium"
    shots: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Report:
    """A parsed problem report: who sent it, when, the problems and the attached files."""

    sender: str
    reported: dt.date
    subject: str
    problems: list[Problem]
    files: dict[str, bytes]
    key: str = ""  # what makes two reports the same (a normalised Message-ID): taken in once
    verified: bool = True  # False: the sender is only claimed; the lead confirms the reporter
    notes: tuple[str, ...] = ()  # what intake did not trust, written into the history


def problems_in(text: str) -> list[Problem]:
    """The problems of a daily log's text; [] when it says there were none."""
    found: list[Problem] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        start = _START.match(line)
        if start:
            title = start.group(2).strip()
            number = len(found) + 1
            if not title:
                raise UsageError(f"problem {number} has no title; write it after 问题{number}：")
            found.append(Problem(number, title))
            continue
        if not found:
            continue
        current = found[-1]
        key = _FIELD.match(line)
        if key:
            _set(current, _KEYS[key.group(1).lower()], key.group(2).strip())
        else:
            current.text.append(line.rstrip())
    if not found and not any(_NOTHING.match(line) for line in text.splitlines()):
        raise UsageError(
            "no problem found in the report; start each with a line like "
            "'问题1：<title>' (or write 没问题 when there was none)"
        )
    return found


def _set(problem: Problem, key: str, value: str) -> None:
    if key == "module":
        problem.module = value
    elif key == "severity":
        severity = SEVERITIES.get(value.lower())
        if severity is None:
            raise UsageError(
                f"problem {problem.number}: 影响 {value!r} is not one of 低, 中, 高, 紧急"
            )
        problem.severity = severity
    else:
        problem.shots += [name.strip() for name in re.split(r"[,，、;；]+", value) if name.strip()]


def assign_files(report: Report) -> dict[int, list[str]]:
    """Which attached files belong to which problem; every file to exactly one problem."""
    named = {p.number: p.shots for p in report.problems}
    for number, shots in named.items():
        for shot in shots:
            if shot not in report.files:
                attached = ", ".join(report.files) or "none"
                raise UsageError(
                    f"problem {number} names the screenshot {shot!r}, which is not attached "
                    f"(attached: {attached})"
                )
    used = {shot for shots in named.values() for shot in shots}
    rest = [name for name in report.files if name not in used]
    if rest and len(report.problems) == 1:
        named[report.problems[0].number] = [*named[report.problems[0].number], *rest]
    elif rest:
        raise UsageError(
            f"attachment(s) {', '.join(rest)} belong to no problem; name each under its "
            "problem with a line like '截图：name.png'"
        )
    return named
