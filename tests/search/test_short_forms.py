"""Short forms in synonym groups (records/synonyms.yml `short:`), checked by `kb check`."""

from __future__ import annotations

from pathlib import Path

from test_synonyms import _errors, _repo


def test_short_forms_are_checked_and_located(tmp_path: Path) -> None:
    root = _repo(
        tmp_path,
        "synonyms:\n"
        "  - id: finance-director\n"
        "    words: [财务总监]\n"
        "    short: [CFO, 财总, 总财]\n"
        "  - id: office\n"
        "    words: [办公系统]\n"
        "    short: [O-A, CFO]\n"
        "  - id: alone\n"
        "    words: [弹窗]\n",
    )
    assert _errors(root) == [
        "records/synonyms.yml:4:22: error: 「总财」不是本组任何一个词的简称："
        "它的字须按顺序出现在本组某个词里（如「财总」之于「财务总监」）",
        "records/synonyms.yml:7:13: error: short.0: Value error, 'O-A' is not an abbreviation: "
        "use 2 to 10 letters and digits, starting with a letter (CFO, OA, B2B) (got 'O-A')",
        "records/synonyms.yml:9:12: error: 每组至少要有两个词（或一个词加一个简称）",
    ]


def test_a_short_form_in_two_groups_is_refused(tmp_path: Path) -> None:
    root = _repo(
        tmp_path,
        "synonyms:\n"
        "  - id: finance-director\n"
        "    words: [财务总监]\n"
        "    short: [CFO]\n"
        "  - id: chief-officer\n"
        "    words: [首席财务官]\n"
        "    short: [cfo]\n",
    )
    assert _errors(root) == [
        "records/synonyms.yml:7:13: error: 'cfo' is already in synonym group 'finance-director'; "
        "keep it in one group only (merge the groups if they mean the same)"
    ]


def test_kb_check_offers_short_forms_the_corpus_suggests(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from crmkb.cli import main

    root = _repo(
        tmp_path, "synonyms:\n  - id: director\n    words: [财务总监]\n    short: [财总]\n"
    )
    issue = root / "records" / "issues" / "ISS-0005.md"
    text = issue.read_text(encoding="utf-8")
    issue.write_text(text.replace("tags: [", "tags: [办公系统（OA）, 信息中心, 信中, ", 1), "utf-8")
    before = (root / "records" / "synonyms.yml").read_text(encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--root", str(root)])
    notes = [line for line in result.stderr.splitlines() if line.startswith("说明：")]
    assert any("「OA」可能是「办公系统」的简称" in line for line in notes), notes
    assert not any("「财总」" in line for line in notes)  # already in its group
    assert (root / "records" / "synonyms.yml").read_text(encoding="utf-8") == before
