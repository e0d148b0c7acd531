"""`kb exam`: sit a certification exam (`kb exam CERT --person ID`), file a saved result
(`kb exam import`) and review the exam questions (`kb exam stats`)."""

from __future__ import annotations

import random
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from crmkb.cli.options import resolve_root, root_option, today
from crmkb.errors import UsageError

if TYPE_CHECKING:
    import datetime as dt

    from crmkb.training.answer_sheet import AnswerSheet
    from crmkb.training.draw import Paper
    from crmkb.training.exam import Clock, Session


class ExamGroup(click.Group):
    """`kb exam CERT …` sits an exam; `kb exam stats|import …` are the other subcommands."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["take", *args]
        return super().parse_args(ctx, args)


@click.group(cls=ExamGroup)
def exam() -> None:
    """Certification exams: sit one, file a saved result, review the questions.

    \b
    Examples:
        kb exam CERT-OP --person P023 --key ~/.ssh/proctor_ed25519
        kb exam import ~/crmkb-exam-P023-CERT-OP-20261120T101500.yml
        kb exam stats CERT-OP
    """


@exam.command("take")
@click.argument("certification")
@click.option("--person", "person_id", required=True, metavar="ID", help="Who takes the exam.")
@click.option(
    "--key",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The proctor's SSH private key (default: a proctor's key in the ssh agent).",
)
@click.option(
    "--answers",
    "answers_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A paper exam's answers, typed in by the proctor (YAML), instead of the terminal.",
)
@click.option("--seed", type=int, help="Seed the draw and the option order, to reproduce a paper.")
@root_option
def take(
    certification: str,
    person_id: str,
    key: Path | None,
    answers_file: Path | None,
    seed: int | None,
    root: Path | None,
) -> None:
    """Sit a certification exam; the proctor's signed result goes to records/exam-results/.

    Questions are drawn at random within the certification's spread over its modules,
    preferring ones the person has not been asked before, with the options of each question
    in a shuffled order, and shown one at a time against the time limit. An answer after the
    deadline is not counted; the attempt is then graded on the answers given in time.

    Once the first question is shown, Ctrl-C, Ctrl-\\, closing the terminal (SIGHUP) or a
    SIGTERM records the attempt as incomplete (a failed attempt); at the start prompt, nothing
    is written. The result is signed with the proctor's SSH key (--key or the ssh agent),
    which must be listed in records/proctors/allowed_signers; kb check rejects unsigned results.

    `kb exam CERT …` is short for `kb exam take CERT …`.

    \b
    Examples:
        kb exam take CERT-OP --person P023 --key ~/.ssh/proctor_ed25519
        kb exam CERT-OP --person P023 --answers paper.yml --seed 7
    """
    from crmkb.cli.exam_sitting import finish, sit
    from crmkb.records.proctors import register
    from crmkb.signatures import ALLOWED_SIGNERS, open_signer
    from crmkb.training.draw import draw
    from crmkb.training.exam import candidate, load_for_exam

    base = resolve_root(root)
    day = today()
    kb = load_for_exam(base, day)
    cert, person = candidate(kb, certification, person_id)
    sheet = None if answers_file is None else _load_sheet(kb, answers_file)
    signer = open_signer(key, base / ALLOWED_SIGNERS, register(kb).text())
    if signer.proctor == person.id:
        raise UsageError(f"{person.id} cannot proctor their own exam; another proctor signs it")
    paper = draw(kb, cert, person, random.Random(seed))
    if sheet is None:
        sit(kb, day, paper, signer)
        return
    session = _run_sheet(paper, sheet, day)
    finish(kb, session, "complete", "answers-file", signer)


def _load_sheet(kb: Any, answers_file: Path) -> AnswerSheet:
    from crmkb.records.question_bank import QuestionBank
    from crmkb.training.answer_sheet import load_answer_sheet

    sheet = load_answer_sheet(answers_file)
    known = {q.id for bank in kb.of(QuestionBank).values() for q in bank.questions}
    stray = sorted(set(sheet.answers) - known)
    if stray:
        raise UsageError(
            f"answers file names {stray[0]}, which is in no question bank; "
            "fix the question id or remove it"
        )
    return sheet


def _run_sheet(paper: Paper, sheet: AnswerSheet, day: dt.date) -> Session:
    from crmkb.training.answer_sheet import SimulatedClock
    from crmkb.training.exam import Session
    from crmkb.training.grading import parse_answer

    clock: Clock = time.monotonic if sheet.seconds_per_answer is None else SimulatedClock()
    session = Session(paper, day, clock)
    while (question := session.ask()) is not None:
        if isinstance(clock, SimulatedClock):
            clock.advance(sheet.seconds_per_answer or 0)
        raw = sheet.answers.get(question.id)
        try:
            given = None if raw is None else parse_answer(question, raw)
        except ValueError as exc:
            raise UsageError(f"answers file: {question.id}: {raw!r} is not valid; {exc}") from None
        if not session.answer(question, given):
            break
    return session


@exam.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@root_option
def import_(file: Path, root: Path | None) -> None:
    """File a result that kb exam saved elsewhere (disk full, folder read-only).

    The signature is verified first; the result gets the next free EXR id. Delete the saved
    file afterwards.

    \b
    Example:
        kb exam import ~/crmkb-exam-P023-CERT-OP-20261120T101500.yml
    """
    from crmkb.training.filing import import_result

    record, path = import_result(resolve_root(root), file)
    click.echo(f"{record.id}: filed as {path}; delete {file} and run kb check")


@exam.command("stats")
@click.argument("certification")
@click.option("--all-attempts", is_flag=True, help="Count every attempt, not only the first.")
@click.option(
    "--format", "fmt", type=click.Choice(["human", "json"]), default="human", show_default=True
)
@root_option
def stats(certification: str, all_attempts: bool, fmt: str, root: Path | None) -> None:
    """Item statistics of a certification's exam questions, as Moodle's quiz report has them.

    Facility index: the share of attempts that answered the question correctly. Discrimination
    index: the correlation (x100) between the question's score and the score on the rest of
    the paper. Questions everyone got right or wrong, and questions that separate strong from
    weak candidates poorly, are flagged. By default only each person's first complete attempt
    counts (as in Moodle). Never published on the site: it is read from the exam pool.

    \b
    Examples:
        kb exam stats CERT-OP
        kb exam stats CERT-OP --format json
    """
    from crmkb.cli.exam_stats import show_stats

    show_stats(resolve_root(root), today(), certification, all_attempts, fmt)


COMMANDS = [exam]
