"""The site's search index, written by a second process while `kb serve` keeps serving, so a
rebuilt page is served before the index (every page's words) is written again.

The parent hands the documents over on the child's stdin as JSON; the child writes the index
into a folder beside the site and swaps it in whole, so a reader never sees half an index.
Only the newest hand-over is kept while a child runs: the next child writes the latest state.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from crmkb.search import SearchDoc, write_index
from crmkb.search.synonyms import Synonyms

log = logging.getLogger("crmkb.serve")


class IndexJobs:
    """Runs one index-writing child at a time; the newest submitted state wins."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._next: tuple[list[str], tuple[list[SearchDoc], Synonyms, str]] | None = None
        self._runner: threading.Thread | None = None
        self.idle = threading.Event()
        self.idle.set()

    def submit(
        self, docs: Sequence[SearchDoc], out: Path, synonyms: Synonyms, work: Path, language: str
    ) -> None:
        """Write the index of `docs` into `out`, by way of a folder in `work` (not published)."""
        with self._lock:
            self._next = ([str(out), str(work)], (list(docs), synonyms, language))
            self.idle.clear()
            if self._runner is None or not self._runner.is_alive():
                self._runner = threading.Thread(target=self._run, daemon=True)
                self._runner.start()

    def _run(self) -> None:
        while True:
            with self._lock:
                if self._next is None:
                    self.idle.set()
                    return
                folders, (docs, synonyms, language) = self._next
                self._next = None
            data = _payload(
                docs, synonyms, language
            )  # here, not in the build that handed them over
            argv = [sys.executable, "-m", "crmkb.site.index_job", *folders]
            done = subprocess.run(argv, input=data, capture_output=True, check=False)
            report = done.stdout.decode("utf-8", "replace").strip()
            if done.returncode:
                reason = done.stderr.decode("utf-8", "replace").strip()[-2000:]
                log.error("the search index was not written: %s", reason)
            elif report:  # not news: it follows every rebuild
                log.debug("crmkb search: %s", report)


def _payload(docs: list[SearchDoc], synonyms: Synonyms, language: str) -> bytes:
    fields = [(d.location, d.title, d.text, d.kind, d.keywords, d.symptom, d.tags) for d in docs]
    lexicon = {"taught": sorted(synonyms.taught), "heads": sorted(synonyms.heads)}
    payload = {"synonyms": synonyms.tokens, **lexicon, "language": language, "docs": fields}
    return json.dumps(payload, ensure_ascii=False).encode()


def swap_in(
    docs: list[SearchDoc], out: Path, synonyms: Synonyms, work: Path, language: str = "en"
) -> str:
    """Write the index into `work` (same disk, outside the site), then put it in place."""
    fresh, stale = work / ".search-index.new", work / ".search-index.old"
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.rmtree(stale, ignore_errors=True)
    stats = write_index(docs, fresh, synonyms, language)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.exists():
        out.rename(stale)
    fresh.rename(out)
    shutil.rmtree(stale, ignore_errors=True)
    return f"{stats.docs} pages, {stats.terms} terms, {stats.shards} shards, {stats.bytes} bytes"


def main() -> None:
    os.nice(10)  # the edit being rebuilt meanwhile comes first
    payload = json.loads(sys.stdin.buffer.read())
    docs = [
        SearchDoc(where, title, text, kind, tuple(keywords), symptom, tuple(tags))
        for where, title, text, kind, keywords, symptom, tags in payload["docs"]
    ]
    out, work = Path(sys.argv[1]), Path(sys.argv[2])
    synonyms = Synonyms(
        payload["synonyms"], frozenset(payload["taught"]), frozenset(payload["heads"])
    )
    try:
        print(swap_in(docs, out, synonyms, work, payload["language"]))
    except OSError as exc:  # a full or read-only disk: the last index stays served
        where = f" ({exc.filename})" if exc.filename else ""
        sys.exit(f"{exc.strerror or exc}{where}")


if __name__ == "__main__":
    main()
