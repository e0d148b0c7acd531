"""Moving a change request through its stages, editing its file in place.

Each edit adds one stage's fields, sets the status the filled-in stages show, and is refused
(file untouched) when change_stages finds the result out of order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crmkb import roundtrip
from crmkb.errors import KbError
from crmkb.lifecycle import load_for_edit, plain_data
from crmkb.records.change_request import ChangeRequest
from crmkb.store import writing

ORDER = tuple(ChangeRequest.model_fields)
Edit = Callable[[Any, ChangeRequest], None]


@dataclass(frozen=True)
class Advanced:
    id: str
    before: str
    after: str
    path: str


def advance(root: Path, today: dt.date, cr_id: str, edit: Edit) -> Advanced:
    """Apply `edit` to the change request's front matter, check the stage order, write."""
    from pydantic import ValidationError

    from crmkb.records.change_stages import problems, reached

    with writing(root, today) as change:
        _, cr = load_for_edit(change, cr_id, ChangeRequest)
        matter = roundtrip.parse(root / cr.path, cr.path, change.read(cr.path))
        edit(matter.data, cr)
        plain = plain_data(matter)
        try:
            draft = ChangeRequest.model_validate({**plain, "status": "requested"})
        except ValidationError:
            draft = None  # the located errors come from the change's own check below
        if draft is not None:
            roundtrip.put(matter.data, "status", reached(draft), ORDER)
            edited = draft.model_copy(update={"status": reached(draft)})
            for _, message in problems(edited, today):
                raise KbError(f"{cr.id}: {message}; nothing was changed")
        change.write(cr.path, matter.render())
        change.commit()
    after = edited.status if draft is not None else cr.status
    return Advanced(cr.id, cr.status, after, cr.path)


def _append(data: Any, key: str, item: dict[str, Any]) -> None:
    if data.get(key) is None:
        roundtrip.put(data, key, [item], ORDER)
    else:
        data[key].append(roundtrip.yaml11_safe(item))


def _undecided(cr: ChangeRequest, what: str) -> None:
    if cr.decision is not None:
        raise KbError(f"{cr.id} was decided on {cr.decision.on}; {what} can no longer be added")


def option(key: str, summary: str, custom: bool, on: dt.date) -> Edit:
    def edit(data: Any, cr: ChangeRequest) -> None:
        _undecided(cr, "options")
        item = {"key": key, "summary": summary, "custom_development": custom, "proposed": on}
        _append(data, "options", item)

    return edit


def evaluate(option_key: str, by: str, verdict: str, comment: str | None, on: dt.date) -> Edit:
    def edit(data: Any, cr: ChangeRequest) -> None:
        _undecided(cr, "evaluations")
        item: dict[str, Any] = {"option": option_key, "by": by, "on": on, "verdict": verdict}
        if comment:
            item["comment"] = comment
        _append(data, "evaluations", item)

    return edit


def decide(option_key: str | None, by: str, note: str | None, on: dt.date) -> Edit:
    def edit(data: Any, cr: ChangeRequest) -> None:
        if cr.decision is not None:
            raise KbError(f"{cr.id} already has a decision (on {cr.decision.on})")
        item: dict[str, Any] = {"option": option_key, "on": on, "by": by}
        if note:
            item["note"] = note
        roundtrip.put(data, "decision", item, ORDER)

    return edit


def develop(cost: float, vendor: str | None, milestones: list[tuple[str, dt.date]]) -> Edit:
    def edit(data: Any, cr: ChangeRequest) -> None:
        if cr.development is not None:
            raise KbError(f"{cr.id} already has its development plan; edit milestones instead")
        item: dict[str, Any] = {"cost": cost}
        if vendor:
            item["vendor"] = vendor
        item["milestones"] = [{"name": name, "due": due} for name, due in milestones]
        roundtrip.put(data, "development", item, ORDER)

    return edit


def milestone_done(name: str, on: dt.date) -> Edit:
    def edit(data: Any, cr: ChangeRequest) -> None:
        plan = data.get("development") or {}
        for item in plan.get("milestones") or []:
            if item.get("name") == name:
                if item.get("done"):
                    raise KbError(f"{cr.id}: milestone {name!r} is already done ({item['done']})")
                item["done"] = on
                return
        known = ", ".join(repr(m.name) for m in cr.development.milestones) if cr.development else ""
        raise KbError(f"{cr.id} has no milestone {name!r}; its milestones: {known or 'none'}")

    return edit


def pilot(users: list[str], on: dt.date) -> Edit:
    def edit(data: Any, cr: ChangeRequest) -> None:
        if cr.pilot is not None:
            raise KbError(f"{cr.id} already has a pilot (started {cr.pilot.start})")
        roundtrip.put(data, "pilot", {"users": roundtrip.flow_list(users), "start": on}, ORDER)

    return edit


def pilot_outcome(outcome: str, on: dt.date) -> Edit:
    def edit(data: Any, cr: ChangeRequest) -> None:
        if cr.pilot is None:
            raise KbError(f"{cr.id} has no pilot yet; start one with kb cr pilot")
        if cr.pilot.outcome:
            raise KbError(f"{cr.id}'s pilot already ended on {cr.pilot.end} with an outcome")
        data["pilot"]["end"] = on
        data["pilot"]["outcome"] = roundtrip.yaml11_safe(outcome)

    return edit


def rollout(on: dt.date) -> Edit:
    def edit(data: Any, cr: ChangeRequest) -> None:
        if cr.rollout is not None:
            raise KbError(f"{cr.id} was already rolled out on {cr.rollout}")
        roundtrip.put(data, "rollout", on, ORDER)

    return edit
