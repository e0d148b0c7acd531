"""Issue lifecycle commands: one per transition, round-trip edits, refusals leave files alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import GOLDEN, Kb

ISSUE = "records/issues/ISS-0900.md"


@pytest.fixture
def quirky(sample: Path) -> Path:
    """An extra issue whose front matter has comments, odd spacing and quotes to keep."""
    path = sample / ISSUE
    path.write_bytes((GOLDEN / "roundtrip-before.md").read_bytes())
    return path


def test_round_trip_edit_changes_only_the_changed_fields(kb: Kb, quirky: Path) -> None:
    result = kb("escalate", "ISS-0900", "--on", "2026-11-17")
    assert result.exit_code == 0, result.output
    assert result.output == (
        "ISS-0900: investigating -> escalated on 2026-11-17\n  wrote records/issues/ISS-0900.md\n"
    )
    assert quirky.read_bytes() == (GOLDEN / "roundtrip-after.md").read_bytes()


def test_round_trip_edit_keeps_crlf_line_endings_and_the_bom(kb: Kb, quirky: Path) -> None:
    def windows(text: bytes) -> bytes:
        return b"\xef\xbb\xbf" + text.replace(b"\n", b"\r\n")

    quirky.write_bytes(windows((GOLDEN / "roundtrip-before.md").read_bytes()))
    result = kb("escalate", "ISS-0900", "--on", "2026-11-17")
    assert result.exit_code == 0, result.output
    assert quirky.read_bytes() == windows((GOLDEN / "roundtrip-after.md").read_bytes())


def test_each_transition_stamps_its_date(kb: Kb, sample: Path) -> None:
    steps = [
        ("investigate", "2026-11-20", "reported -> investigating"),
        ("escalate", "2026-11-20", "investigating -> escalated"),
        ("propose", "2026-11-21", "escalated -> proposed"),
        ("verify", "2026-11-23", "proposed -> verifying"),
    ]
    for command, on, moved in steps:
        result = kb(command, "ISS-0040", "--on", on)
        assert result.output == f"ISS-0040: {moved} on {on}\n  wrote records/issues/ISS-0040.md\n"
    text = (sample / "records/issues/ISS-0040.md").read_text(encoding="utf-8")
    assert (
        "status: verifying\nhandled_by: consultant\ndates:\n  investigating: 2026-11-20\n"
        "  escalated: 2026-11-20\n  proposed: 2026-11-21\n  verifying: 2026-11-23\n"
    ) in text
    assert kb("check").exit_code == 0  # the step left records kb check accepts


def test_today_is_the_default_date(kb: Kb) -> None:
    result = kb("investigate", "ISS-0040", today="2026-11-22")
    assert result.output.startswith("ISS-0040: reported -> investigating on 2026-11-22\n")


def test_resolve_links_the_solution_both_ways(kb: Kb, sample: Path) -> None:
    solution = sample / "records/solutions/SOL-0001.md"
    before = solution.read_text(encoding="utf-8")
    kb("investigate", "ISS-0040", "--on", "2026-11-20")
    result = kb("resolve", "ISS-0040", "--solution", "SOL-0001", "--cause", "process")
    assert result.exit_code == 0, result.output
    assert result.output == (
        "ISS-0040: investigating -> resolved on 2026-11-23\n"
        "  wrote records/issues/ISS-0040.md\n"
        "  wrote records/solutions/SOL-0001.md\n"
    )
    after = solution.read_text(encoding="utf-8")
    assert after == before.replace(
        "issues: [ISS-0001, ISS-0002]", "issues: [ISS-0001, ISS-0002, ISS-0040]"
    )
    issue = (sample / "records/issues/ISS-0040.md").read_text(encoding="utf-8")
    assert "cause: process\nstatus: resolved\n" in issue
    assert "  resolved: 2026-11-23\nsolution: SOL-0001\n" in issue


def test_resolve_with_a_new_solution(kb: Kb, sample: Path) -> None:
    numbers = [int(p.stem[4:]) for p in (sample / "records/solutions").glob("SOL-*.md")]
    new_id = f"SOL-{max(numbers) + 1:04d}"
    kb("investigate", "ISS-0040", "--on", "2026-11-20")
    result = kb(
        "resolve",
        "ISS-0040",
        "--new-solution",
        "--title",
        "报表口径说明",
        "--cause",
        "training_gap",
    )
    assert result.exit_code == 0, result.output
    assert result.output == (
        "ISS-0040: investigating -> resolved on 2026-11-23\n"
        "  wrote records/issues/ISS-0040.md\n"
        f"  wrote records/solutions/{new_id}.md\n"
    )
    created = (sample / f"records/solutions/{new_id}.md").read_text(encoding="utf-8")
    assert created.startswith(
        f"---\nid: {new_id}\ntitle: 报表口径说明\nmodules: [report]\nissues: [ISS-0040]\n"
        "confidence: draft\n---\n\n## 现象\n"
    )


def test_duplicate_and_decline(kb: Kb, sample: Path) -> None:
    result = kb("duplicate", "ISS-0040", "--of", "ISS-0013")
    assert result.output == (
        "ISS-0040: reported -> duplicate on 2026-11-23\n  wrote records/issues/ISS-0040.md\n"
    )
    assert "duplicate_of: ISS-0013\n" in (sample / "records/issues/ISS-0040.md").read_text()
    result = kb("decline", "ISS-0043", "--reason", "no")
    assert result.exit_code == 0
    text = (sample / "records/issues/ISS-0043.md").read_text(encoding="utf-8")
    assert 'decline_reason: "no"\n' in text  # quoted: YAML 1.1 readers would see a boolean


REFUSALS = [
    (
        ["verify", "ISS-0033"],
        1,
        "error: ISS-0033 is 'escalated' and cannot move to 'verifying'; legal next steps: "
        "proposed (kb propose), declined (kb decline)\n",
    ),
    (
        ["investigate", "ISS-0001"],
        1,
        "error: ISS-0001 is 'resolved' and cannot move to 'investigating'; "
        "legal next steps: investigating (kb reopen)\n",
    ),
    (
        ["propose", "ISS-0033", "--on", "2026-11-24"],
        2,
        "error: --on 2026-11-24 is in the future (today is 2026-11-23); "
        "date the step today or earlier\n",
    ),
    (
        ["propose", "ISS-0033", "--on", "2026-11-12"],
        2,
        "error: --on 2026-11-12 is before the escalated date 2026-11-13; "
        "date this step on or after 2026-11-13\n",
    ),
    (
        ["propose", "ISS-0033", "--on", "13/11/2026"],
        2,
        "error: --on '13/11/2026' is not a date like 2026-11-23\n",
    ),
    (["investigate", "ISS-9999"], 2, "error: no issue 'ISS-9999'; see kb list issue\n"),
    (
        ["duplicate", "ISS-0040", "--of", "ISS-0040"],
        2,
        "error: ISS-0040 cannot be a duplicate of itself\n",
    ),
    (
        ["resolve", "ISS-0040", "--solution", "SOL-0001"],
        1,
        "error: ISS-0040 is 'reported' and cannot move to 'resolved'; legal next steps: "
        "investigating (kb investigate), duplicate (kb duplicate), declined (kb decline)\n",
    ),
    (
        ["resolve", "ISS-0036", "--solution", "SOL-0999", "--cause", "process"],
        2,
        "error: no solution 'SOL-0999'; see kb list solution\n",
    ),
    (
        ["resolve", "ISS-0036"],
        2,
        "error: pass exactly one of --solution SOL-… or --new-solution --title …\n",
    ),
]


@pytest.mark.parametrize(("args", "code", "message"), REFUSALS)
def test_refusals_name_the_fix_and_leave_files_alone(
    kb: Kb, sample: Path, args: list[str], code: int, message: str
) -> None:
    before = {p: p.read_bytes() for p in (sample / "records").rglob("*.md")}
    result = kb(*args)
    assert (result.exit_code, result.output) == (code, message)
    assert {p: p.read_bytes() for p in (sample / "records").rglob("*.md")} == before


def test_a_record_that_fails_validation_is_not_edited(kb: Kb, sample: Path) -> None:
    path = sample / "records/issues/ISS-0040.md"
    path.write_text(path.read_text().replace("severity: low", "severity: urgent"))
    before = path.read_bytes()
    result = kb("investigate", "ISS-0040")
    assert result.exit_code == 1
    assert result.output == (
        "records/issues/ISS-0040.md:1:1: error: ISS-0040 has errors; fix them before editing "
        "it with kb\n"
        "records/issues/ISS-0040.md:7:11: error: severity: Input should be 'low', 'medium', "
        "'high' or 'critical' (got 'urgent')\n"
    )
    assert path.read_bytes() == before


def test_resolve_needs_a_cause(kb: Kb, sample: Path) -> None:
    kb("investigate", "ISS-0041", "--on", "2026-11-20")
    path = sample / "records/issues/ISS-0041.md"
    before = path.read_bytes()
    result = kb("resolve", "ISS-0041", "--solution", "SOL-0001")
    assert (result.exit_code, result.output) == (
        2,
        "error: ISS-0041 has no cause yet; pass --cause (e.g. --cause user_error)\n",
    )
    assert path.read_bytes() == before
