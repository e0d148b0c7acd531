"""records/synonyms.yml: the synonym record kind, checked by `kb check` with located errors."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from crmkb.cli import main

REPO = Path(__file__).resolve().parents[2]


def _repo(tmp_path: Path, synonyms: str) -> Path:
    for name in ("crmkb.yml", "records"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, tmp_path / name)
    (tmp_path / "records" / "synonyms.yml").write_text(synonyms, encoding="utf-8")
    return tmp_path


def _errors(root: Path) -> list[str]:
    result = CliRunner().invoke(main, ["check", "--root", str(root)])
    return [line for line in result.output.splitlines() if ": error:" in line]


def test_the_shipped_synonyms_are_valid(tmp_path: Path) -> None:
    root = _repo(tmp_path, (REPO / "records" / "synonyms.yml").read_text(encoding="utf-8"))
    assert _errors(root) == []


def test_bad_groups_are_located(tmp_path: Path) -> None:
    root = _repo(
        tmp_path,
        "synonyms:\n"
        "  - id: unresponsive\n"
        "    words: [无响应, 死机]\n"
        "  - id: again\n"
        "    words: [卡死, 死机]\n"
        "  - id: short\n"
        "    words: [卡, 卡住]\n"
        "  - id: alone\n"
        "    words: [弹窗]\n",
    )
    assert _errors(root) == [
        "records/synonyms.yml:5:17: error: '死机' is already in synonym group 'unresponsive'; "
        "keep it in one group only (merge the groups if they mean the same)",
        "records/synonyms.yml:7:13: error: words.0: Value error, '卡' is a single character; "
        "use a word of two or more (got '卡')",
        "records/synonyms.yml:9:12: error: 每组至少要有两个词（或一个词加一个简称）",
    ]
