"""How urgent each open issue is, for the open list and the issue page: its SLA clock in words.

Reuses `crmkb.sla` (the same clocks `kb sla` and `kb check` report), computed once per build.
"""

from __future__ import annotations

from dataclasses import dataclass

from crmkb.escape import markdown_inline
from crmkb.knowledge_base import KnowledgeBase
from crmkb.records.issue import Issue
from crmkb.sla import Clock, clock, kb_calendar

SEVERITY_RANK = {"critical": 0, "high": 1, "medium": 2, "low": 3}
# Overdue first, then due today, then running, then met (the project's move, no deadline),
# then waiting on the user (clock paused).
STATE_RANK = {"overdue": 0, "due_today": 1, "on_track": 2, "none": 3, "waiting": 4}

_WORDS = {
    "zh": {
        "overdue": "已超期 {late} 个工作日（应于 {due} 前）",
        "due_today": "今天到期",
        "on_track": "{due} 到期",
        "waiting": "等待用户验证（自 {since}）",
        "none": "本阶段时限已满足",
    },
    "en": {
        "overdue": "overdue by {late} working days (due {due})",
        "due_today": "due today",
        "on_track": "due {due}",
        "waiting": "waiting on the user (since {since})",
        "none": "deadline met for this step",
    },
}


# The states the reader's browser recomputes from the due date (assets/crmkb-clock/clock.js).
MOVING = ("overdue", "due_today", "on_track")


@dataclass(frozen=True)
class Urgency:
    state: str  # overdue, due_today, on_track, waiting, none
    words: str
    rank: tuple[int, int, int, str, str]
    due: str = ""  # ISO date, for the states in MOVING

    def html(self) -> str:
        """The words as Markdown; a moving deadline is marked for the browser to recompute."""
        shown = markdown_inline(self.words)
        if self.state not in MOVING:
            return shown
        return f'<time class="crmkb-due" datetime="{self.due}">{shown}</time>'


def words_of(language: str) -> dict[str, str]:
    """The SLA phrases of the content language (crmkb.yml `language`)."""
    return _WORDS.get(language, _WORDS["zh"])


def moving_words(kb: KnowledgeBase) -> dict[str, str]:
    """Each moving deadline's words as built -> its due date (for the reader's browser)."""
    found = {}
    for issue in kb.of(Issue).values():
        if issue.is_open and (u := urgency(kb, issue)).state in MOVING:
            found[u.words] = u.due
    return found


def urgency(kb: KnowledgeBase, issue: Issue) -> Urgency:
    """The issue's SLA standing today, in the content language, with a sort key."""
    found = _clocks(kb).get(issue.id)
    state = _state(issue, found)
    words = words_of(kb.config.language)[state]
    due = found.due.isoformat() if found else ""
    since = found.waiting_since or found.met_on if found else None
    late = found.late_by if found else 0
    text = words.format(late=late, due=due, since=since.isoformat() if since else "—")
    rank = (STATE_RANK[state], SEVERITY_RANK.get(issue.severity, 9), -late, due, issue.id)
    return Urgency(state, text, rank, due)


def _state(issue: Issue, found: Clock | None) -> str:
    if issue.status == "verifying":
        return "waiting"
    if found is None or found.met_on is not None:
        return "none"
    return found.state


_last: list[tuple[KnowledgeBase, dict[str, Clock]]] = []


def _clocks(kb: KnowledgeBase) -> dict[str, Clock]:
    if _last and _last[0][0] is kb:
        return _last[0][1]
    calendar = kb_calendar(kb)
    found: dict[str, Clock] = {}
    for issue in kb.of(Issue).values():
        if issue.is_open and (c := clock(issue, kb.config, calendar, kb.today)) is not None:
            found[issue.id] = c
    _last[:] = [(kb, found)]
    return found
