"""Issue 23 without a browser: the taught dictionary, matching by sound, filler words, and the
rules written once for the worker and `kb similar`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crmkb.search import SearchDoc, rank, write_index
from crmkb.search.lexicon import learn
from crmkb.search.sounds import alike, by_key, fold, query_keys, word_key
from crmkb.search.synonyms import Synonyms
from crmkb.search.words import FILLER, STOP_CHARS, manifest, without_filler

REPO = Path(__file__).resolve().parents[2]
DOCS = [
    SearchDoc("ISS-0001", "飞书消息收不到", "审批人没有收到提醒。", "issue"),
    SearchDoc("ISS-0002", "回款单无法保存", "保存按钮是灰色的。", "issue"),
    SearchDoc("ISS-0003", "商机金额被清空", "推进到下一阶段后金额没了。", "issue"),
    SearchDoc("ISS-0004", "汇报模板丢失", "周报模板找不到了。", "issue"),
]


def _lexicon(groups: list[tuple[str, list[str]]] | None = None) -> Synonyms:
    taught, heads = learn(doc.title for doc in DOCS)
    return Synonyms.from_groups(groups or [], taught, heads)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("回宽", "回款"),  # same sound
        ("桑机", "商机"),  # s/sh and an/ang
        ("泥职", "离职"),  # n/l
        ("操时", "超时"),  # c/ch
        ("卓废", "作废"),  # z/zh
        ("身效", "生效"),  # en/eng
        ("提心", "提醒"),  # in/ing
    ],
)
def test_fuzzy_initials_and_finals_meet(typed: str, meant: str) -> None:
    assert word_key(meant) in query_keys(typed)


def test_different_sounds_stay_apart() -> None:
    assert word_key("回款") not in query_keys("汇报")
    assert fold("zhang") == "zan" and fold("ling") == "nin" and fold("xiong") == "xiong"


def test_a_word_is_read_in_context() -> None:
    assert word_key("银行") == "yin han"  # 行 as hang, not xing


def test_alike_never_offers_the_word_itself() -> None:
    table = by_key(["回款", "汇款"])
    assert alike("回款", table) == ["汇款"] and alike("回宽", table) == ["回款", "汇款"]


def test_the_corpus_teaches_names_jieba_splits() -> None:
    taught, heads = learn(["飞书消息收不到", "业务员郑浩离职了"])
    assert {"飞书", "郑浩"} <= taught
    assert {"飞书", "消息", "离职"} <= heads
    assert not any(char in STOP_CHARS for word in taught for char in word)


def test_a_taught_name_alone_finds_its_record_without_any_synonym_group() -> None:
    lexicon = _lexicon()
    assert not lexicon.tokens  # the class of bug: an object with no groups was dropped
    assert [m.doc.location for m in rank("飞书", DOCS, synonyms=lexicon)] == ["ISS-0001"]


def test_a_typo_matches_by_sound_below_the_exact_word() -> None:
    lexicon = _lexicon()
    assert [m.doc.location for m in rank("回宽单", DOCS, synonyms=lexicon)][:1] == ["ISS-0002"]
    assert [m.doc.location for m in rank("桑机金额", DOCS, synonyms=lexicon)][:1] == ["ISS-0003"]
    exact = rank("回款", DOCS, synonyms=lexicon)[0].score
    assert rank("回宽", DOCS, synonyms=lexicon)[0].score < exact


def test_a_real_word_of_the_corpus_is_not_taken_for_a_typo() -> None:
    lexicon = _lexicon()
    assert [m.doc.location for m in rank("汇报", DOCS, synonyms=lexicon)] == ["ISS-0004"]


def test_filler_words_are_dropped_in_place() -> None:
    assert without_filler("为啥回款老是保存不了咋办") == "  回款  保存不了  "
    lexicon = _lexicon()
    spoken = rank("请问回款单为啥一直无法保存咋回事", DOCS, synonyms=lexicon)
    assert [m.doc.location for m in spoken] == [
        m.doc.location for m in rank("回款单无法保存", DOCS, synonyms=lexicon)
    ]


def test_the_rules_are_written_once_into_the_manifest(tmp_path: Path) -> None:
    write_index(DOCS, tmp_path / "index", _lexicon(), "zh")
    written = json.loads((tmp_path / "index" / "manifest.json").read_text(encoding="utf-8"))
    assert written["words"] == manifest()
    assert set(written["words"]["filler"]) == set(FILLER)
    assert written["labels"] == {"sound": "按读音匹配：{words}"}
    worker = (REPO / "tooling/crmkb/search/assets/worker.js").read_text(encoding="utf-8")
    assert "".join(sorted(STOP_CHARS))[:8] not in worker and "咋回事" not in worker


def test_the_sound_table_lists_the_head_words_by_key(tmp_path: Path) -> None:
    from crmkb.search.index import fnv1a

    write_index(DOCS, tmp_path / "index", _lexicon())
    meta = json.loads((tmp_path / "index" / "manifest.json").read_text(encoding="utf-8"))
    key = word_key("回款")
    shard = json.loads(
        (tmp_path / "index" / "p" / f"{fnv1a(key) % meta['sound_shards']}.json").read_text("utf-8")
    )
    assert "回款" in shard[key]
    char = json.loads(
        (tmp_path / "index" / "p" / f"{fnv1a('@宽') % meta['sound_shards']}.json").read_text(
            "utf-8"
        )
    )
    assert "宽kuan" in char["@"].split("|")
