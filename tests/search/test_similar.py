"""`rank` for `kb similar`: BM25 over the shared tokenizer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crmkb.search import SearchDoc, rank
from crmkb.search.synonyms import Synonyms

if TYPE_CHECKING:
    from conftest import Repo

DOCS = [
    SearchDoc("ISS-0001", "信用额度不足", "客户下单时提示信用额度不足。", "issue"),
    SearchDoc("ISS-0042", "付款条件重复", "订单里的付款条件出现两次。", "issue"),
    SearchDoc("ISS-0050", "订单无法保存", "保存订单报错，付款方式为空。", "issue"),
]


def test_best_match_first() -> None:
    assert [m.doc.location for m in rank("付款條件重複了", DOCS)][:1] == ["ISS-0042"]


def test_unrelated_query_finds_nothing() -> None:
    assert rank("培训考试", DOCS) == []


def test_limit() -> None:
    assert len(rank("订单 付款 信用", DOCS, limit=2)) == 2


def test_kept_terms_rank_like_fresh_ones(repo: Repo) -> None:
    """`kb similar` from the record cache's term index ranks exactly as tokenising afresh."""
    from crmkb.knowledge_base import load
    from crmkb.precedents import similar

    repo.write(
        "records/issues/ISS-0002.md",
        "---\nid: ISS-0002\ntitle: 付款条件重复\nreporter: P002\nreported: 2026-11-20\n"
        "module: customer\nseverity: low\n---\n\n订单里的付款条件出现两次。\n",
    )
    fresh = similar(load(repo.root), "付款条件 回款逾期")
    assert [p.id for p in fresh][:1] == ["ISS-0002"]
    assert similar(load(repo.root), "付款条件 回款逾期") == fresh  # from the kept index
    repo.replace("records/issues/ISS-0002.md", "付款条件重复", "报价单无法保存")
    changed = similar(load(repo.root), "付款条件 回款逾期")
    assert changed != fresh
    kb = load(repo.root)
    kb.cache = None  # tokenise every record again
    assert similar(kb, "付款条件 回款逾期") == changed


def test_a_lone_shared_character_is_not_a_match() -> None:
    # 量 of 量子纠缠 appears in no title, 单 of 打印机卡纸… only single characters are shared.
    docs = [SearchDoc("ISS-0048", "订单数量无法修改", "数量字段灰色。", "issue")]
    assert rank("量子纠缠", docs) == []


def test_synonyms_and_several_simplified_forms_find_the_record() -> None:
    synonyms = Synonyms.from_groups([("unresponsive", ["无响应", "死机", "没反应"])])
    docs = [
        SearchDoc("ISS-0060", "保存报价单时系统无响应", "点保存后一直转圈。", "issue"),
        SearchDoc("ISS-0061", "帐龄报表导出慢", "月底导出很慢。", "issue"),
        *DOCS,
    ]
    assert [m.doc.location for m in rank("报价单死机", docs, synonyms=synonyms)][:1] == ["ISS-0060"]
    assert [m.doc.location for m in rank("账龄", docs)] == ["ISS-0061"]


def test_the_kept_spelling_table_is_the_one_opencc_gives(repo: Repo) -> None:
    """`kb similar` takes its table of simplified forms from the record cache: it must be the
    table built from OpenCC, and a damaged kept value is built again, not used."""
    from crmkb.knowledge_base import load
    from crmkb.precedents import similar
    from crmkb.record_cache import code_version
    from crmkb.search.tokenize import build_char_forms

    built = build_char_forms()
    first = similar(load(repo.root), "帳齡 回款")
    kb = load(repo.root)
    assert kb.cache is not None
    assert kb.cache.derived("char-forms", code_version()) == built
    kb.cache.keep("char-forms", code_version(), ["not", "a", "table"])
    assert similar(load(repo.root), "帳齡 回款") == first
    assert kb.cache.derived("char-forms", code_version()) == built
