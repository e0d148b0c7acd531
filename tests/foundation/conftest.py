"""Fixtures for the foundation tests: `kb` invoked in-process against the throwaway repository."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner, Result

from crmkb.cli import main

if TYPE_CHECKING:
    from conftest import Repo

TODAY_ENV = "2026-11-23"
Kb = Callable[..., Result]


@pytest.fixture
def kb(repo: Repo) -> Kb:
    """Run `kb ARGS...` against `repo` with today fixed; exceptions propagate unless caught."""
    runner = CliRunner(env={"CRMKB_ROOT": str(repo.root), "CRMKB_TODAY": TODAY_ENV})

    def invoke(*args: str, input: str | None = None) -> Result:
        return runner.invoke(main, list(args), input=input, catch_exceptions=False, prog_name="kb")

    return invoke
