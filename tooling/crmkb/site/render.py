"""The whole site source, written to a folder from the records: what `kb render` and `kb serve`
hand to a builder (MkDocs, ProperDocs), and what the MkDocs plugin adds to a build in memory.

A render writes only the files whose bytes changed and removes the files an earlier render
wrote that nothing produces any more, so file times tell a builder (`--dirty`) what changed.
A whole render takes OUT/mkdocs.yml away first and writes it last: a render the disk stopped
(full, read-only) leaves a folder no builder builds, and the next render completes it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from crmkb.errors import KbError
from crmkb.i18n import _
from crmkb.knowledge_base import KnowledgeBase
from crmkb.search.assets import ASSETS as SEARCH_ASSETS
from crmkb.site.assets import is_evidence, listed_evidence, record_assets
from crmkb.site.clock import clock_assets
from crmkb.site.pages import generate
from crmkb.store import atomic_write
from crmkb.training.quiz import ASSETS as QUIZ_ASSETS

DOCS = "docs"
OVERRIDES = "overrides"
CONFIG = "mkdocs.yml"
MANIFEST = ".kb-render.json"  # in DOCS: every file a render wrote there, for later removals
PENDING = ".kb-render-pending.json"  # in DOCS: pages a second process is writing (kb serve)
Source = str | bytes | Path  # Markdown text, checked attachment bytes, or a packaged file


@dataclass
class Rendered:
    """What one render did, as docs-relative paths."""

    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0


def packaged_files(kb: KnowledgeBase) -> dict[str, bytes | Path]:
    """Site path -> file: attachments the records publish and crmkb's own page assets.

    Only evidence some issue lists is published; a public site (crmkb.yml `publish:`)
    publishes no issue evidence at all: a screenshot of the CRM shows staff and customers,
    and no check can read an image."""
    attachments = record_assets(kb.root, listed_evidence(kb))
    if kb.config.publish.public:
        attachments = {uri: data for uri, data in attachments.items() if not is_evidence(uri)}
    return {**attachments, **QUIZ_ASSETS, **SEARCH_ASSETS}


def site_files(kb: KnowledgeBase) -> dict[str, bytes | Path]:
    """The files the records add besides pages: attachments, crmkb's assets, the clock."""
    return {**packaged_files(kb), **clock_assets(kb)}


def site_sources(kb: KnowledgeBase) -> dict[str, Source]:
    """Every file the records add to the site: generated pages, attachments and assets."""
    return {**generate(kb), **site_files(kb)}


def hand_written(root: Path, docs_dir: Path) -> dict[str, Source]:
    """The docs folder's own files (pages, styles), minus the theme overrides."""
    found: dict[str, Source] = {}
    overrides = docs_dir / OVERRIDES
    for path in sorted(docs_dir.rglob("*")):
        if path.is_file() and not path.is_relative_to(overrides):
            found[path.relative_to(docs_dir).as_posix()] = path
    return found


def render(kb: KnowledgeBase, out: Path, site: dict[str, Any]) -> Rendered:
    """Write the whole site source for `kb` into `out` (see the module docstring).

    `site` is the repository's MkDocs configuration; `out` gets a copy whose docs folder is
    `out/docs` and whose crmkb plugin knows the pages are already there.
    """
    return write_site(kb.root, out, site, all_sources(kb, site))


def all_sources(kb: KnowledgeBase, site: dict[str, Any], reports: bool = True) -> dict[str, Source]:
    """The docs folder's own files, the generated pages and the packaged files."""
    docs_dir = kb.root / site.get("docs_dir", "docs")
    pages = generate(kb, reports=reports)
    return {**hand_written(kb.root, docs_dir), **pages, **site_files(kb)}


def write_site(
    root: Path,
    out: Path,
    site: dict[str, Any],
    sources: dict[str, Source],
    written_elsewhere: Callable[[], list[str]] | None = None,
) -> Rendered:
    """Write `sources` into `out`; `written_elsewhere` waits for pages another process writes
    meanwhile (kb serve's reports) and names them, so they are kept and listed too."""
    (out / CONFIG).unlink(missing_ok=True)  # until the end: half a render is never built
    announce(out / DOCS, sources)
    done = write_files(out / DOCS, sources)
    if written_elsewhere is not None:
        sources = {**sources, **dict.fromkeys(written_elsewhere(), "")}
    done.removed = remove_stale(out / DOCS, sources)
    _write_manifest(out / DOCS, sources, generated=set(generate_names(sources)))
    (out / DOCS / PENDING).unlink(missing_ok=True)
    _copy_overrides(root / site.get("docs_dir", "docs") / OVERRIDES, out / OVERRIDES)
    _write_config(out, site, root)
    return done


def generate_names(sources: dict[str, Source]) -> Iterable[str]:
    return (uri for uri, source in sources.items() if isinstance(source, str))


def write_files(docs: Path, sources: dict[str, Source]) -> Rendered:
    """Write each source whose bytes differ from the file already there."""
    done = Rendered()
    for uri, source in sources.items():
        data = _bytes(source)
        target = docs / uri
        try:
            same = target.stat().st_size == len(data) and target.read_bytes() == data
        except OSError:
            same = False
        if same:
            done.unchanged += 1
            continue
        _write_bytes(target, data)
        done.written.append(uri)
    return done


def _bytes(source: Source) -> bytes:
    if isinstance(source, str):
        return source.encode("utf-8")
    return source if isinstance(source, bytes) else source.read_bytes()


def remove_stale(docs: Path, sources: dict[str, Source]) -> list[str]:
    """Remove what an earlier render wrote and nothing produces now (a deleted record's page)."""
    removed = []
    for uri in sorted(_listed(docs) - set(sources)):
        path = docs / uri
        if path.is_file():
            path.unlink()
            removed.append(uri)
    return removed


def announce(docs: Path, names: Iterable[str]) -> None:
    """List files in the manifest before they are written, so a render killed midway leaves
    nothing the next render does not know to remove."""
    manifest = _manifest(docs)
    files = set(manifest.get("files", []))
    if not files.issuperset(names):
        manifest["files"] = sorted(files.union(names))
        atomic_write(docs / MANIFEST, json.dumps(manifest, ensure_ascii=False))


def _listed(docs: Path) -> set[str]:
    """Every file a render wrote, or was about to write (the second process's too)."""
    try:
        pending = json.loads((docs / PENDING).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pending = []
    extra = {str(uri) for uri in pending} if isinstance(pending, list) else set()
    return set(_manifest(docs).get("files", [])) | extra


def rendered_files(docs: Path) -> set[str]:
    """Every file the last render wrote into the docs folder."""
    return _listed(docs) | {MANIFEST, PENDING}


def generated_pages(docs: Path) -> set[str]:
    """The pages the last render generated from records (for the plugin's page hooks)."""
    return set(_manifest(docs).get("generated", []))


def _manifest(docs: Path) -> dict[str, list[str]]:
    try:
        data = json.loads((docs / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_manifest(docs: Path, sources: dict[str, Source], generated: set[str]) -> None:
    manifest = {"files": sorted(sources), "generated": sorted(generated)}
    text = json.dumps(manifest, ensure_ascii=False, indent=0)
    if _manifest(docs) != manifest:
        atomic_write(docs / MANIFEST, text)


def _write_bytes(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, target)  # a builder reading meanwhile sees the old file or the new one
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def not_written(out: Path, exc: OSError) -> KbError:
    """A render the disk stopped, in one line: the folder, why, and what to do."""
    reason = exc.strerror or str(exc)
    if exc.filename:
        reason = f"{reason} ({exc.filename})"
    return KbError(
        _(
            "cannot write the site into {folder}: {reason}; free space there or choose a "
            "writable folder, then run the command again"
        ).format(folder=out, reason=reason)
    )


def _copy_overrides(source: Path, target: Path) -> None:
    if source.is_dir():
        write_files(target, {p.relative_to(source).as_posix(): p for p in _files(source)})


def _files(folder: Path) -> list[Path]:
    return [p for p in sorted(folder.rglob("*")) if p.is_file()]


def _write_config(out: Path, site: dict[str, Any], root: Path) -> None:
    """The repository's MkDocs configuration, pointed at the rendered folder."""
    config = dict(site)
    config["docs_dir"] = DOCS
    config.pop("exclude_docs", None)
    theme = dict(config.get("theme") or {})
    if theme.get("custom_dir"):
        theme["custom_dir"] = OVERRIDES
    config["theme"] = theme
    plugins: list[Any] = []
    for plugin in config.get("plugins") or []:
        name = plugin if isinstance(plugin, str) else next(iter(plugin))
        if name == "crmkb":
            plugin = {"crmkb": {"root": str(root), "rendered": True}}
        plugins.append(plugin)
    config["plugins"] = plugins
    text = "# Written by `kb render`; edit the repository's mkdocs.yml instead.\n"
    text += yaml.safe_dump(config, allow_unicode=True, sort_keys=False)
    path = out / CONFIG
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        atomic_write(path, text)


def clean(out: Path) -> None:
    """Remove a rendered folder (for a fresh render)."""
    shutil.rmtree(out, ignore_errors=True)


class Renderer:
    """Renders a folder again after a change, touching only the pages the change can affect.

    It remembers the last render's pages and the content hash of every record file. When only
    per-record files changed, it renders again the pages of those records, of the records
    whose page mentioned them before or does now, and every listing page (home, lists,
    reports); any other change (crmkb.yml, people, roles, modules) renders everything.
    """

    def __init__(self, out: Path, site: dict[str, Any]) -> None:
        self.out = out
        self.site = site
        self.pages: dict[str, str] = {}
        self.files: set[str] = set()
        self.sources: dict[str, str] = {}

    def full(
        self, kb: KnowledgeBase, reports_elsewhere: Callable[[], list[str]] | None = None
    ) -> Rendered:
        """Render everything; the reports by another process when `reports_elsewhere` waits
        for it (see `write_site`)."""
        sources = all_sources(kb, self.site, reports=reports_elsewhere is None)
        done = write_site(kb.root, self.out, self.site, sources, reports_elsewhere)
        self.files = set(_manifest(self.out / DOCS).get("files", []))
        self.pages = {u: s for u, s in sources.items() if isinstance(s, str)}
        self.pages.update(dict.fromkeys(generated_pages(self.out / DOCS) - set(self.pages), ""))
        self.sources = dict(kb.sources)
        return done

    def remember(self, uris: list[str]) -> None:
        """Note pages written by someone else (`kb serve`'s report job) in the manifest."""
        self._remember(dict.fromkeys(uris, ""), set())
        (self.out / DOCS / PENDING).unlink(missing_ok=True)

    def update(self, kb: KnowledgeBase) -> Rendered:
        """Render what a change of per-record files touches, except the reports (see
        `reports`); any other change renders everything."""
        from crmkb.site.pages import RECORD_PAGES, listing_pages, record_pages

        before, now = self.sources, kb.sources
        by_kind = _changed_ids({p for p in {*now, *before} if now.get(p) != before.get(p)})
        if not before or by_kind is None:
            return self.full(kb)  # a shared file changed (or nothing was rendered yet)
        ids = {i for found in by_kind.values() for i in found}
        fresh: dict[str, Source] = {}
        for kind, found in by_kind.items():
            if kind in RECORD_PAGES:
                fresh.update(record_pages(kb, kind, sorted(found)))
        # The records the changed ones now name (the solution an issue now points to, say).
        mentioned = {
            i for page in fresh.values() if isinstance(page, str) for i in _IDS.findall(page)
        }
        for kind, (where, _pages) in RECORD_PAGES.items():
            bucket = kb.records.get(kind, {})
            near = [i for i in bucket if i in mentioned or _mentions(self.pages.get(where(i)), ids)]
            fresh.update(record_pages(kb, kind, near))
        fresh.update(listing_pages(kb))
        fresh.update(hand_written(kb.root, kb.root / self.site.get("docs_dir", "docs")))
        fresh.update(site_files(kb))
        gone = {
            RECORD_PAGES[kind][0](i)
            for kind, found in by_kind.items()
            if kind in RECORD_PAGES
            for i in found
            if i not in kb.records.get(kind, {})
        }
        announce(self.out / DOCS, fresh)
        done = write_files(self.out / DOCS, fresh)
        for uri in sorted(gone & self.files):
            (self.out / DOCS / uri).unlink(missing_ok=True)
            done.removed.append(uri)
        self._remember(fresh, gone)
        self.sources = dict(now)
        return done

    def _remember(self, fresh: dict[str, Source], gone: set[str]) -> None:
        self.files = (self.files - gone) | set(fresh)
        self.pages = {u: p for u, p in self.pages.items() if u not in gone}
        self.pages.update({u: s for u, s in fresh.items() if isinstance(s, str)})
        manifest = {"files": sorted(self.files), "generated": sorted(self.pages)}
        atomic_write(self.out / DOCS / MANIFEST, json.dumps(manifest, ensure_ascii=False))


_IDS = re.compile(r"\b[A-Z]{2,5}-[A-Z0-9-]*[0-9A-Z]\b")


def _mentions(page: str | None, ids: set[str]) -> bool:
    return page is not None and any(i in page for i in ids)


def _changed_ids(paths: set[str]) -> dict[str, set[str]] | None:
    """Record ids by kind for changed one-record files; None when a shared file changed."""
    from crmkb.records import REGISTRY

    folders = {k.directory: k for k in REGISTRY if not k.list_key}
    found: dict[str, set[str]] = {}
    for path in paths:
        folder, _, name = path.rpartition("/")
        kind = folders.get(folder)
        if kind is None or not name.endswith(kind.suffix):
            return None
        found.setdefault(kind.name, set()).add(name[: -len(kind.suffix)])
    return found
