"""What kb says to people, in the content language: gettext catalogs, English as the source.

Code writes every user-facing text in English inside `_()` (or `ngettext`, or `N_` for a
table translated where it is shown). The catalogs are `locale/<language>/LC_MESSAGES/crmkb.po`,
kept complete by `tests/foundation/test_catalogs.py` and refreshed with `make catalogs`
(Babel's extract and update). A `.po` is compiled to its `.mo` by Babel on first use and
whenever the `.po` is newer; the `.mo` is never committed.

The language is chosen once per command (`use`): `--lang`/`KB_LANG` when given, else
`language:` in crmkb.yml. `speaking` switches it for one piece of work (a mail to a reader of
another language).
"""

from __future__ import annotations

import gettext
import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

DOMAIN = "crmkb"
LOCALE_DIR = Path(__file__).with_name("locale")
SOURCE_LANGUAGE = "en"
LANGUAGES = ("zh", "en")

_active: gettext.NullTranslations = gettext.NullTranslations()
_language = SOURCE_LANGUAGE


def _(message: str) -> str:
    """`message` in the active language (itself when the catalog has no translation)."""
    return _active.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _active.ngettext(singular, plural, n)


def N_(message: str) -> str:  # the name gettext's tools know
    """Marks a text for the catalog without translating it here (tables read at import)."""
    return message


def use(language: str) -> None:
    """Speak `language` from now on in this process."""
    global _active, _language
    _active = translations(language)
    _language = language


def language() -> str:
    return _language


_chosen: str | None = None


def choose(override: str | None) -> None:
    """This command speaks `override` (`--lang`, `KB_LANG`) whatever the repository says."""
    global _chosen
    _chosen = override
    if override:
        use(override)


def speak_for(root: Path) -> None:
    """Speak the content language of the repository at `root`, unless a command chose one."""
    if _chosen:
        return
    from crmkb.config import load_config
    from crmkb.errors import KbError

    try:
        use(load_config(root).language)
    except KbError:  # a broken crmkb.yml is reported by the command itself
        use(_language)


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Speak `language` inside the block, then whatever was spoken before."""
    before = _language
    use(language)
    try:
        yield
    finally:
        use(before)


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The compiled catalog of `language`; the source language needs none."""
    if language == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    po = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po.is_file():
        return gettext.NullTranslations()
    mo = po.with_suffix(".mo")
    try:
        fresh = mo.stat().st_mtime_ns >= po.stat().st_mtime_ns
    except OSError:
        fresh = False
    if fresh:
        with mo.open("rb") as handle:
            return gettext.GNUTranslations(handle)
    data = compile_catalog(po)
    _save(mo, data)
    return gettext.GNUTranslations(io.BytesIO(data))


def compile_catalog(po: Path) -> bytes:
    """The `.mo` bytes of a `.po` file, compiled by Babel (fuzzy entries left out)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as handle:
        catalog = read_po(handle, locale=po.parents[1].name, domain=DOMAIN)
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def _save(mo: Path, data: bytes) -> None:
    """Keep the compiled catalog for the next command: written whole or not at all. An
    installation folder that cannot be written costs a compile per command, nothing else."""
    temporary = mo.with_name(f".{mo.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, mo)
    except OSError:
        temporary.unlink(missing_ok=True)
