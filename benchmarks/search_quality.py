"""Search quality: does the right record come up in the top 3, and does nonsense find nothing?

    NO_MKDOCS_2_WARNING=1 .venv/bin/python benchmarks/search_quality.py

Builds the sample knowledge base plus 1,000 generated records (benchmarks/generate.py,
renumbered from ISS-1001/SOL-1001 so the sample's ids stay as they are) twice: with the real
mkdocs.yml (crmkb search) and as the plain Material site with jieba of site_plain.py, and
indexes a copy of the plain site with Pagefind (extended, which segments Chinese). Then, in
headless Chromium, it types every query into each Material site's header box and asks
Pagefind's own JavaScript API, and scores, side by side in one run, for the tuning part
(search_queries.py) and the held-out part (search_heldout.py, never tuned on):

- answerable queries: one of the right records among the first 3 results;
- out-of-domain queries: no result at all (the empty state).

`--generated 10` is the smoke run (.ci/run keeps it from rotting).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = HERE / "out"
TODAY = "2026-11-23"
SAMPLE_PEOPLE = 26  # records/people.yml holds P001…P026
sys.path[:0] = [str(REPO / "tests"), str(HERE)]

from harness import search, serve, shared_browser  # noqa: E402
from search_heldout import HELD_OUT, HELD_OUT_EMPTY  # noqa: E402
from search_queries import ANSWERABLE, OUT_OF_DOMAIN  # noqa: E402

HELD = [(query, good) for _, query, good in HELD_OUT]
from site_bench import build  # noqa: E402
from site_plain import write_plain_site  # noqa: E402

_ID = re.compile(r"\b(ISS|SOL)-(\d{4})\b")
_REPORTER = re.compile(r"^reporter: P(\d{3})$", re.M)
_RESULT_ID = re.compile(r"(ISS|SOL|CR|TM)-[A-Z0-9-]+?(?=/|$)")


def _renumber(text: str) -> str:
    text = _ID.sub(lambda m: f"{m.group(1)}-{1000 + int(m.group(2)):04d}", text)
    return _REPORTER.sub(lambda m: f"reporter: P{1 + int(m.group(1)) % SAMPLE_PEOPLE:03d}", text)


def repository(generated: int) -> Path:
    """The sample repository plus `generated` renumbered records (made once, then reused)."""
    repo = OUT / f"quality-repo-{generated}"
    stamp = repo / ".generated"
    if stamp.exists():
        return repo
    shutil.rmtree(repo, ignore_errors=True)
    repo.mkdir(parents=True)
    for name in ("mkdocs.yml", "crmkb.yml", "kb", "records"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, repo / name)
    extra = OUT / f"quality-gen-{generated}"
    subprocess.run(
        [sys.executable, str(HERE / "generate.py"), str(extra), "--records", str(generated)],
        check=True,
        capture_output=True,
    )
    for folder in ("issues", "solutions"):
        for path in sorted((extra / "records" / folder).glob("*.md")):
            text = _renumber(path.read_text(encoding="utf-8"))
            (repo / "records" / folder / _renumber(path.name)).write_text(text, encoding="utf-8")
    stamp.write_text("ok\n")
    return repo


def _ids(hrefs: list[str]) -> list[str]:
    found = []
    for href in hrefs:
        match = _RESULT_ID.search(href.split("?")[0].split("#")[0].rstrip("/"))
        found.append(match.group(0) if match else href.split("?")[0] or "(home)")
    return found


QUERIES = [q for q, _ in ANSWERABLE + HELD] + OUT_OF_DOMAIN + HELD_OUT_EMPTY
Ask = Callable[[Page, str, str], "list[str] | None"]


def _answers(site: Path, ask: Ask) -> dict[str, list[str] | None]:
    """Query -> ids of the results `ask(page, base, query)` found (None: no answer in time)."""
    answers: dict[str, list[str] | None] = {}
    with serve(site) as base:
        context = shared_browser().new_context(viewport={"width": 1366, "height": 900})
        page = context.new_page()
        page.goto(base, wait_until="load")
        for query in QUERIES:
            answers[query] = ask(page, base, query)
        context.close()
    return answers


def run_queries(site: Path, timeout_s: float) -> dict[str, list[str] | None]:
    """Typed into the Material site's header box."""

    def ask(page: Page, base: str, query: str) -> list[str] | None:
        # Let a late answer to the previous query land before this one is typed, so its
        # count line cannot be taken for this query's.
        page.wait_for_timeout(500)
        try:
            results = search(page, query, timeout_ms=timeout_s * 1000)
        except Exception:  # a timeout counts as a miss, the run goes on
            return None
        return _ids([r["href"].removeprefix(base) for r in results])

    return _answers(site, ask)


PAGEFIND_QUERY = """async q => {
  const pagefind = await import('./pagefind/pagefind.js');
  const found = await pagefind.search(q);
  const top = await Promise.all(found.results.slice(0, 3).map(r => r.data()));
  return top.map(d => d.url);
}"""


def pagefind_site(plain: Path, out: Path) -> Path:
    """A copy of the plain site with a Pagefind index of its pages."""
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(plain, out)
    subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(out)], check=True, capture_output=True
    )
    return out


def run_pagefind(site: Path) -> dict[str, list[str] | None]:
    """Asked through Pagefind's own JavaScript API."""

    def ask(page: Page, base: str, query: str) -> list[str] | None:
        urls: list[str] = page.evaluate(PAGEFIND_QUERY, query)
        return _ids([url.lstrip("/") for url in urls])

    return _answers(site, ask)


def score(
    answers: dict[str, list[str] | None],
    answerable: list[tuple[str, tuple[str, ...]]],
    out_of_domain: list[str],
) -> tuple[int, int]:
    right = sum(1 for query, good in answerable if set((answers.get(query) or [])[:3]) & set(good))
    empty = sum(1 for query in out_of_domain if answers.get(query) == [])
    return right, empty


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--generated", type=int, default=1000)
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per query")
    args = parser.parse_args()
    repo = repository(args.generated)
    crmkb = build("crmkb", repo / "mkdocs.yml", OUT / f"quality-site-crmkb-{args.generated}")
    plain_config = write_plain_site(repo, OUT / f"quality-plain-{args.generated}", TODAY)
    plain = build("plain", plain_config, OUT / f"quality-site-plain-{args.generated}")
    found = pagefind_site(plain.site, OUT / f"quality-site-pagefind-{args.generated}")
    results = {b.name: run_queries(b.site, args.timeout) for b in (crmkb, plain)}
    results["pagefind"] = run_pagefind(found)
    print(f"{len(ANSWERABLE)} answerable queries (right record in the top 3), ")
    print(f"{len(OUT_OF_DOMAIN)} out-of-domain queries (must show the empty state)\n")
    print(f"{'query':<24} {'right':<22} {'crmkb top 3':<32} {'plain top 3':<32} pagefind top 3")
    for query, good in [*ANSWERABLE, *HELD, *((q, ()) for q in OUT_OF_DOMAIN + HELD_OUT_EMPTY)]:
        shown = [_show(results[name].get(query), good) for name in ("crmkb", "plain")]
        print(
            f"{query:<24} {'/'.join(good) or '(empty)':<22} {shown[0]:<32} {shown[1]:<32} "
            f"{_show(results['pagefind'].get(query), good)}"
        )
    print()
    parts = {"tuning": (ANSWERABLE, OUT_OF_DOMAIN), "held-out": (HELD, HELD_OUT_EMPTY)}
    for name, answers in results.items():
        for part, (answerable, out_of_domain) in parts.items():
            right, empty = score(answers, answerable, out_of_domain)
            print(
                f"{name:<8} {part:<9} right in top 3: {right}/{len(answerable)} "
                f"({100 * right / len(answerable):.0f}%)   empty state shown: "
                f"{empty}/{len(out_of_domain)}"
            )
    print(f"\nrecords: sample + {args.generated} generated ({repo.relative_to(REPO)})")
    print("reproduce: NO_MKDOCS_2_WARNING=1 .venv/bin/python benchmarks/search_quality.py")


def _show(ids: list[str] | None, good: tuple[str, ...]) -> str:
    if ids is None:
        return "timeout"
    if not ids:
        return "(empty)"
    top = ids[:3]
    mark = "✓ " if set(top) & set(good) else "✗ "
    return mark + " ".join(top) + (f" +{len(ids) - 3}" if len(ids) > 3 else "")


if __name__ == "__main__":
    main()
