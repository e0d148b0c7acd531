"""Fixtures for the write-path tests: a git-tracked copy of the sample and a `kb` process runner."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from crmkb.cli import main

REPO_ROOT = Path(__file__).resolve().parents[2]
KB = Path(sys.executable).parent / "kb"
TODAY = "2026-11-23"

Run = Callable[..., subprocess.CompletedProcess[str]]
InProcess = Callable[..., Result]


def copy_sample(root: Path) -> Path:
    """The sample records and crmkb.yml under `root`, committed to a fresh git repository."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO_ROOT / "records", root / "records")
    shutil.copy(REPO_ROOT / "crmkb.yml", root / "crmkb.yml")
    shutil.copy(REPO_ROOT / ".gitignore", root / ".gitignore")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "sample")
    return root


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=root, capture_output=True, text=True, check=True
    ).stdout


def changed(root: Path) -> list[str]:
    """`git status --porcelain` lines, untracked files included."""
    return git(root, "status", "--porcelain", "--untracked-files=all").splitlines()


def kb_env(root: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "CRMKB_ROOT": str(root), "CRMKB_TODAY": TODAY, **extra}


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    return copy_sample(tmp_path / "kb")


@pytest.fixture
def kb(sample: Path) -> InProcess:
    """Run `kb ARGS` in this process (faster; for steps that cannot crash)."""

    def call(*args: str) -> Result:
        env = {"CRMKB_ROOT": str(sample), "CRMKB_TODAY": TODAY}
        return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)

    return call


@pytest.fixture
def run(sample: Path) -> Run:
    """Run `kb ARGS` as a process on the sample copy; extra environment as keywords."""

    def call(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(KB), *args],
            env=kb_env(sample, **env),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
        )

    return call
