"""Tokenizer and normalisation: the contract the index, the worker and `kb similar` share."""

from __future__ import annotations

import jieba
import pytest

from crmkb.search.tokenize import char_map, normalize, segment, tokens
from crmkb.search.words import STOP_CHARS


def test_compound_query_is_split_into_its_words() -> None:
    assert {"付款", "条件", "重复"} <= set(tokens("付款条件重复"))


def test_search_mode_keeps_the_whole_word_as_well() -> None:
    assert "付款条件" in tokens("客户的付款条件重复")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("問題", "问题"),
        ("付款條件設置錯誤", "付款条件设置错误"),
        ("ISS-0042", "iss-0042"),
        ("ＩＳＳ－００４２", "iss-0042"),
    ],
)
def test_normalize_folds_traditional_case_and_width(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_traditional_and_simplified_give_the_same_tokens() -> None:
    assert tokens("信用額度不足，無法下單") == tokens("信用额度不足，无法下单")


def test_record_id_stays_one_token_and_its_parts_follow() -> None:
    assert tokens("见 ISS-0042 与 SOL-0003、CR-0001") == [
        "见",
        "iss-0042",
        "iss",
        "0042",
        "sol-0003",
        "sol",
        "0003",
        "cr-0001",
        "cr",
        "0001",
    ]


def test_english_words_are_lowercased() -> None:
    assert tokens("Sales Order failed") == ["sales", "order", "failed"]


def test_stop_characters_are_dropped_but_words_kept() -> None:
    assert tokens("我的订单") == ["订单"]


def test_rjieba_segments_like_jieba() -> None:
    # rjieba was chosen for speed; this pins that it is still jieba's segmentation.
    jieba.setLogLevel(60)
    for text in [
        "客户反馈付款条件在订单中重复出现",
        "财务人员无法完成回款核销",
        "应收账款账龄分析报表",
    ]:
        assert segment(text) == [
            w for w in jieba.lcut_for_search(text) if len(w) > 1 or w not in STOP_CHARS
        ]


def test_char_map_agrees_with_opencc_on_single_characters() -> None:
    table = char_map()
    assert table["問"] == "问"
    assert table["題"] == "题"
    assert "问" not in table
    assert all(normalize(trad) == simp for trad, simp in list(table.items())[:500])
