"""`kb similar` cuts its query with only the dictionary words the query contains: the cut must
be exactly rjieba's with its whole dictionary, for any run of characters."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest
import rjieba
from hypothesis import given, settings
from hypothesis import strategies as st

from crmkb.search import dictionary
from crmkb.search.tokenize import CJK_CLASS

REPO_ROOT = Path(__file__).resolve().parents[2]


@functools.cache
def _entries() -> dict[str, int]:
    return dict(dictionary.read_dictionary(dictionary.dictionary_file()))


def _sample_runs() -> list[str]:
    text = "".join(p.read_text(encoding="utf-8") for p in (REPO_ROOT / "records").rglob("*.md"))
    return sorted(set(re.findall(f"[{CJK_CLASS}]+", text)))


def _cut_from_part(runs: list[str]) -> dict[str, list[str]]:
    entries = _entries()
    longest = max(map(len, entries))
    wanted = dictionary.candidates(runs, longest)
    return dictionary.segmented(
        runs, {w: entries[w] for w in wanted if w in entries}, sum(entries.values())
    )


def test_every_run_of_the_sample_is_cut_as_with_the_whole_dictionary() -> None:
    runs = _sample_runs()
    assert len(runs) > 500
    cut = _cut_from_part(runs)
    assert {run: cut[run] for run in runs} == {run: rjieba.cut_for_search(run) for run in runs}


_CHARS = sorted({c for run in _sample_runs() for c in run} | set("乾隆帳號龍"))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(st.sampled_from(_CHARS), min_size=1, max_size=24), min_size=1, max_size=4))
def test_any_run_is_cut_as_with_the_whole_dictionary(runs: list[str]) -> None:
    cut = _cut_from_part(runs)
    assert [cut[run] for run in runs] == [rjieba.cut_for_search(run) for run in runs]


def test_a_dictionary_that_is_not_rjiebas_is_refused(tmp_path: Path) -> None:
    entries = _entries()
    assert dictionary.agrees_with_rjieba(entries)
    for changed in (  # another version's dictionary: other frequencies, another total
        {word: freq + 5 for word, freq in entries.items()},
        {word: freq * 2 for word, freq in entries.items()},
        {**entries, "\ue001": 10_000_000},
    ):
        assert not dictionary.agrees_with_rjieba(changed)
    fake = tmp_path / "dict.txt"
    fake.write_text("客户 3 n\n回款 5 n\n", encoding="utf-8")
    assert dictionary.checked_dictionary(fake) is None


def test_kb_similar_cuts_the_query_from_the_kept_dictionary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through the record cache: the kept dictionary answers the same ranking as rjieba."""
    import shutil
    import sqlite3

    from crmkb import record_cache
    from crmkb.knowledge_base import load
    from crmkb.precedents import similar

    root = tmp_path / "sample"
    shutil.copytree(REPO_ROOT / "records", root / "records")
    shutil.copy(REPO_ROOT / "crmkb.yml", root / "crmkb.yml")
    monkeypatch.setattr(dictionary, "MIN_RECORDS", 0)
    query = "客户回款提醒不对，帳齡表逾期"
    kept = similar(load(root), query, 8)
    with sqlite3.connect(root / record_cache.FOLDER / record_cache.DATABASE) as db:
        (count,) = db.execute("SELECT count(*) FROM words").fetchone()
    assert count == len(_entries())  # the query was cut from the kept dictionary
    kb = load(root)
    assert kb.cache is not None  # a dictionary refused once is never used for that version
    assert kb.cache.words("other version", lambda: None, lambda n: {"客户"}) is None
    monkeypatch.setenv("CRMKB_NO_CACHE", "1")
    assert similar(load(root), query, 8) == kept and kept
