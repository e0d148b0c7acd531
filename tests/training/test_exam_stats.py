"""`kb exam stats`: Moodle's facility and discrimination indices, checked by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from exam_kit import key_of
from test_exam_cli import kb, result, take

from crmkb.training.item_stats import item_statistics

# Four attempts at the same three questions (1 = right):
#        q1 q2 q3   total
#   A     1  1  1     3
#   B     1  1  0     2
#   C     0  1  0     1
#   D     0  0  0     0
# q1: x = 1,1,0,0; rest of paper (other two, as a share) = 1, .5, .5, 0.
#     F = 50. Deviations .5,.5,-.5,-.5 and .5,0,0,-.5: cov .5, Sxx 1, Syy .5,
#     r = .5 / sqrt(.5) = .7071, D = 70.71.
# q2: x = 1,1,1,0; rest = 1, .5, 0, 0 (mean .375). F = 75. Deviations .25,.25,.25,-.75 and
#     .625,.125,-.375,-.375: cov .375, Sxx .75, Syy .6875, r = .375 / sqrt(.515625) = .5222.
# q3: x = 1,0,0,0; rest = 1, 1, .5, 0 (mean .625). F = 25. Deviations .75,-.25,-.25,-.25 and
#     .375,.375,-.125,-.625: cov .375, Sxx .75, Syy .6875, D = 52.22.
HAND = [
    {"q1": True, "q2": True, "q3": True},
    {"q1": True, "q2": True, "q3": False},
    {"q1": False, "q2": True, "q3": False},
    {"q1": False, "q2": False, "q3": False},
]


def test_the_indices_match_the_hand_computed_example() -> None:
    rows = [row.as_dict() for row in item_statistics(HAND)]
    assert [(r["question"], r["facility"], r["discrimination"]) for r in rows] == [
        ("q1", 50.0, 70.71),
        ("q2", 75.0, 52.22),
        ("q3", 25.0, 52.22),
    ]
    assert all(r["flags"] == ["few attempts"] for r in rows)


def test_questions_everyone_gets_right_or_wrong_are_flagged() -> None:
    attempts = [{"a": True, "b": False, "c": True}, {"a": True, "b": False, "c": False}]
    rows = {row.question: row for row in item_statistics(attempts)}
    assert rows["a"].flags == ("everyone right", "few attempts")
    assert rows["b"].flags == ("everyone wrong", "few attempts")
    assert rows["a"].discrimination is None  # no variation: undefined, as in Moodle


def test_a_question_the_weak_get_right_has_negative_discrimination() -> None:
    attempts = [
        {"good": True, "odd": False, "x": True},
        {"good": True, "odd": False, "x": True},
        {"good": False, "odd": True, "x": False},
        {"good": False, "odd": True, "x": False},
        {"good": True, "odd": False, "x": False},
    ]
    rows = {row.question: row for row in item_statistics(attempts)}
    assert rows["odd"].discrimination is not None and rows["odd"].discrimination < 0
    assert rows["odd"].flags == ("negative discrimination",)


@pytest.fixture()
def two_sittings(kb_root: Path) -> Path:
    take(kb_root, key_of(kb_root), person="P010", seed=4)  # all right
    take(kb_root, {}, person="P011", seed=4)  # nothing answered, the same paper
    return kb_root


def test_kb_exam_stats_json(two_sittings: Path) -> None:
    run = kb(two_sittings, "exam", "stats", "CERT-T", "--format", "json")
    assert run.exit_code == 0, run.output
    data = json.loads(run.stdout)
    drawn = sorted(result(two_sittings, "EXR-0001")["questions"])
    # Per question: x = 1, 0 and rest = 1, 0, so F = 50 and r = 1 (D = 100).
    assert data == {
        "certification": "CERT-T",
        "attempts": 2,
        "all_attempts": False,
        "questions": [
            {
                "question": q,
                "attempts": 2,
                "facility": 50.0,
                "discrimination": 100.0,
                "flags": ["few attempts"],
            }
            for q in drawn
        ],
    }


def test_kb_exam_stats_table(two_sittings: Path) -> None:
    run = kb(two_sittings, "exam", "stats", "CERT-T")
    first = sorted(result(two_sittings, "EXR-0001")["questions"])[0]
    assert run.stdout.splitlines()[:2] == [
        "question         attempts  facility  discrim.  flags",
        f"{first:<16}        2     50.0%     100.0  few attempts",
    ]
    assert run.stderr == "CERT-T: 2 attempts (first complete attempt per person), 4 questions\n"
