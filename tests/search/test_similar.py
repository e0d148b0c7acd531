"""`rank` for `kb similar`: BM25 over the shared tokenizer."""

from __future__ import annotations

from crmkb.search import SearchDoc, rank

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
