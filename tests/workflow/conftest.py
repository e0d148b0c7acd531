"""Fixtures for the lead's workflow: a throwaway copy of the sample records and a `kb` runner."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from crmkb.cli import main
from crmkb.workdays import Calendar, calendar_for

REPO_ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parent / "golden"
TODAY = "2026-11-23"

Kb = Callable[..., Result]


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A copy of the sample records and crmkb.yml that a test may change freely."""
    root = tmp_path / "kb"
    shutil.copytree(REPO_ROOT / "records", root / "records")
    shutil.copy(REPO_ROOT / "crmkb.yml", root / "crmkb.yml")
    with (root / "crmkb.yml").open("a", encoding="utf-8") as config:
        config.write("me: P001\n")  # the lead runs kb: history entries name P001
    return root


@pytest.fixture
def kb(sample: Path) -> Kb:
    """Run `kb ARGS` on the sample copy, with CRMKB_TODAY fixed (default 2026-11-23)."""

    def run(*args: str, today: str = TODAY) -> Result:
        runner = CliRunner()
        env = {"CRMKB_TODAY": today, "CRMKB_ROOT": str(sample)}
        return runner.invoke(main, list(args), env=env, catch_exceptions=False)

    return run


@pytest.fixture
def golden() -> Callable[[str, str], None]:
    """Compare text with tests/workflow/golden/NAME; CRMKB_REGEN_GOLDEN=1 rewrites the file."""

    def compare(name: str, actual: str) -> None:
        path = GOLDEN / name
        if os.environ.get("CRMKB_REGEN_GOLDEN"):
            path.write_text(actual, encoding="utf-8")
        assert path.exists(), f"no golden file {path}; run with CRMKB_REGEN_GOLDEN=1 and review it"
        assert actual == path.read_text(encoding="utf-8")

    return compare


@pytest.fixture
def english() -> Iterator[None]:
    """Messages checked in English, whatever language an earlier command spoke."""
    from crmkb import i18n

    with i18n.speaking("en"):
        yield


@pytest.fixture
def cn(tmp_path: Path) -> Calendar:
    """The `calendar: cn` working-day calendar."""
    return calendar_for("cn", tmp_path)
