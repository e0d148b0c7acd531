"""The order a change request moves through: each stage needs the ones before it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from crmkb.records.change_request import ChangeRequest

Problem = tuple[tuple[str | int, ...], str]


def reached(cr: ChangeRequest) -> str:
    """The furthest stage the filled-in fields show."""
    if cr.rollout:
        return "rolled_out"
    if cr.pilot:
        return "piloting"
    if cr.development:
        return "developing"
    if cr.decision:
        return "rejected" if cr.decision.option is None else "decided"
    if cr.evaluations:
        return "evaluated"
    if cr.options:
        return "options_proposed"
    return "requested"


def problems(cr: ChangeRequest, today: dt.date) -> Iterator[Problem]:
    yield from _order(cr)
    yield from _dates(cr, today)
    stage = reached(cr)
    if cr.status != stage:
        yield ("status",), f"status is '{cr.status}' but the filled-in stages show '{stage}'"


def _order(cr: ChangeRequest) -> Iterator[Problem]:
    if cr.options and not (cr.reason and cr.goal):
        yield ("options",), "record the user's `reason` and `goal` before adding options"
    keys = [o.key for o in cr.options]
    for i, key in enumerate(keys):
        if key in keys[:i]:
            yield ("options", i, "key"), f"option key '{key}' is used twice"
    for i, ev in enumerate(cr.evaluations):
        if ev.option not in keys:
            yield ("evaluations", i, "option"), f"evaluation of unknown option '{ev.option}'"
    if cr.decision:
        if not cr.evaluations and cr.decision.option is not None:
            yield ("decision",), "a decision needs the users' `evaluations` of the options first"
        if cr.decision.option is not None and cr.decision.option not in keys:
            yield ("decision", "option"), f"decision names unknown option '{cr.decision.option}'"
    chosen = cr.chosen
    if cr.development and (chosen is None or not chosen.custom_development):
        yield ("development",), "`development` needs a decided option with custom_development: true"
    if chosen and chosen.custom_development and cr.pilot and not _developed(cr):
        yield ("pilot",), "custom development must finish (every milestone done) before a pilot"
    if cr.pilot and (chosen is None):
        yield ("pilot",), "a pilot needs a decision on an option first"
    if cr.rollout and not (cr.pilot and cr.pilot.outcome):
        yield ("rollout",), "a change cannot be rolled out without a pilot outcome"


def _developed(cr: ChangeRequest) -> bool:
    dev = cr.development
    return dev is not None and bool(dev.milestones) and all(m.done for m in dev.milestones)


def _dates(cr: ChangeRequest, today: dt.date) -> Iterator[Problem]:
    steps: list[tuple[tuple[str | int, ...], str, dt.date | None]] = [
        (("requested",), "requested", cr.requested)
    ]
    steps += [(("options", i, "proposed"), "option", o.proposed) for i, o in enumerate(cr.options)]
    steps += [(("evaluations", i, "on"), "evaluation", e.on) for i, e in enumerate(cr.evaluations)]
    if cr.decision:
        steps.append((("decision", "on"), "decision", cr.decision.on))
    if cr.development:
        done = [
            (("development", "milestones", i, "done"), f"milestone '{m.name}' done", m.done)
            for i, m in enumerate(cr.development.milestones)
            if m.done
        ]
        steps += sorted(done, key=lambda step: step[2] or dt.date.min)
    if cr.pilot:
        steps.append((("pilot", "start"), "pilot start", cr.pilot.start))
        steps.append((("pilot", "end"), "pilot end", cr.pilot.end))
    steps.append((("rollout",), "rollout", cr.rollout))
    latest: tuple[str, dt.date] | None = None
    for loc, label, when in steps:
        if when is None:
            continue
        if when > today:
            yield loc, f"{label} date {when} is in the future (today is {today})"
        if latest and when < latest[1]:
            yield loc, f"{label} date {when} is before the {latest[0]} date {latest[1]}"
        else:
            latest = (label, when)
