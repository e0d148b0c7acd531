"""The static index: postings encoding, sharding, determinism and the files the worker reads."""

from __future__ import annotations

import json
from pathlib import Path

from crmkb.search.index import (
    POSTINGS_CAP,
    SearchDoc,
    encode_postings,
    fnv1a,
    write_index,
)
from crmkb.search.synonyms import Synonyms

DOCS = [
    SearchDoc(
        "issues/ISS-0042/", "付款条件重复", "订单里付款条件出现两次。", "issue", ("ISS-0042",)
    ),
    SearchDoc(
        "issues/ISS-0001/", "信用额度不足", "提示付款前需审批。", "issue", ("ISS-0001", "信用")
    ),
]


def _postings(out: Path, term: str) -> list[object]:
    manifest = json.loads((out / "manifest.json").read_text())
    shard = json.loads((out / "s" / f"{fnv1a(term) % manifest['shards']}.json").read_text())
    encoded: list[object] = shard[term]
    return encoded


def test_fnv1a_matches_the_reference_values() -> None:
    # Reference values of 32-bit FNV-1a; worker.js must produce the same.
    assert fnv1a("") == 0x811C9DC5
    assert fnv1a("a") == 0xE40C292C
    assert fnv1a("foobar") == 0xBF9CF968


def test_postings_are_grouped_by_impact_with_delta_doc_ids() -> None:
    assert encode_postings({5: 10, 2: 10, 9: 40, 7: 3}) == [4, [40, 9], [10, 2, 3], [3, 7]]


def test_postings_are_capped_but_keep_the_true_document_frequency() -> None:
    encoded = encode_postings({doc: 1 + doc % 7 for doc in range(POSTINGS_CAP + 50)})
    assert encoded[0] == POSTINGS_CAP + 50
    groups = [group for group in encoded[1:] if isinstance(group, list)]
    assert sum(len(group) - 1 for group in groups) == POSTINGS_CAP


def test_title_terms_outrank_body_terms(tmp_path: Path) -> None:
    write_index(DOCS, tmp_path)
    # Docs are numbered by location: ISS-0001 is 0, ISS-0042 is 1.
    df, *groups = _postings(tmp_path, "付款")
    assert df == 2
    assert [group[1] for group in groups] == [1, 0]  # type: ignore[index]


def test_index_files_and_metadata(tmp_path: Path) -> None:
    stats = write_index(DOCS, tmp_path)
    assert stats.docs == 2
    assert stats.chunks == 1
    assert json.loads((tmp_path / "d" / "0.json").read_text()) == [
        ["issues/ISS-0001/", "信用额度不足", "issue", "提示付款前需审批。", []],
        ["issues/ISS-0042/", "付款条件重复", "issue", "订单里付款条件出现两次。", []],
    ]
    assert _postings(tmp_path, "iss-0042")[0] == 1
    charmap = json.loads((tmp_path / "charmap.json").read_text())
    assert len(charmap["from"]) == len(charmap["to"]) > 2000
    assert (tmp_path / "worker.js").read_text().startswith("/*")


def test_output_is_deterministic_whatever_the_input_order(tmp_path: Path) -> None:
    write_index(DOCS, tmp_path / "a")
    write_index(list(reversed(DOCS)), tmp_path / "b")
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.json"))
    files_b = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*.json"))
    assert files_a == files_b
    for rel in files_a:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes()


def test_shard_count_grows_with_the_index(tmp_path: Path) -> None:
    many = [
        SearchDoc(
            f"issues/ISS-{n:04d}/",
            f"问题{n} 客户{n % 13}",
            f"第{n}号记录 订单{n % 17} 回款",
            "issue",
            (f"ISS-{n:04d}",),
        )
        for n in range(600)
    ]
    assert write_index(DOCS, tmp_path / "small").shards == 1
    assert write_index(many, tmp_path / "big").shards > 1


def test_docs_are_numbered_by_tier_so_listings_come_last(tmp_path: Path) -> None:
    docs = [
        SearchDoc("reports/2026-W48/", "运行周报", "付款条件重复 列表", "listing"),
        SearchDoc("training/TM-1/", "付款培训", "付款条件。", "training"),
        *DOCS,
    ]
    write_index(docs, tmp_path)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["tiers"] == [2, 3]
    chunk = json.loads((tmp_path / "d" / "0.json").read_text())
    assert [row[0] for row in chunk] == [
        "issues/ISS-0001/",
        "issues/ISS-0042/",
        "training/TM-1/",
        "reports/2026-W48/",
    ]


def test_symptom_outweighs_body_and_tags_reach_the_result(tmp_path: Path) -> None:
    docs = [
        SearchDoc("issues/ISS-0001/", "甲", "正文提到死锁。", "issue", symptom="导出后乱码"),
        SearchDoc("issues/ISS-0002/", "乙", "导出后乱码。", "issue", tags=("问题", "已解决")),
    ]
    write_index(docs, tmp_path)
    _, *groups = _postings(tmp_path, "乱码")
    assert [group[1] for group in groups] == [0, 1]  # type: ignore[index]
    chunk = json.loads((tmp_path / "d" / "0.json").read_text())
    assert chunk[1][4] == ["问题", "已解决"]


def test_synonym_words_share_one_group_token(tmp_path: Path) -> None:
    synonyms = Synonyms.from_groups([("unresponsive", ["无响应", "死机", "没反应"])])
    docs = [SearchDoc("issues/ISS-0001/", "报价保存时无响应", "点保存没反应。", "issue")]
    write_index(docs, tmp_path, synonyms)
    assert _postings(tmp_path, "~unresponsive")[0] == 1
    charmap = json.loads((tmp_path / "charmap.json").read_text())
    assert charmap["synonyms"]["死机"] == "~unresponsive"
    assert charmap["forms"]["帳"] == "帐账"
