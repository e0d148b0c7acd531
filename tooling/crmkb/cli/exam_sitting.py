"""The exam sitting in a terminal: questions, the clock, interruptions, and the end screen.

Every way a started sitting can stop (the last answer, the time limit, Ctrl-C, end of input,
SIGHUP from a closed terminal, SIGQUIT from Ctrl-\\, SIGTERM) ends in `finish`, which signs
and files the result. Only SIGKILL cannot be caught; it leaves no result.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import click

from crmkb.errors import UsageError

if TYPE_CHECKING:
    from crmkb.knowledge_base import KnowledgeBase
    from crmkb.records.question_bank import Answer, Question
    from crmkb.signatures import Signer
    from crmkb.training.draw import Paper
    from crmkb.training.exam import Session
    from crmkb.training.filing import Filed

CLOCK_SCALE_ENV = "CRMKB_EXAM_CLOCK_SCALE"
CAUSES = {
    signal.SIGINT: "cause_int",
    signal.SIGQUIT: "cause_quit",
    signal.SIGHUP: "cause_hup",
    signal.SIGTERM: "cause_term",
}


def say(line: str) -> None:
    """Show a line; a terminal that has gone away (SIGHUP) must not stop the filing."""
    with contextlib.suppress(OSError, ValueError):
        click.echo(line)


def sit(kb: KnowledgeBase, day: dt.date, paper: Paper, signer: Signer) -> None:
    from crmkb.training.exam import Interrupted, Session, TimeUp
    from crmkb.training.exam_text import screen_text

    text = screen_text(kb.config.language)
    cert = paper.certification
    say(
        text["header"].format(
            cert=cert.id, name=cert.name, person=paper.person.name, pid=paper.person.id
        )
    )
    say(
        text["rules"].format(
            count=len(paper.questions), minutes=cert.time_limit_minutes, mark=cert.pass_mark
        )
    )
    with _signals_interrupt():
        try:
            click.confirm(text["start"], default=True, abort=True)
        except (click.Abort, Interrupted):
            say("\n" + text["not_started"])
            raise SystemExit(1) from None
        scale = _clock_scale()
        started = time.monotonic()
        session = Session(paper, day, lambda: started + (time.monotonic() - started) * scale)
        # Before the first question is shown, an incomplete result is on disk: even a
        # SIGKILL or a power cut leaves a record of the attempt. The end replaces it.
        with _signals_held():
            provisional = _provisional(kb, session, signer)
        session.started = session.clock()  # the time limit runs from the first question
        cause = ""
        try:
            with _alarm(session.remaining() / scale):
                while (question := session.ask()) is not None:
                    given = _prompt(session, question, text)
                    if not session.answer(question, given):
                        say(text["late"])
                        break
        except TimeUp:
            session.time_up()
            say("\n" + text["time_up"])
        except Interrupted as exc:
            cause = exc.cause
        except click.Abort:
            cause = "cause_eof"
        except OSError:  # the terminal went away under a prompt (EIO)
            cause = "cause_hup"
    if cause:
        session.ended = session.clock()
        say("\n" + text["interrupted"].format(cause=text[cause], answered=len(session.answers)))
        finish(kb, session, "incomplete", "terminal", signer, provisional)
        raise SystemExit(1)
    finish(kb, session, "complete", "terminal", signer, provisional)


def _provisional(kb: KnowledgeBase, session: Session, signer: Signer) -> Filed:
    from crmkb.training.filing import default_fallback_dirs, file_result, seal

    fields, _ = session.result("incomplete")
    return file_result(
        kb.root, seal({**fields, "via": "terminal"}, signer), default_fallback_dirs()
    )


def _prompt(session: Session, question: Question, text: dict[str, str]) -> Answer | None:
    from crmkb.training.grading import AnswerError, parse_answer

    left = int(session.remaining())
    say(
        "\n"
        + text["question"].format(
            i=session.asked,
            count=len(session.paper.questions),
            left=f"{left // 60:02d}:{left % 60:02d}",
        )
    )
    say(question.text)
    shown = session.paper.shown_keys(question) if question.options else None
    for letter, key in (shown or {}).items():
        say(f"  {letter}. {question.options[key]}")
    while True:
        raw = click.prompt(
            text["prompt"].format(hint=text[question.type]), default="", show_default=False
        )
        if not raw.strip():
            return None
        try:
            return parse_answer(question, raw, shown)
        except AnswerError as exc:
            why = text[f"why_{exc.reason}"].format(keys=exc.keys)
            say(text["unreadable"].format(raw=raw, why=why))


def finish(
    kb: KnowledgeBase,
    session: Session,
    status: str,
    via: str,
    signer: Signer,
    provisional: Filed | None = None,
) -> None:
    """Sign and file the result, then show the score and where the result went."""
    from crmkb.training.exam import review_modules
    from crmkb.training.exam_text import screen_text
    from crmkb.training.filing import default_fallback_dirs, file_result, seal, settle

    text = screen_text(kb.config.language)
    with _signals_held():
        fields, _ = session.result(status)  # type: ignore[arg-type]
        sealed = seal({**fields, "via": via}, signer)
        if provisional is None:
            filed = file_result(kb.root, sealed, default_fallback_dirs())
        else:
            filed = settle(kb.root, provisional, sealed, default_fallback_dirs())
    record, cert = filed.record, session.paper.certification
    line = text["verdict"].format(
        id=record.id,
        score=record.score,
        mark=cert.pass_mark,
        outcome=text["passed" if record.passed else "failed"],
    )
    if record.expires:
        line += text["expires"].format(date=record.expires)
    if record.timed_out:
        line += text["timed_out"]
    say(line)
    if record.failed and cert.retake_wait_days:
        say(text["retake"].format(date=record.taken + dt.timedelta(days=cert.retake_wait_days)))
    modules = review_modules(session)
    if modules:
        titles = kb.records.get("training", {})
        names = [f"{m} {getattr(titles.get(m), 'title', '')}".strip() for m in modules]
        say(
            text["review"].format(
                modules="；".join(names) if kb.config.language == "zh" else "; ".join(names)
            )
        )
    if filed.path is None:
        say(text["on_screen"].format(problem=filed.problem))
        say(filed.text)
        raise SystemExit(1)
    if filed.problem:
        say(text["fallback"].format(problem=filed.problem, path=filed.path))
        raise SystemExit(1)
    say(text["written"].format(path=filed.path.relative_to(kb.root).as_posix()))


@contextlib.contextmanager
def _signals_interrupt() -> Iterator[None]:
    """Ctrl-C, Ctrl-\\, a closed terminal and SIGTERM all end the sitting the same way."""
    from crmkb.training.exam import Interrupted

    def stop(signum: int, frame: Any) -> None:
        raise Interrupted(CAUSES[signal.Signals(signum)])

    previous = {s: signal.signal(s, stop) for s in CAUSES}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """While the result is signed and written, a second signal must not cut it short."""
    previous = {s: signal.signal(s, signal.SIG_IGN) for s in CAUSES}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


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
