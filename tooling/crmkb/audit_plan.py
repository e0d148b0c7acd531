"""`kb audit plan`: a reproducible weighted random sample of people or issues, and the draft
audit that records it.

Each group (a person's first role, an issue's module) gets a share of the chance in proportion
to its weight (1 unless given), split equally among its members; the sample is drawn without
replacement by Efraimidis and Spirakis' method (key = u ** (1 / weight), the largest keys win)
from `random.Random(seed)`, over the candidates sorted by id: the same records and seed always
draw the same sample.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from crmkb.errors import UsageError
from crmkb.i18n import _

if TYPE_CHECKING:
    from crmkb.knowledge_base import KnowledgeBase

Population = Literal["people", "issues"]


@dataclass(frozen=True)
class Drawn:
    id: str
    group: str
    label: str


@dataclass(frozen=True)
class Plan:
    population: Population
    seed: int
    size: int
    candidates: int
    drawn: tuple[Drawn, ...]
    groups: dict[str, int]  # group -> candidates in it


def candidates(kb: KnowledgeBase, population: Population, since: dt.date | None) -> list[Drawn]:
    """Active people by their first role, or issues (reported since `since`) by module."""
    from crmkb.records.issue import Issue
    from crmkb.records.person import Person

    if population == "people":
        return sorted(
            (
                Drawn(p.id, p.roles[0] if p.roles else "-", p.name)
                for p in kb.of(Person).values()
                if p.active
            ),
            key=lambda d: d.id,
        )
    return sorted(
        (
            Drawn(i.id, i.module, i.title)
            for i in kb.of(Issue).values()
            if since is None or i.reported >= since
        ),
        key=lambda d: d.id,
    )


def parse_weights(pairs: tuple[str, ...]) -> dict[str, float]:
    weights: dict[str, float] = {}
    for pair in pairs:
        group, sep, raw = pair.partition("=")
        try:
            value = float(raw)
        except ValueError:
            value = -1.0
        if not sep or not group.strip() or not 0 <= value <= 1000:
            message = _("--weight expects GROUP=NUMBER (0 to 1000), like sales-rep=2; got {pair!r}")
            raise UsageError(message.format(pair=pair))
        weights[group.strip()] = value
    return weights


def draw(
    kb: KnowledgeBase,
    population: Population,
    size: int,
    seed: int,
    weights: dict[str, float],
    since: dt.date | None = None,
) -> Plan:
    pool = candidates(kb, population, since)
    groups = Counter(d.group for d in pool)
    unknown = sorted(set(weights) - set(groups))
    if unknown:
        message = _("--weight names {groups}, which no candidate belongs to; groups here: {known}")
        raise UsageError(message.format(groups=", ".join(unknown), known=", ".join(sorted(groups))))
    rng = random.Random(seed)
    keyed: list[tuple[float, Drawn]] = []
    for item in pool:
        weight = weights.get(item.group, 1.0) / groups[item.group]
        u = rng.random()
        if weight > 0:
            keyed.append((u ** (1 / weight), item))
    keyed.sort(key=lambda pair: (-pair[0], pair[1].id))
    chosen = sorted((item for _, item in keyed[:size]), key=lambda d: d.id)
    return Plan(population, seed, size, len(pool), tuple(chosen), dict(sorted(groups.items())))


def write_draft(
    root: Path,
    today: dt.date,
    plan: Plan,
    title: str,
    standard: tuple[str, str, str],
    auditor: str | None,
) -> tuple[str, str]:
    """Write the draft audit (no findings yet) through the store; its id and path."""
    from crmkb import roundtrip
    from crmkb.identity import whoami
    from crmkb.records import REGISTRY
    from crmkb.store import writing
    from crmkb.writes import commit

    kind = REGISTRY["audit"]
    with writing(root, today) as store:
        kb, _found = store.checked()
        who = auditor or whoami(kb)
        if not who:
            raise UsageError(_("say who audits with --auditor P001 (or set `me:` in crmkb.yml)"))
        kind_name, ref, module = standard

        def render(audit_id: str) -> str:
            front = roundtrip.yaml11_safe(
                {
                    "id": audit_id,
                    "title": title,
                    "date": today,
                    "auditor": who,
                    "standard_kind": kind_name,
                    "standard": ref,
                    "module": module,
                    "seed": plan.seed,
                }
            )
            front.insert(7, "sample", roundtrip.flow_list([d.id for d in plan.drawn]))
            body = kind.template(kb.config.language) if kind.template else ""
            return f"---\n{roundtrip.merge('', front)}---\n\n{body}"

        audit_id, path = store.create(kind, render)
        commit(store)
    return audit_id, path.relative_to(root).as_posix()


def parse_standard(value: str) -> tuple[str, str]:
    kind, sep, ref = value.partition(":")
    if not sep or kind not in ("process", "training", "data_rights") or not ref.strip():
        message = _(
            "--standard is KIND:REF with KIND process, training or data_rights, "
            "like training:TM-OP-02; got {value!r}"
        )
        raise UsageError(message.format(value=value))
    return kind, ref.strip()
