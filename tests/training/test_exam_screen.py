"""The exam screen: accepted answer forms, option keys in any case, shuffled options, the
content language, and a review that never singles out a wrong answer."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
import yaml
from exam_kit import dump, exam_bank, key_of, wrong
from test_exam_cli import kb, result, take

from crmkb.knowledge_base import load
from crmkb.records.certification import Certification
from crmkb.records.person import Person
from crmkb.records.question_bank import Question
from crmkb.training.draw import draw
from crmkb.training.exam_text import EN, ZH
from crmkb.training.grading import AnswerError, parse_answer

MULTIPLE = Question.model_validate(exam_bank(1)["questions"][1])  # options A, B, C; key A, C


@pytest.mark.parametrize("typed", ["A,C", "A、C", "AC", "a c", "c，a", "ca", "A;C"])
def test_every_usual_way_of_typing_two_options_is_read(typed: str) -> None:
    assert parse_answer(MULTIPLE, typed) == ["A", "C"]


def test_letters_shown_on_screen_map_to_the_questions_own_keys() -> None:
    shown = {"A": "C", "B": "A", "C": "B"}  # this sitting shows option C first
    assert parse_answer(MULTIPLE, "a、b", shown) == ["A", "C"]
    with pytest.raises(AnswerError) as caught:
        parse_answer(MULTIPLE, "D", shown)
    assert caught.value.reason == "keys" and caught.value.keys == "A, B, C"


def lower_case_bank(root: Path) -> None:
    bank = exam_bank(1)
    for q in bank["questions"]:
        if q.get("options"):
            q["options"] = {k.lower(): v for k, v in q["options"].items()}
            q["answer"] = [a.lower() for a in q["answer"]] if q["type"] == "multiple" else "b"
    dump(root / "records" / "questions" / "QB-OP-01.yml", bank)


def test_lower_case_option_keys_work_the_same_in_kb_check_and_kb_exam(kb_root: Path) -> None:
    lower_case_bank(kb_root)
    assert kb(kb_root, "check").exit_code == 0
    answers: dict[str, Any] = {
        q: (a.upper() if isinstance(a, str) else a) for q, a in key_of(kb_root).items()
    }
    run = take(kb_root, answers)  # typed in capitals against keys written in lower case
    assert run.stdout.startswith("EXR-0001：得分 100"), run.output
    assert kb(kb_root, "check").exit_code == 0


def test_option_keys_that_differ_only_in_case_are_refused(kb_root: Path) -> None:
    bank = exam_bank(1)
    bank["questions"][0]["options"] = {"A": "甲", "a": "乙", "B": "丙"}
    dump(kb_root / "records" / "questions" / "QB-OP-01.yml", bank)
    assert (
        "records/questions/QB-OP-01.yml:9:5: error: two option keys differ only in case; "
        "make the keys distinct" in kb(kb_root, "check").stdout
    )


def test_options_are_shuffled_per_sitting_and_reproducible_from_the_seed(kb_root: Path) -> None:
    kb_ = load(kb_root)
    cert, person = kb_.of(Certification)["CERT-T"], kb_.of(Person)["P010"]
    orders = [draw(kb_, cert, person, random.Random(seed)).option_order for seed in range(8)]
    assert draw(kb_, cert, person, random.Random(3)).option_order == orders[3]
    assert len({tuple(sorted(o.items())) for o in orders}) > 1
    assert any(order != tuple(sorted(order)) for o in orders for order in o.values())


def test_english_content_gets_an_english_exam_screen(kb_root: Path) -> None:
    (kb_root / "crmkb.yml").write_text("language: en\ncalendar: weekends\n", "utf-8")
    run = take(kb_root, {})
    assert run.stdout.splitlines() == [
        "EXR-0001: score 0 (pass mark 75), not passed",
        "A retake is allowed from 2026-11-23.",
        "Revise: TM-OP-01 客户管理; TM-OP-02 跟进管理",
        "Written to records/exam-results/EXR-0001.yml; the project lead commits it through a "
        "pull request.",
    ]


def test_both_languages_say_everything() -> None:
    assert set(ZH) == set(EN)


def review_line(root: Path, answers: dict[str, Any]) -> str:
    run = take(root, answers, person="P011", seed=9)
    return next(line for line in run.stdout.splitlines() if line.startswith("建议复习"))


def test_the_review_names_a_module_only_when_no_single_answer_is_given_away(
    kb_root: Path,
) -> None:
    take(kb_root, {}, person="P010", seed=9)  # the paper seed 9 draws
    paper = result(kb_root, "EXR-0001")["questions"]
    key = key_of(kb_root)
    first = [q for q in paper if q.startswith("Q-OP-01")]
    answers = {q: key[q] for q in paper}
    answers[first[0]] = wrong(key[first[0]])
    # One of the two TM-OP-01 answers wrong: naming TM-OP-01 leaves both in doubt.
    assert review_line(kb_root, answers) == "建议复习：TM-OP-01 客户管理"
    forget_p011(kb_root)
    # Both TM-OP-01 answers wrong and the rest right: naming TM-OP-01 alone would give both
    # away, so every module on the paper is named.
    answers.update({q: wrong(key[q]) for q in first})
    assert review_line(kb_root, answers) == "建议复习：TM-OP-01 客户管理；TM-OP-02 跟进管理"


def forget_p011(root: Path) -> None:
    """Forget P011's attempt so the next one is not a retake inside the wait."""
    for path in (root / "records" / "exam-results").glob("EXR-*.yml"):
        if yaml.safe_load(path.read_text("utf-8"))["person"] == "P011":
            path.unlink()


def test_a_timed_out_sitting_records_the_whole_limit_whatever_the_clock(kb_root: Path) -> None:
    """`started + limit - started` is 599.9999999995343 for this start: never record 599."""
    from crmkb.training.exam import Session

    kb_ = load(kb_root)
    cert, person = kb_.of(Certification)["CERT-T"], kb_.of(Person)["P010"]
    paper = draw(kb_, cert, person, random.Random(0))
    start = 4193799.9403939885
    assert (start + 600) - start < 600  # the float subtraction this guards against
    clock = iter([start, start + 10_000.0])
    session = Session(paper, load(kb_root).today, clock=lambda: next(clock))
    assert session.ask() is None and session.timed_out
    fields, _grade = session.result("complete")
    assert fields["duration_seconds"] == cert.time_limit_minutes * 60
