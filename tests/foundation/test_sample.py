"""The sample knowledge base in records/ must pass `kb check` as committed."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from crmkb.cli import main

REPO_ROOT = Path(__file__).resolve().parents[2]
# The sample is written as of this day: before it, later records would lie in the future; after
# it, only SLA warnings grow. Pinned so the test says the same on any day it runs.
SAMPLE_TODAY = "2026-12-07"


def test_kb_check_passes_on_the_sample() -> None:
    result = CliRunner(env={"CRMKB_TODAY": SAMPLE_TODAY}).invoke(
        main, ["check", "--root", str(REPO_ROOT)], prog_name="kb"
    )
    errors = [line for line in result.stdout.splitlines() if ": error: " in line]
    assert (result.exit_code, errors) == (0, [])
