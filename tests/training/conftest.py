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
