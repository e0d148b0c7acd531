"""How heavy each listing page is on a big knowledge base, in headless Chromium.

    NO_MKDOCS_2_WARNING=1 .venv/bin/python benchmarks/listing_bench.py --records 10000 \
        --base ../crmkb-before

Generates a repository with benchmarks/generate.py (cached in benchmarks/out/), builds it with
a real `mkdocs build` from this checkout and, with --base, from another checkout with its own
.venv (the "before"), then opens every listing page of each build in Chromium, one cold
context per load: bytes received until the load event (HTML, CSS, JS, fonts, data fetched),
DOM elements, and the time from navigation start to the load event, median of --runs. For this
checkout it also times the first filter: focus the list's filter box, type a word, until the
list shows its count over all rows (the row data is fetched then).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = HERE / "out"
TODAY = "2026-11-23"
PAGES = [
    "catalog/",
    "catalog/tags/",
    "catalog/modules/",
    "catalog/causes/",
    "solutions/",
    "changes/",
    "open/",
    "people/",
]
sys.path[:0] = [str(REPO / "tests")]

from harness import serve, shared_browser, watch  # noqa: E402


@dataclass
class Load:
    received: int
    elements: int
    load_s: float
    filter_s: float | None


def repository(records: int) -> Path:
    repo = OUT / f"listing-repo-{records}"
    if not (repo / ".generated").exists():
        shutil.rmtree(repo, ignore_errors=True)
        subprocess.run(
            [sys.executable, str(HERE / "generate.py"), str(repo), "--records", str(records)],
            check=True,
            capture_output=True,
        )
        (repo / ".generated").write_text("ok\n")
    return repo


def build(name: str, checkout: Path, records: Path) -> tuple[Path, float]:
    """Build `records` with `checkout`'s mkdocs.yml, kb/ and .venv; returns (site, seconds)."""
    root = OUT / f"listing-{name}"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    shutil.copytree(records / "records", root / "records")  # the loader refuses symlinks
    shutil.copy2(records / "crmkb.yml", root / "crmkb.yml")
    shutil.copy2(checkout / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(checkout / "kb", root / "kb")
    python = checkout / ".venv" / "bin" / "python"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "CRMKB_TODAY": TODAY}
    site = root / "site"
    command = [str(python), "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs.yml")]
    started = time.perf_counter()
    subprocess.run([*command, "-d", str(site)], check=True, env=env, capture_output=True)
    return site, time.perf_counter() - started


def load(base: str, path: str, with_filter: bool) -> Load:
    context = shared_browser().new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    seen = watch(page, base)
    page.goto(base + path, wait_until="load", timeout=120_000)
    timing = page.evaluate(
        "() => { const t = performance.getEntriesByType('navigation')[0];"
        " return t.loadEventEnd - t.startTime; }"
    )
    elements = page.evaluate("document.getElementsByTagName('*').length")
    received = seen.received
    filter_s = None
    if with_filter and page.locator(".crmkb-list-text").count():
        started = time.perf_counter()
        page.locator(".crmkb-list-text").first.fill("回款")
        page.wait_for_function(
            "document.querySelector('.crmkb-list-status').textContent.startsWith('共')"
        )
        filter_s = time.perf_counter() - started
    page.wait_for_load_state("networkidle")  # let late requests land before the tab closes
    context.close()
    return Load(received, elements, timing / 1000, filter_s)


def measure(sites: list[tuple[Path, bool]], runs: int) -> list[dict[str, list[Load]]]:
    """Every page of every site, the sites interleaved run by run so noise hits them alike."""
    found: list[dict[str, list[Load]]] = [{path: [] for path in PAGES} for _ in sites]
    with contextlib.ExitStack() as stack:
        bases = [stack.enter_context(serve(site)) for site, _ in sites]
        for _ in range(runs):
            for path in PAGES:
                for n, ((_, with_filter), base) in enumerate(zip(sites, bases, strict=True)):
                    found[n][path].append(load(base, path, with_filter))
    return found


def show(name: str, seconds: float, loads: dict[str, list[Load]]) -> None:
    print(f"{name}: build {seconds:.0f} s")
    print(f"  {'page':<18}{'received':>12}{'elements':>10}{'load':>9}{'first filter':>14}")
    for path, runs in loads.items():
        received = statistics.median(r.received for r in runs)
        elements = statistics.median(r.elements for r in runs)
        load_s = statistics.median(r.load_s for r in runs)
        filters = [r.filter_s for r in runs if r.filter_s is not None]
        shown = f"{statistics.median(filters):.2f} s" if filters else "—"
        print(
            f"  {path:<18}{received / 1024:>8.0f} KiB{elements:>10.0f}{load_s:>7.2f} s{shown:>14}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--base", type=Path, help="a checkout (with .venv) to compare against")
    args = parser.parse_args()
    print("reproduce: NO_MKDOCS_2_WARNING=1 " + shlex.join([sys.executable, *sys.argv]))
    records = repository(args.records)
    builds = [("this checkout", *build("new", REPO, records), True)]
    if args.base:
        builds.append((f"base {args.base}", *build("base", args.base, records), False))
    measured = measure([(site, with_filter) for _, site, _, with_filter in builds], args.runs)
    for (name, _, seconds, _), loads in zip(builds, measured, strict=True):
        show(name, seconds, loads)


if __name__ == "__main__":
    main()
