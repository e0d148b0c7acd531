"""`kb exam CERT --person ID`: take a certification exam in the terminal and record the result."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from crmkb.cli.options import resolve_root, root_option, today
from crmkb.errors import KbError, UsageError

if TYPE_CHECKING:
    import datetime as dt

    from crmkb.records.question_bank import Answer, Question
    from crmkb.training.answer_sheet import AnswerSheet
    from crmkb.training.draw import Paper
    from crmkb.training.exam import Clock, Session

KIND_HINT = {
    "single": "单选，输入一个选项，如 A",
    "multiple": "多选，输入全部正确选项，如 A,C",
    "true_false": "判断，输入 对 或 错（T/F）",
}
CLOCK_SCALE_ENV = "CRMKB_EXAM_CLOCK_SCALE"


@click.command()
@click.argument("certification")
@click.option("--person", "person_id", required=True, metavar="ID", help="Who takes the exam.")
@click.option(
    "--answers",
    "answers_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Answer from a YAML file instead of the terminal (tests and drills).",
)
@click.option("--seed", type=int, help="Seed the random draw, to reproduce a paper.")
@root_option
def exam(
    certification: str,
    person_id: str,
    answers_file: Path | None,
    seed: int | None,
    root: Path | None,
) -> None:
    """Take a certification exam and write its result to records/exam-results/.

    Questions are drawn at random within the certification's spread over its modules,
    preferring ones the person has not been asked before, and shown one at a time against
    the time limit. An answer after the deadline is not counted; the attempt is then graded
    on the answers given in time. Ctrl-C after the first question records the attempt as
    incomplete (a failed attempt); before it, nothing is written. The project lead commits
    the result file through a pull request.

    \b
    Examples:
        kb exam CERT-OP --person P023
        kb exam CERT-OP --person P023 --answers answers.yml --seed 7
    """
    from crmkb.training.draw import draw
    from crmkb.training.exam import candidate, load_for_exam

    base = resolve_root(root)
    day = today()
    kb = load_for_exam(base, day)
    cert, person = candidate(kb, certification, person_id)
    paper = draw(kb, cert, person, random.Random(seed))
    if answers_file is not None:
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
        session = _from_sheet(paper, sheet, day)
        _finish(base, session, "complete", "answers-file")
        return
    _from_terminal(base, day, paper)


def _from_sheet(paper: Paper, sheet: AnswerSheet, day: dt.date) -> Session:
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


def _from_terminal(base: Path, day: dt.date, paper: Paper) -> None:
    from crmkb.training.exam import Session, TimeUp

    cert = paper.certification
    click.echo(f"{cert.id} {cert.name}　考生：{paper.person.name}（{paper.person.id}）")
    click.echo(
        f"共 {len(paper.questions)} 题，限时 {cert.time_limit_minutes} 分钟，"
        f"{cert.pass_mark} 分及格。超时后作答不计分；直接回车可跳过一题；"
        "Ctrl-C 中断（记为未完成）。"
    )
    try:
        click.confirm("开始考试？", default=True, abort=True)
    except click.Abort:
        raise KbError("exam not started; nothing was recorded") from None
    scale = _clock_scale()
    started = time.monotonic()
    session = Session(paper, day, lambda: started + (time.monotonic() - started) * scale)
    try:
        with _alarm(session.remaining() / scale):
            while (question := session.ask()) is not None:
                given = _prompt(session, question)
                if not session.answer(question, given):
                    click.echo("时间到：该答案在截止时间之后提交，不计分。")
                    break
    except TimeUp:
        session.time_up()
        click.echo("\n时间到，考试结束。")
    except (click.Abort, KeyboardInterrupt, EOFError):
        _interrupted(base, session)
    _finish(base, session, "complete", "terminal")


def _prompt(session: Session, question: Question) -> Answer | None:
    from crmkb.training.grading import parse_answer

    left = int(session.remaining())
    click.echo(
        f"\n第 {session.asked}/{len(session.paper.questions)} 题　"
        f"剩余时间 {left // 60:02d}:{left % 60:02d}"
    )
    click.echo(question.text)
    for key, label in sorted(question.options.items()):
        click.echo(f"  {key}. {label}")
    while True:
        raw = click.prompt(f"答案（{KIND_HINT[question.type]}）", default="", show_default=False)
        if not raw.strip():
            return None
        try:
            return parse_answer(question, raw)
        except ValueError as exc:
            click.echo(f"无法识别 {raw!r}：{exc}")


def _interrupted(base: Path, session: Session) -> None:
    if session.asked == 0:
        raise KbError("exam interrupted before the first question; nothing was recorded")
    session.ended = session.clock()
    record, path = _write(base, session, "incomplete", "terminal")
    raise KbError(
        f"exam interrupted after {len(session.answers)} answers; recorded as incomplete in "
        f"{path.relative_to(base).as_posix()} ({record.id}). It counts as a failed attempt."
    )


def _finish(base: Path, session: Session, status: str, via: str) -> None:
    record, path = _write(base, session, status, via)
    verdict = "通过" if record.passed else "未通过"
    cert = session.paper.certification
    line = f"{record.id}：得分 {record.score}（及格线 {cert.pass_mark}），{verdict}"
    if record.expires:
        line += f"，有效期至 {record.expires}"
    if record.timed_out:
        line += "（超时，按截止前的作答评分）"
    click.echo(line)
    _review_hint(session)
    click.echo(f"已写入 {path.relative_to(base).as_posix()}，请项目负责人通过 pull request 提交。")


def _write(base: Path, session: Session, status: str, via: str) -> tuple[Any, Path]:
    from crmkb.training.exam import write_result

    fields, _ = session.result(status)  # type: ignore[arg-type]
    fields["via"] = via
    return write_result(base, fields)


def _review_hint(session: Session) -> None:
    """Sections to revise, without showing which answer was right (the key stays secret)."""
    wrong = sorted(
        {
            f"{q.id.rsplit('-', 1)[0]} · {q.section}"
            for q in session.paper.questions
            if not q.correct(session.answers.get(q.id))
        }
    )
    if wrong:
        click.echo("建议复习：" + "；".join(wrong))


def _clock_scale() -> float:
    """Tests run the exam clock faster (never slower) with CRMKB_EXAM_CLOCK_SCALE."""
    raw = os.environ.get(CLOCK_SCALE_ENV, "1")
    try:
        scale = float(raw)
    except ValueError:
        scale = 0.0
    if scale < 1:
        raise UsageError(f"{CLOCK_SCALE_ENV}={raw!r} must be a number of 1 or more")
    return scale


@contextlib.contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    """Interrupt the waiting prompt when the time limit passes (POSIX interval timer)."""
    from crmkb.training.exam import TimeUp

    if not hasattr(signal, "setitimer"):
        yield  # elsewhere, a late answer is still refused by Session.answer
        return

    def ring(signum: int, frame: Any) -> None:
        raise TimeUp

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.001))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


COMMANDS = [exam]
