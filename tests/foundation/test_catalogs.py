"""Every message kb says is in every catalog, translated, with the same placeholders."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from crmkb import i18n

PACKAGE = Path(i18n.__file__).parent
PLACEHOLDER = re.compile(r"\{[a-z_0-9]*\}")


def _code_messages() -> set[str | tuple[str, str]]:
    found: set[str | tuple[str, str]] = set()
    keywords = {"_": None, "N_": None, "ngettext": (1, 2)}
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(PACKAGE), method_map=[("**.py", "python")], keywords=keywords
    ):
        found.add(message if isinstance(message, str) else (message[0], message[1]))
    return found


def _catalog(language: str) -> dict[str, object]:
    path = PACKAGE / "locale" / language / "LC_MESSAGES" / "crmkb.po"
    with path.open("rb") as handle:
        catalog = read_po(handle)
    return {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalog if m.id}


@pytest.mark.parametrize("language", [lang for lang in i18n.LANGUAGES if lang != "en"])
def test_catalog_complete(language: str) -> None:
    catalog = _catalog(language)
    missing, untranslated, placeholders = [], [], []
    for message in _code_messages():
        key = message if isinstance(message, str) else message[0]
        entry = catalog.get(key)
        if entry is None:
            missing.append(key)
            continue
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)  # type: ignore[attr-defined]
        if not all(strings) or entry.fuzzy:  # type: ignore[attr-defined]
            untranslated.append(key)
        wanted = set(PLACEHOLDER.findall(key))
        if any(set(PLACEHOLDER.findall(s)) != wanted for s in strings):
            placeholders.append(key)
    assert not missing, f"run `make catalogs` and translate: {missing}"
    assert not untranslated, f"translate these in the {language} catalog: {untranslated}"
    assert not placeholders, f"placeholders differ from the English: {placeholders}"


@pytest.mark.parametrize("language", [lang for lang in i18n.LANGUAGES if lang != "en"])
def test_catalog_has_no_stale_entries(language: str) -> None:
    code = {m if isinstance(m, str) else m[0] for m in _code_messages()}
    stale = sorted(set(_catalog(language)) - code)
    assert not stale, f"no code says these any more; run `make catalogs`: {stale}"


def test_compiled_catalog_speaks_and_falls_back(tmp_path: Path) -> None:
    with i18n.speaking("zh"):
        assert i18n._("skipped: {note}") == "已跳过：{note}"
        assert i18n._("a text no catalog has") == "a text no catalog has"
    with i18n.speaking("en"):
        assert i18n._("skipped: {note}") == "skipped: {note}"
