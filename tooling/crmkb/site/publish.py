"""Where the site is published (`publish:` in crmkb.yml) and what a public site leaves out.

A site for the company (the default) holds everything. A public one (`visibility: public`)
is built without the pages about people (people and roles, the reporter leaderboard, the
certificate register, training progress with its exam results, the operation reports),
with every staff name in record text replaced, and is refused when a built file still
names a member of staff. `python -m crmkb.site.publish` prints the setting for a workflow's
`$GITHUB_OUTPUT`.
"""

from __future__ import annotations

import dataclasses
import posixpath
import re
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from opencc import OpenCC

from crmkb.config import Config, load_config
from crmkb.knowledge_base import KnowledgeBase
from crmkb.records.person import Person
from crmkb.search import SearchDoc
from crmkb.search.synonyms import Synonyms
from crmkb.search.tokenize import normalize
from crmkb.site.pages import urls
from crmkb.site.pages.common import withheld
from crmkb.training.pages import PROGRESS, REGISTER

# Pages about people; `reports/` holds the leaderboard and per-person figures.
PRIVATE_PAGES = frozenset({urls.PEOPLE, REGISTER, PROGRESS})
PRIVATE_FOLDERS = ("reports/",)
LINK = re.compile(r"\[([^\]\n]*)\]\(([^)\s]+)\)")  # a Markdown link the pages write
TEXT_SUFFIXES = (".html", ".json", ".js", ".xml", ".txt", ".svg", ".md", ".css", ".csv")
S = TypeVar("S")


def is_private_page(uri: str) -> bool:
    return uri in PRIVATE_PAGES or uri.startswith(PRIVATE_FOLDERS)


def staff_words(kb: KnowledgeBase) -> dict[str, str]:
    """Every person's name (in its Simplified and Traditional forms) and email -> the person's
    id: what a public site must not hold."""
    found: dict[str, str] = {}
    for person in kb.of(Person).values():
        for word in (person.name, person.email):
            word = (word or "").strip()
            for form in {word, normalize(word), *(convert(word) for convert in _TRADITIONAL)}:
                if form:
                    found[form] = person.id
    return found


_TRADITIONAL = [OpenCC(name).convert for name in ("s2t.json", "s2tw.json", "s2hk.json")]


def public_sources(kb: KnowledgeBase, sources: Mapping[str, S]) -> dict[str, S]:
    """`sources` without the private pages, staff names replaced in every generated text."""
    words = staff_words(kb)
    pattern = _alternation(words)
    kept: dict[str, S] = {}
    for uri, source in sources.items():
        if is_private_page(uri):
            continue
        if isinstance(source, str):
            source = _unlink_private(uri, source)  # type: ignore[assignment]
            if pattern is not None:
                source = pattern.sub(withheld(kb), source)  # type: ignore[assignment]
        kept[uri] = source
    return kept


def _unlink_private(uri: str, markdown: str) -> str:
    """Links to a page left out of a public site become their label."""
    folder = posixpath.dirname(uri)

    def keep(match: re.Match[str]) -> str:
        target = match.group(2).split("#", 1)[0]
        private = is_private_page(posixpath.normpath(posixpath.join(folder, target)))
        return match.group(1) if target and "://" not in target and private else match.group(0)

    return LINK.sub(keep, markdown)


def scrub_synonyms(synonyms: Synonyms, kb: KnowledgeBase) -> Synonyms:
    """The words the corpus teaches the search, less any that names staff: they are written
    into the index (its dictionary and sound table) apart from the scrubbed documents."""
    pattern = _alternation(staff_words(kb))
    if pattern is None:
        return synonyms
    return dataclasses.replace(
        synonyms,
        taught=frozenset(w for w in synonyms.taught if not pattern.search(w)),
        heads=frozenset(w for w in synonyms.heads if not pattern.search(w)),
    )


def scrub_docs(docs: Iterable[SearchDoc], kb: KnowledgeBase) -> list[SearchDoc]:
    """Search documents with every staff name replaced (symptoms come from the records)."""
    pattern = _alternation(staff_words(kb))
    if pattern is None:
        return list(docs)

    def clean(value: str) -> str:
        return pattern.sub(withheld(kb), value)

    return [
        dataclasses.replace(
            doc,
            title=clean(doc.title),
            text=clean(doc.text),
            symptom=clean(doc.symptom),
            keywords=tuple(map(clean, doc.keywords)),
            tags=tuple(map(clean, doc.tags)),
        )
        for doc in docs
    ]


def scrub(text: str, kb: KnowledgeBase) -> str:
    """`text` with every staff name and email replaced (a hand-written page on a public site)."""
    pattern = _alternation(staff_words(kb))
    return pattern.sub(withheld(kb), text) if pattern is not None else text


def _alternation(words: Iterable[str]) -> re.Pattern[str] | None:
    ordered = sorted(set(words), key=len, reverse=True)  # the longest name wins
    return re.compile("|".join(map(re.escape, ordered))) if ordered else None


def staff_named(site_dir: Path, kb: KnowledgeBase) -> list[str]:
    """Built files that still name a member of staff: `file: P003` lines (empty when none)."""
    words = {normalize(word): person for word, person in staff_words(kb).items()}
    pattern = _alternation(words)
    if pattern is None:
        return []
    found = []
    for path in sorted(site_dir.rglob("*")):
        if not path.is_file() or not path.name.endswith(TEXT_SUFFIXES):
            continue
        text = normalize(path.read_text(encoding="utf-8", errors="replace"))
        hits = sorted({words[m.group(0)] for m in pattern.finditer(text)})
        if hits:
            found.append(f"{path.relative_to(site_dir).as_posix()}: {', '.join(hits)}")
    return found


def public_nav(nav: Any) -> Any:
    """MkDocs' `nav` without the private pages (sections left empty are dropped)."""
    if isinstance(nav, list):
        kept = [public_nav(item) for item in nav]
        return [item for item in kept if item not in (None, [], {})]
    if isinstance(nav, dict):
        kept_items = {key: public_nav(value) for key, value in nav.items()}
        kept_items = {k: v for k, v in kept_items.items() if v not in (None, [], {})}
        return kept_items or None
    if isinstance(nav, str) and is_private_page(nav):
        return None
    return nav


def workflow_output(config: Config) -> str:
    """`name=value` lines for `$GITHUB_OUTPUT`: whether to deploy to GitHub Pages."""
    pages = config.publish.target == "github-pages"
    return f"pages={str(pages).lower()}\nvisibility={config.publish.visibility or 'private'}\n"


def main(argv: list[str]) -> int:
    root = Path(argv[1]) if len(argv) > 1 else Path.cwd()
    sys.stdout.write(workflow_output(load_config(root)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
