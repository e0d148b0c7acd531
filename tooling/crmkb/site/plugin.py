"""The `crmkb` MkDocs plugin: thin hooks that turn records into pages and build the search index.

Page content comes from `crmkb.site.pages` (pure functions); the search index from
`crmkb.search`. A record that fails validation fails the build with `kb check`'s messages.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import re
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from crmkb.config import load_config
from crmkb.errors import KbError, RecordErrors
from crmkb.knowledge_base import load
from crmkb.search import SearchDoc, write_index
from crmkb.search.assets import ASSETS as SEARCH_ASSETS
from crmkb.search.assets import report_link, report_url
from crmkb.search.documents import RecordFacts, synonyms_of
from crmkb.search.index import LISTING_KINDS
from crmkb.search.synonyms import Synonyms
from crmkb.site import handover, publish
from crmkb.site.autolink import autolink
from crmkb.site.clock import ASSETS as CLOCK_ASSETS
from crmkb.site.pages import NAV
from crmkb.site.published import source_problems, unexpected_outputs
from crmkb.site.record_text import RecordTextExtension
from crmkb.site.render import Source, generated_pages, rendered_files, site_sources
from crmkb.site.sanitize import plain_text, prefix_toc, sanitize_page

log = logging.getLogger("mkdocs.plugins.crmkb")
KEPT_DOCS: dict[str, dict[str, SearchDoc]] = {}  # site folder -> page URL -> search document
RECORD_FOLDERS = {"issues", "solutions", "changes", "training"}
INDEX_TEXT_CHARS = 300
TITLE = re.compile(r"<h1\b.*?</h1>", re.S)
FACTS = re.compile(
    r"<table\b.*?</table>", re.S
)  # list pages repeat every record's title; index only their intro


class CrmkbPluginConfig(Config):  # type: ignore[no-untyped-call]  # mkdocs leaves it untyped
    root = c.Type(str, default=".")  # repository root (crmkb.yml, records/), from mkdocs.yml
    search_dir = c.Type(str, default="assets/crmkb-search")
    # Set by `kb render` in the rendered folder's config: the pages are files already.
    rendered = c.Type(bool, default=False)
    # The repository whose problem-report form the empty search result links to; MkDocs'
    # repo_url is used when this is empty (set here to avoid Material's header widget, which
    # asks GitHub's API for star counts: an outside request).
    repo_url = c.Type(str, default="")


class CrmkbPlugin(BasePlugin[CrmkbPluginConfig]):  # type: ignore[no-untyped-call]
    """Generate record pages at build time and index every page for the crmkb search worker."""

    def __init__(self) -> None:
        self.generated: dict[str, Source] = {}
        self.docs: dict[str, SearchDoc] = {}
        self.expected: set[str] = set()
        self.facts: RecordFacts | None = None
        self.language = "en"
        self.synonyms = Synonyms()
        self.record_urls: dict[str, str] = {}
        self.trusted: tuple[str, ...] = ()
        self.dirty = False
        self.kb: Any = None
        self.public = False

    def _root(self, config: MkDocsConfig) -> Path:
        return Path(config.config_file_path).parent / self.config.root

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.dirty = dirty

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        try:
            self.public = load_config(self._root(config)).publish.public
        except KbError as exc:
            raise PluginError(f"invalid crmkb.yml (run `kb check`):\n{exc}") from None
        if self.public:
            config.nav = publish.public_nav(config.nav)
            log.info(
                "crmkb: public site (crmkb.yml publish.visibility: public): people, "
                "leaderboard, certificate register, exam results and reports are left out "
                "and staff names are withheld"
            )
        for uri in CLOCK_ASSETS:  # the reader's clock: data as of, deadlines for today
            if uri not in config.extra_javascript:
                config.extra_javascript.append(uri)
        # The practice quiz's script and style, packaged with crmkb and linked on every page.
        if "assets/crmkb-quiz/quiz.js" not in config.extra_javascript:
            config.extra_javascript.append("assets/crmkb-quiz/quiz.js")
            config.extra_css.append("assets/crmkb-quiz/quiz.css")
        config.markdown_extensions.append(RecordTextExtension())  # type: ignore[arg-type]
        # The search panel's additions (report link, "show all"), packaged with crmkb.
        for uri in SEARCH_ASSETS:  # the panel's files come with the render's site_sources
            links = config.extra_javascript if uri.endswith(".js") else config.extra_css
            if uri not in links:
                links.append(uri)
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        from crmkb.i18n import speak_for

        speak_for(self._root(config))  # the pages' own words speak the records' language
        try:
            kb = handover.KB or load(self._root(config), today=build_date())
        except RecordErrors as exc:
            raise PluginError(f"invalid records (run `kb check`):\n{exc}") from None
        self.facts = RecordFacts(kb)
        self.kb = kb
        self.language = kb.config.language
        self.synonyms = synonyms_of(kb)
        if self.public:
            self.synonyms = publish.scrub_synonyms(self.synonyms, kb)
        # The problem-report form comes from crmkb.yml, not from a record: pages may link to it.
        self.trusted = (kb.config.report_form,) if kb.config.report_form else ()
        # The search panel's "report this problem" link: the same form, else the repository's.
        config.extra["crmkb_report_url"] = report_link(kb.config) or report_url(
            self.config.repo_url or config.repo_url
        )
        # Search documents outlive one build in this process: a dirty build (kb serve)
        # renders only the changed pages, and the index must still hold every page.
        self.docs = KEPT_DOCS.setdefault(config.site_dir, {})
        if self.config.rendered:
            return self._rendered_files(files, config)
        self.generated = site_sources(kb)
        in_nav = {uri for _, uri in NAV}
        digest = hashlib.sha256()
        for uri, source in self.generated.items():
            if isinstance(source, bytes):  # an attachment, as checked
                files.append(File.generated(config, uri, content=source))
                continue
            if isinstance(source, Path):  # crmkb's own assets
                files.append(File.generated(config, uri, abs_src_path=str(source)))
                continue
            markdown = source
            if files.get_file_from_path(uri) is not None:
                raise PluginError(
                    f"{config.docs_dir}/{uri} clashes with a generated page; rename it"
                )
            level = InclusionLevel.INCLUDED if uri in in_nav else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, uri, content=markdown, inclusion=level))
            digest.update(uri.encode() + b"\0" + markdown.encode())
        for file in files.documentation_pages():
            if file.src_uri not in self.generated:
                digest.update(file.src_uri.encode() + b"\0" + file.content_bytes)
        self.record_urls = record_urls(files)
        # Versions the index URLs so browsers never mix shards of two builds.
        config.extra["crmkb_search_version"] = digest.hexdigest()[:12]
        self._forget_gone(files)
        return files

    def _rendered_files(self, files: Files, config: MkDocsConfig) -> Files:
        """The pages are files `kb render` wrote: mark the generated ones, version the index."""
        generated = generated_pages(Path(config.docs_dir))
        self.generated = dict.fromkeys(generated, "")
        rendered = rendered_files(Path(config.docs_dir))
        strangers = [f.src_uri for f in files if f.abs_src_path and f.src_uri not in rendered]
        strangers = [uri for uri in strangers if Path(config.docs_dir, uri).exists()]
        if strangers:  # only what `kb render` wrote, and checked, may be published
            raise PluginError(
                f"{config.docs_dir} holds files kb render did not write: {', '.join(strangers)}; "
                "run kb render again into an empty folder"
            )
        in_nav = {uri for _, uri in NAV}
        digest = hashlib.sha256()
        for file in files.documentation_pages():
            if file.src_uri in generated and file.src_uri not in in_nav:
                file.inclusion = InclusionLevel.NOT_IN_NAV
            # `kb render` rewrites a file only when its content changes: size and time stand in
            # for the content here, without reading every page again.
            info = os.stat(file.abs_src_path or "")
            digest.update(f"{file.src_uri}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
        config.extra["crmkb_search_version"] = digest.hexdigest()[:12]
        self.record_urls = record_urls(files)
        self._forget_gone(files)
        return files

    def _forget_gone(self, files: Files) -> None:
        # A page's URL is its file's, except the home page's: "" where the file says "./".
        urls = {"" if f.url == "./" else f.url for f in files.documentation_pages()}
        for url in [url for url in self.docs if url not in urls]:
            del self.docs[url]

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        if page.file.src_uri in self.generated:
            # Material's own index would hold every generated page and be downloaded before
            # the first search; the crmkb index has them, sharded.
            page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}
            if "\n## " not in markdown:
                # A page without sections has an empty table of contents: give its tables
                # that width instead.
                page.meta.setdefault("hide", ["toc"])
        elif self.public and self.kb is not None:  # a hand-written page on a public site
            markdown = publish.scrub(markdown, self.kb)
        return markdown

    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        if page.file.src_uri in self.generated:
            html = sanitize_page(html, self.trusted)
            prefix_toc(page.toc)
        # After sanitising: links only known record ids, to URLs the build itself made.
        html = autolink(html, page.url, self.record_urls)
        generated = page.file.src_uri in self.generated
        self.docs[page.url] = search_doc(page, html, self.facts, generated)
        return html

    def on_env(self, env: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        # A dirty build copies and builds only the modified files; the rest passed before.
        checked = [f for f in files if f.is_modified()] if self.dirty else files
        problems = source_problems(checked, [config.docs_dir, *config.theme.dirs])
        if problems:
            raise PluginError("refusing to publish:\n" + "\n".join(problems))
        self.expected = {file.dest_uri for file in files}
        return env

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        out = Path(config.site_dir) / self.config.search_dir
        if handover.WRITER is not None:  # kb serve: a second process writes it
            work = Path(config.site_dir).parent
            handover.WRITER(self._docs(), out, self.synonyms, work, self.language)
            self._check_outputs(config)
            return
        stats = write_index(self._docs(), out, self.synonyms, self.language)
        log.info(
            "crmkb search: %d pages, %d terms, %d shards, %d bytes",
            stats.docs,
            stats.terms,
            stats.shards,
            stats.bytes,
        )
        self._check_outputs(config)

    def _docs(self) -> list[SearchDoc]:
        docs = list(self.docs.values())
        return publish.scrub_docs(docs, self.kb) if self.public else docs

    def _check_outputs(self, config: MkDocsConfig) -> None:
        stray = unexpected_outputs(Path(config.site_dir), self.expected, [self.config.search_dir])
        if stray:
            raise PluginError("the site holds files that passed no check:\n" + "\n".join(stray))
        named = publish.staff_named(Path(config.site_dir), self.kb) if self.public else []
        if named:  # an attachment or a theme file, say: nothing on a public site names staff
            raise PluginError(
                "refusing to publish names of staff on a public site:\n" + "\n".join(named)
            )

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        server.watch(str(self._root(config) / "records"))
        return server


def record_urls(files: Files) -> dict[str, str]:
    """Record id -> site URL of its page, for every issue, solution, change and training page."""
    found = {}
    for file in files.documentation_pages():
        folder, _, name = file.src_uri.rpartition("/")
        if folder in RECORD_FOLDERS and name.endswith(".md") and name != "index.md":
            found[name.removesuffix(".md")] = file.url
    return found


def build_date() -> dt.date | None:
    """CRMKB_TODAY, as `kb` reads it, so a site can be built as of a given day."""
    value = os.environ.get("CRMKB_TODAY")
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise PluginError(f"CRMKB_TODAY={value!r} is not a date like 2026-11-23") from None


def search_doc(
    page: Page, html: str, facts: RecordFacts | None = None, generated: bool = False
) -> SearchDoc:
    """What the search index knows about one rendered page."""
    meta = page.meta.get("crmkb") or {}
    # Generated pages without record metadata are reports and leaderboards: listings.
    kind = str(meta.get("kind", "listing" if generated else "page"))
    keywords = tuple(str(k) for k in meta.get("keywords", ()))
    symptom, tags = facts.of(kind, keywords[0] if keywords else "") if facts else ("", ())
    if kind in LISTING_KINDS:
        # A listing repeats every record's title: index its title and intro only.
        text = plain_text(html)[:INDEX_TEXT_CHARS]
    else:
        # The record's own words first (they become the result teaser), its facts table after.
        match = FACTS.search(html)
        table = match.group(0) if match else ""
        text = plain_text(TITLE.sub("", html.replace(table, "", 1))) + " " + plain_text(table)
    return SearchDoc(page.url, page.title or "", text, kind, keywords, symptom, tags)
