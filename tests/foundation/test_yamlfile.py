"""The record loader: the same values as yaml.CSafeLoader, plus its refusals, each located."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from crmkb.errors import RecordErrors
from crmkb.yamlfile import parse_yaml

SAME_AS_SAFE_LOADER = [
    "id: ISS-0001\ntitle: 回款 日期\n",
    "n: 12\nhex: 0x1F\noct: 0o17\nunderscore: 1_000\nsexagesimal: 1:30\nneg: -3\n",
    "f: 1.5\ne: 6.8523015e+5\ninf: .inf\nneg_inf: -.Inf\n",
    "a: yes\nb: No\nc: true\nd: off\n",
    "a: ~\nb: null\nc:\n",
    "d: 2026-09-01\nt: 2026-09-01 10:20:30\ntz: 2026-09-01T10:20:30+08:00\n",
    "quoted: '2026-09-01'\nnum: \"12\"\nexplicit: !!str 12\nint: !!int '7'\n",
    "nested:\n  - {a: 1, b: [x, y]}\n  - [1, [2, [3]]]\nmap: {k: {k2: v}}\n",
    "block: |\n  line one\n  line two\nfolded: >\n  folded\n  text\n",
    "bin: !!binary aGVsbG8=\nset: !!set {a, b}\nomap: !!omap [{a: 1}, {b: 2}]\n",
    "- 1\n- two\n- 2026-01-01\n",
    "just a string\n",
    "",
]


@pytest.mark.parametrize("text", SAME_AS_SAFE_LOADER)
def test_values_match_the_safe_loader(text: str) -> None:
    assert parse_yaml(text, "x.yml") == yaml.load(text, Loader=yaml.CSafeLoader)


def test_word_like_keys_stay_names() -> None:
    assert parse_yaml("on: 2026-09-14\nno: 3\n", "x.yml") == {"on": dt.date(2026, 9, 14), "no": 3}


def message(text: str, first_line: int = 1) -> str:
    with pytest.raises(RecordErrors) as caught:
        parse_yaml(text, "x.yml", first_line)
    return str(caught.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "a: &x 1\nb: *x\n",
            "x.yml:1:4: error: YAML anchors and aliases are not allowed in records; "
            "write the value out",
        ),
        (
            "a: [&x 1, *x]\n",
            "x.yml:1:5: error: YAML anchors and aliases are not allowed in "
            "records; write the value out",
        ),
        (
            "base: &b {k: 1}\nitem:\n  <<: *b\n",
            "x.yml:3:3: error: YAML merge keys (<<) are not allowed in records",
        ),
        (
            "item:\n  <<: {k: 1}\n",
            "x.yml:2:3: error: YAML merge keys (<<) are not allowed in records",
        ),
        (
            "a: 1\nb: 2\na: 3\n",
            "x.yml:3:1: error: duplicate key 'a' (first defined at line 1); keep one of them",
        ),
        ("? [a, b]\n: 1\n", "x.yml:1:3: error: a mapping key must be a plain value"),
        (
            "d: 2026-02-30\n",
            "x.yml:1:4: error: invalid value '2026-02-30': day is out of range for month",
        ),
        (
            "x: !!python/name:os.system\n",
            "x.yml:1:4: error: YAML tag !!python/name:os.system is "
            "not allowed; records hold plain values only",
        ),
        (
            "x: !custom 1\n",
            "x.yml:1:4: error: YAML tag !custom is not allowed; records hold plain values only",
        ),
        (
            "a: [1, 2\n",
            "x.yml:2:1: error: YAML syntax error: while parsing a flow sequence, "
            "did not find expected ',' or ']'",
        ),
    ],
)
def test_refusals_are_located(text: str, expected: str) -> None:
    assert message(text) == expected


def test_duplicate_key_names_lines_of_the_file() -> None:
    # Front matter starts on line 2 of a Markdown record; both lines are file lines.
    assert message("id: X\nid: Y\n", first_line=2) == (
        "x.yml:3:1: error: duplicate key 'id' (first defined at line 2); keep one of them"
    )


ONE_PASS = [
    *SAME_AS_SAFE_LOADER,
    "a: 1\nb: 2\na: 3\n",
    "a: 1\na: 2026-02-30\n",  # the repeated key is reported, not the later bad date
    "m:\n  x: 1\n  y: [1, {z: 2, z: 3}]\n",
    "? [a, b]\n: 1\n",
    "d: [2026-01-01, 2026-02-30]\n",
    "x: !custom 1\n",
    "1: int key\ntrue: word key\nnull: x\n",
]


@pytest.mark.parametrize("text", ONE_PASS)
def test_documents_without_anchors_load_as_the_checked_path_loads_them(text: str) -> None:
    # Without '&' or '*' the loader builds in one pass; a comment holding them forces the
    # path that tracks every node. Both must give the same value or the same error.
    def outcome(source: str) -> object:
        try:
            return parse_yaml(source, "x.yml")
        except RecordErrors as exc:
            return str(exc)

    assert outcome(text) == outcome(text + "# * and & in a comment\n")
