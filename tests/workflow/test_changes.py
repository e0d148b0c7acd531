"""`kb cr`: change requests move one stage at a time, in order, edited in place."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import Kb


def test_decide_then_pilot_then_rollout(kb: Kb, sample: Path) -> None:
    path = sample / "records/changes/CR-0007.md"
    before = path.read_text(encoding="utf-8")
    steps = [
        (["decide", "CR-0007", "--option", "A", "--by", "P001", "--on", "2026-11-20"], "decided"),
        (["pilot", "CR-0007", "--users", "P005,P006", "--on", "2026-11-21"], "piloting"),
        (["pilot-end", "CR-0007", "--outcome", "yes", "--on", "2026-11-22"], "piloting"),
        (["rollout", "CR-0007"], "rolled_out"),
    ]
    status = "evaluated"
    for args, after in steps:
        result = kb("cr", *args)
        assert (
            result.output == f"CR-0007: {status} -> {after}\n  wrote records/changes/CR-0007.md\n"
        )
        status = after
    expected = before.replace("status: evaluated", "status: rolled_out").replace(
        "\n---\n\n## 背景",
        "\ndecision:\n  option: A\n  on: 2026-11-20\n  by: P001\n"
        "pilot:\n  users: [P005, P006]\n  start: 2026-11-21\n  end: 2026-11-22\n"
        '  outcome: "yes"\nrollout: 2026-11-23\nhistory:\n'
        "  - on: 2026-11-20\n    by: P001\n    text: 'decided by P001: option A'\n"
        "  - on: 2026-11-21\n    by: P001\n    text: pilot started with P005, P006\n"
        "  - on: 2026-11-22\n    by: P001\n    text: 'pilot ended: yes'\n"
        "  - on: 2026-11-23\n    by: P001\n    text: rolled out company-wide\n---\n\n## 背景",
    )
    assert path.read_text(encoding="utf-8") == expected
    assert kb("check").exit_code == 0


def test_options_need_reason_and_goal(kb: Kb, sample: Path) -> None:
    path = sample / "records/changes/CR-0009.md"
    text = path.read_text(encoding="utf-8")
    reason = next(line for line in text.splitlines() if line.startswith("reason:"))
    path.write_text(text.replace(reason + "\n", ""), encoding="utf-8")
    before = path.read_bytes()
    result = kb("cr", "option", "CR-0009", "--key", "A", "--summary", "币种字段")
    assert (result.exit_code, result.output) == (
        1,
        "error: CR-0009: record the user's `reason` and `goal` before adding options; "
        "nothing was changed\n",
    )
    assert path.read_bytes() == before


def test_an_option_then_an_evaluation(kb: Kb, sample: Path) -> None:
    result = kb("cr", "option", "CR-0009", "--key", "A", "--summary", "币种字段", "--custom")
    assert (
        result.output
        == "CR-0009: requested -> options_proposed\n  wrote records/changes/CR-0009.md\n"
    )
    result = kb("cr", "evaluate", "CR-0009", "--option", "A", "--by", "P011", "--verdict", "accept")
    assert (
        result.output
        == "CR-0009: options_proposed -> evaluated\n  wrote records/changes/CR-0009.md\n"
    )
    text = (sample / "records/changes/CR-0009.md").read_text(encoding="utf-8")
    assert (
        "options:\n  - key: A\n    summary: 币种字段\n    custom_development: true\n"
        "    proposed: 2026-11-23\nevaluations:\n  - option: A\n    by: P011\n"
        "    on: 2026-11-23\n    verdict: accept\n"
    ) in text
    assert text.endswith(
        "history:\n  - on: 2026-11-23\n    by: P001\n    text: 'option A: 币种字段'\n"
        "  - on: 2026-11-23\n    by: P001\n    text: 'P011 evaluated option A: accept'\n---\n\n"
        "## 背景\n\n王磊在11月18日提出，已记录原因和目标，待转给顾问判断是否需要二次开发。\n"
    )


JUMPS = [
    (
        ["decide", "CR-0008", "--option", "A", "--by", "P001"],
        "error: CR-0008: a decision needs the users' `evaluations` of the options first; "
        "nothing was changed\n",
    ),
    (
        ["rollout", "CR-0003"],
        "error: CR-0003: a change cannot be rolled out without a pilot outcome; "
        "nothing was changed\n",
    ),
    (
        ["pilot", "CR-0005", "--users", "P005"],
        "error: CR-0005: custom development must finish (every milestone done) before a pilot; "
        "nothing was changed\n",
    ),
    (
        ["evaluate", "CR-0008", "--option", "Z", "--by", "P011", "--verdict", "accept"],
        "error: CR-0008: evaluation of unknown option 'Z'; nothing was changed\n",
    ),
    (
        ["option", "CR-0009", "--key", "A", "--summary", "x", "--on", "2026-11-01"],
        "error: CR-0009: option date 2026-11-01 is before the requested date 2026-11-18; "
        "nothing was changed\n",
    ),
    (
        ["milestone", "done", "CR-0005", "上线"],
        "error: CR-0005 has no milestone '上线'; its milestones: ",
    ),
]


@pytest.mark.parametrize(("args", "message"), JUMPS)
def test_a_stage_cannot_be_skipped(kb: Kb, sample: Path, args: list[str], message: str) -> None:
    before = {p: p.read_bytes() for p in (sample / "records/changes").iterdir()}
    result = kb("cr", *args)
    assert result.exit_code == 1
    assert result.output.startswith(message)
    assert {p: p.read_bytes() for p in (sample / "records/changes").iterdir()} == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["rollout", "CR-0004"], "error: CR-0004 was already rolled out on 2026-09-10\n"),
        (
            ["pilot-end", "CR-0004", "--outcome", "again"],
            "error: CR-0004's pilot already ended on 2026-09-09 with an outcome\n",
        ),
        (
            ["option", "CR-0004", "--key", "Z", "--summary", "late idea"],
            "error: CR-0004 was decided on 2026-09-08; options can no longer be added\n",
        ),
        (
            ["evaluate", "CR-0004", "--option", "A", "--by", "P011", "--verdict", "reject"],
            "error: CR-0004 was decided on 2026-09-08; evaluations can no longer be added\n",
        ),
    ],
)
def test_a_finished_stage_is_never_rewritten(
    kb: Kb, sample: Path, args: list[str], message: str
) -> None:
    path = sample / "records/changes/CR-0004.md"
    before = path.read_bytes()
    result = kb("cr", *args)
    assert (result.exit_code, result.output) == (1, message)
    assert path.read_bytes() == before
