"""Reporter points by severity and the monthly ranking of role models (seed 002)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from crmkb.errors import UsageError
from crmkb.escape import markdown_inline as md
from crmkb.labels import labels
from crmkb.records.issue import Issue
from crmkb.records.person import Person

if TYPE_CHECKING:
    from crmkb.knowledge_base import KnowledgeBase

NO_POINTS = frozenset({"duplicate", "declined"})
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Standing:
    """One reporter's month: rank (ties share it), points and the issues that earned them."""

    rank: int
    person: str
    name: str
    points: int
    issues: tuple[str, ...]


def parse_month(value: str) -> tuple[int, int]:
    match = _MONTH.match(value)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise UsageError(f"month {value!r} is not like 2026-11")
    return int(match.group(1)), int(match.group(2))


def earns(issue: Issue) -> bool:
    """Points go to confirmed reporters of reports that were not duplicates or declined."""
    return issue.status not in NO_POINTS and issue.reporter_confirmed is not False


def ranking(kb: KnowledgeBase, month: str) -> list[Standing]:
    """Reporters of issues reported in `month`, most points first."""
    year, number = parse_month(month)
    table = kb.config.points
    totals: dict[str, int] = {}
    earned: dict[str, list[str]] = {}
    for issue in sorted(kb.of(Issue).values(), key=lambda i: i.id):
        if (issue.reported.year, issue.reported.month) != (year, number) or not earns(issue):
            continue
        totals[issue.reporter] = totals.get(issue.reporter, 0) + table.get(issue.severity, 0)
        earned.setdefault(issue.reporter, []).append(issue.id)
    people = kb.of(Person)
    order = sorted(totals, key=lambda p: (-totals[p], -len(earned[p]), p))
    standings: list[Standing] = []
    for position, person in enumerate(order, 1):
        rank = position
        if standings and standings[-1].points == totals[person]:
            rank = standings[-1].rank
        name = people[person].name if person in people else person
        standings.append(Standing(rank, person, name, totals[person], tuple(earned[person])))
    return standings


def months_with_reports(kb: KnowledgeBase) -> list[str]:
    """Every month, oldest first, from the first issue's to today's."""
    dates = [i.reported for i in kb.of(Issue).values()]
    if not dates:
        return []
    day = min(dates).replace(day=1)
    last = max(max(dates), kb.today)
    months = []
    while day <= last:
        months.append(f"{day.year}-{day.month:02d}")
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return months


def leaderboard(kb: KnowledgeBase, month: str, limit: int = 10) -> str:
    """The month's role models as a Markdown table (for the site)."""
    standings = ranking(kb, month)[:limit]
    lines = [f"## {month} 问题上报榜", ""]
    if not standings:
        return "\n".join([*lines, "本月暂无计分的问题上报。", ""])
    lines += ["| 名次 | 上报人 | 积分 | 问题 |", "|---:|---|---:|---|"]
    for s in standings:
        name, issues = md(f"{s.name}（{s.person}）"), md(", ".join(s.issues))
        lines.append(f"| {s.rank} | {name} | {s.points} | {issues} |")
    severity = labels(kb.config.language).severity
    points = "、".join(f"{md(severity.get(k, k))} {v} 分" for k, v in kb.config.points.items())
    lines += ["", f"积分按问题严重程度计算（{points}）；重复或被驳回的上报不计分。", ""]
    return "\n".join(lines)
