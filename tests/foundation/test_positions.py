"""A field's position read from the text equals the composed document's, wherever given."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmkb.positions import position
from crmkb.yamlfile import Document, composed_position, load_markdown, load_yaml, locate

REPO = Path(__file__).resolve().parents[2]


def _paths(data: Any, prefix: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield (*prefix, key)
            yield from _paths(value, (*prefix, key))
        yield (*prefix, "no_such_field")
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield (*prefix, index)
            yield from _paths(value, (*prefix, index))


def _sample_documents() -> Iterator[Document]:
    for path in sorted((REPO / "records").rglob("*")):
        if path.suffix == ".md" and path.parent.name != "training":
            yield load_markdown(path, str(path))
        elif path.suffix == ".yml":
            yield load_yaml(path, str(path))


def test_every_field_of_the_sample_is_found_where_the_composer_finds_it() -> None:
    fast = slow = 0
    for doc in _sample_documents():
        for loc in _paths(doc.data):
            found = position(doc.yaml_text, doc.data, loc)
            expected = composed_position(doc, loc)
            if found is None:
                slow += loc[-1] != "no_such_field"  # a missing field is composed by design
                continue
            fast += 1
            assert (found[0] + doc.yaml_line, found[1] + 1) == expected, (doc.path, loc)
            assert locate(doc, loc) == expected
    # The text answers for nearly every present field of real records, or it saves nothing.
    assert fast > 50 * slow, (fast, slow)


_KEYS = st.sampled_from(["id", "status", "dates", "tags", "by", "on", "title", "x_1", "a-b"])
_SCALARS = st.one_of(
    st.sampled_from(["P001", "2026-11-20", "3", "yes", "", "a b", "'q'", '"d"', "x # c", "~"]),
    st.text(alphabet="ab :#-'\"[]{}&*!|>", max_size=8),
)


@st.composite
def _block(draw: st.DrawFn, indent: int = 0, depth: int = 0) -> list[str]:
    lines: list[str] = []
    pad = " " * indent
    for key in draw(st.lists(_KEYS, min_size=1, max_size=4)):
        kind = draw(st.sampled_from(["scalar", "map", "seq", "flow", "comment", "blank"]))
        if kind == "map" and depth < 2:
            lines.append(f"{pad}{key}:")
            lines.extend(draw(_block(indent + draw(st.sampled_from([2, 4])), depth + 1)))
        elif kind == "seq" and depth < 2:
            lines.append(f"{pad}{key}:")
            dash = pad + " " * draw(st.sampled_from([0, 2]))
            for item in draw(st.lists(_SCALARS, min_size=1, max_size=3)):
                lines.append(f"{dash}- {item}")
        elif kind == "flow":
            lines.append(f"{pad}{key}: [{draw(_SCALARS)}, b]")
        elif kind == "comment":
            lines.append(f"{pad}# {key}: fake")
            lines.append(f"{pad}{key}: {draw(_SCALARS)}")
        elif kind == "blank":
            lines.append("")
            lines.append(f"{pad}{key}:   {draw(_SCALARS)}")
        else:
            lines.append(f"{pad}{key}: {draw(_SCALARS)}")
    return lines


ADVERSARIAL = [
    'title: "abc\nstatus: fake"\nstatus: reported\n',  # a key-like line inside quotes
    'title: "abc\nstatus: reported"\n"status": reported\n',  # the real key quoted
    "title: 'abc\nstatus: reported'\nstatus : reported\n",
    "title: |\n  status: reported\nstatus: reported\n",  # inside a block scalar
    "a:\n  b: 1\n  c:\n  - x\n  - y\nd: [p, q]\n",
    'a: [x, "y, z", w]\n',  # a quoted comma inside a flow sequence
    "dates:\n  # investigating: 2026-01-01\n  investigating: 2026-11-20\n",
    "tags:\n- a\n- b\nx: 1\n",
    "k: v\n? k2\n: v2\n",
    "k:\n\n  a: 1\n",
    "k: x\n  y\nz: 1\n",  # a plain scalar continued on the next line
]


@pytest.mark.parametrize("text", ADVERSARIAL)
def test_awkward_documents_agree_with_the_composer(text: str) -> None:
    _agree(text.split("\n"))


@settings(max_examples=400)
@given(_block())
def test_generated_block_documents_agree_with_the_composer(lines: list[str]) -> None:
    _agree(lines)


def _agree(lines: list[str]) -> None:
    from crmkb.errors import RecordErrors
    from crmkb.yamlfile import yaml_document

    text = "\n".join(lines).rstrip("\n") + "\n"
    try:
        doc = yaml_document(text, "t.yml")
    except RecordErrors:
        return  # the parser refuses it: nothing is ever located in it
    for loc in _paths(doc.data):
        found = position(doc.yaml_text, doc.data, loc)
        if found is not None:
            assert (found[0] + 1, found[1] + 1) == composed_position(doc, loc), (text, loc)


def test_a_record_built_from_the_cache_is_located_against_its_own_fields(tmp_path: Path) -> None:
    """A warm load keeps no parsed data: the record itself vouches for what the text says."""
    import shutil

    from crmkb.knowledge_base import load
    from crmkb.records.issue import Issue

    shutil.copytree(REPO / "records", tmp_path / "records")
    shutil.copy(REPO / "crmkb.yml", tmp_path / "crmkb.yml")
    load(tmp_path)  # fills the record cache
    issues = load(tmp_path).of(Issue).values()
    built_from_cache = [issue for issue in issues if issue._doc is not None and not issue._doc.data]
    assert len(built_from_cache) > 40
    for issue in built_from_cache:
        doc = issue._doc
        assert doc is not None
        for loc in [
            ("status",),
            ("reported",),
            ("title",),
            ("dates", "investigating"),
            ("tags", 0),
        ]:
            assert position(doc.yaml_text, issue, loc) is not None or loc[0] in ("dates", "tags")
            assert locate(doc, loc, issue) == composed_position(doc, loc), (issue.id, loc)
