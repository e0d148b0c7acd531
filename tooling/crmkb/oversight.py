"""The report's oversight sections: audit conformance, master-data checks, recurring problems.

Definitions, so the numbers can be checked by hand:
- conformance: findings that conform / all findings, of the audits dated up to the period's
  end; per module by the audit's standard, per role by the roles of a person sampled (a
  sampled record counts for its module only); the trend is the same rate per month.
- a data check's trend is each run of the check up to the period's end: found and fixed.
- recurring problems: the clusters (see recurring.py) in the window ending on the period's end.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING

from crmkb.escape import markdown_inline as md
from crmkb.i18n import _
from crmkb.records.audit import Audit
from crmkb.records.data_check import DataCheck

if TYPE_CHECKING:
    from crmkb.knowledge_base import KnowledgeBase

Tally = dict[str, list[int]]  # key -> [conforming, findings]


def conformance(kb: KnowledgeBase, end: dt.date) -> tuple[Tally, Tally, Tally]:
    """(per module, per role, per month) conformance of the findings up to `end`."""
    from crmkb.records.person import Person

    people = kb.of(Person)
    modules: Tally = defaultdict(lambda: [0, 0])
    roles: Tally = defaultdict(lambda: [0, 0])
    months: Tally = defaultdict(lambda: [0, 0])
    for audit in kb.of(Audit).values():
        if audit.date > end:
            continue
        for finding in audit.findings:
            hit = int(finding.conforms)
            person = people.get(finding.subject)
            keys = [(modules, audit.module), (months, f"{audit.date:%Y-%m}")]
            keys += [(roles, role) for role in (person.roles if person else [])]
            for table, key in keys:
                table[key][0] += hit
                table[key][1] += 1
    return dict(modules), dict(roles), dict(months)


def _rate(pair: list[int]) -> str:
    return f"{100 * pair[0] / pair[1]:.0f}% ({pair[0]}/{pair[1]})"


def _table(title: str, head: str, tally: Tally, names: dict[str, str]) -> list[str]:
    rate = _("conformance")
    lines = [f"### {title}", "", f"| {head} | {rate} |", "|---|---:|"]
    lines += [f"| {md(names.get(k, k))} | {_rate(v)} |" for k, v in sorted(tally.items())]
    return [*lines, ""]


def audit_lines(kb: KnowledgeBase, end: dt.date) -> list[str]:
    from crmkb.records.crm_module import CrmModule
    from crmkb.records.role import Role

    modules, roles, months = conformance(kb, end)
    if not modules:
        return []
    module_names = {m.id: m.name for m in kb.of(CrmModule).values()}
    role_names = {r.id: r.name for r in kb.of(Role).values()}
    lines = ["## " + _("Audits"), ""]
    lines += _table(_("Conformance by module"), _("module"), modules, module_names)
    if roles:
        lines += _table(_("Conformance by role"), _("role"), roles, role_names)
    lines += _table(_("Conformance by month"), _("month"), months, {})
    return lines


def data_check_lines(kb: KnowledgeBase, end: dt.date) -> list[str]:
    runs: dict[str, list[DataCheck]] = defaultdict(list)
    for run in sorted(kb.of(DataCheck).values(), key=lambda r: (r.date, r.id)):
        if run.date <= end:
            runs[run.check].append(run)
    if not runs:
        return []
    lines = ["## " + _("Master-data checks"), ""]
    head = [_("check"), _("date"), _("found"), _("fixed"), _("cause")]
    lines += ["| " + " | ".join(head) + " |", "|---|---|---:|---:|---|"]
    for _name, found in sorted(runs.items()):
        for run in found:
            cause = md(run.cause or "")
            lines.append(f"| {md(run.title)} | {run.date} | {run.found} | {run.fixed} | {cause} |")
    return [*lines, ""]


def cluster_lines(kb: KnowledgeBase, end: dt.date) -> list[str]:
    from crmkb.recurring import clusters, describe

    found = clusters(kb, end)
    if not found:
        return []
    lines = ["## " + _("Recurring problems"), ""]
    for cluster in found:
        if cluster.root_cause:
            cause = _("root cause: {id}").format(id=cluster.root_cause)
        else:
            cause = _("no root cause yet")
        lines.append(f"- {md(describe(kb, cluster))}{_('; ')}{cause}")
    return [*lines, ""]


def sections(kb: KnowledgeBase, end: dt.date) -> list[str]:
    """Every oversight section with something to show, as of `end`."""
    return audit_lines(kb, end) + data_check_lines(kb, end) + cluster_lines(kb, end)
