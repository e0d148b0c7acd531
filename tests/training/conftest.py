"""Fixtures for the training tests; the helpers they share live in exam_kit.py."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from exam_kit import make_kb


@pytest.fixture()
def kb_root(tmp_path: Path) -> Path:
    return make_kb(tmp_path / "kb")


@pytest.fixture(autouse=True)
def signature_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test verifies signatures with its own, initially empty, cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "crmkb" / "verified-signatures"
