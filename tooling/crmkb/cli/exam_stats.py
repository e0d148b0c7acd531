"""`kb exam stats CERT`: item statistics of the recorded results, for the lead only."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from crmkb.errors import KbError, UsageError


def show_stats(root: Path, day: dt.date, cert_id: str, all_attempts: bool, fmt: str) -> None:
    from crmkb.records.certification import Certification
    from crmkb.records.exam_result import ExamResult, exam_questions
    from crmkb.training.exam import load_for_exam
    from crmkb.training.item_stats import item_statistics

    kb = load_for_exam(root, day)
    cert = kb.of(Certification).get(cert_id)
    if cert is None:
        known = ", ".join(sorted(kb.of(Certification))) or "none defined"
        raise UsageError(f"unknown certification {cert_id!r}; choose one of: {known}")
    pool = exam_questions(kb, cert)
    if not pool:
        raise KbError(f"the exam pool of {cert.id} is not here; set exam_pool in crmkb.yml")
    results = sorted(
        (r for r in kb.of(ExamResult).values() if r.certification == cert.id),
        key=lambda r: (r.taken, r.id),
    )
    chosen, seen = [], set()
    for result in results:
        if result.status != "complete" or (not all_attempts and result.person in seen):
            continue
        seen.add(result.person)
        chosen.append(result)
    attempts = [
        {q: pool[q].correct(r.answers.get(q)) for q in r.questions if q in pool} for r in chosen
    ]
    rows = item_statistics(attempts)
    if fmt == "json":
        payload = {
            "certification": cert.id,
            "attempts": len(chosen),
            "all_attempts": all_attempts,
            "questions": [row.as_dict() for row in rows],
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    click.echo(f"{'question':<16}{'attempts':>9}{'facility':>10}{'discrim.':>10}  flags")
    for row in rows:
        d = "-" if row.discrimination is None else f"{row.discrimination:.1f}"
        click.echo(
            f"{row.question:<16}{row.attempts:>9}{row.facility:>9.1f}%{d:>10}  "
            + ", ".join(row.flags)
        )
    which = "all complete attempts" if all_attempts else "first complete attempt per person"
    click.echo(f"{cert.id}: {len(chosen)} attempts ({which}), {len(rows)} questions", err=True)
