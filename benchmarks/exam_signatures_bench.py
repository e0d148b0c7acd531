"""What verifying proctor signatures costs `kb check`, per exam result.

    .venv/bin/python benchmarks/exam_signatures_bench.py [--results 500] [--runs 5]

Copies the sample repository into benchmarks/out/, replaces its proctor with a throwaway key
(made with ssh-keygen) and adds --results distinct signed results (copies of the sample's first
result, each with another duration, signed again). Then it times, interleaved, as whole
processes after one warm-up each: `kb check` on that repository with the signature cache off
(CRMKB_SIGNATURE_CACHE=off: every result verified, as on a fresh clone), the same with the
cache warm (as on the lead's machine after the first check), and `kb check` on the repository
with the added results removed. The differences, divided by the number of added results, are
what one result costs: the YAML, the paper and grading rules, and (cold) one
`ssh-keygen -Y verify` process, run two or more at a time.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = HERE / "out"
KB = Path(sys.executable).parent / "kb"


def build(target: Path, results: int) -> tuple[Path, Path]:
    from crmkb.signatures import ALLOWED_SIGNERS, open_signer
    from crmkb.training.filing import render, seal
    from crmkb.yamlfile import load_yaml

    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for name in ("records", "crmkb.yml"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, target / name)
    key = target / "proctor"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    public = key.with_suffix(".pub").read_text("ascii").strip()
    (target / ALLOWED_SIGNERS).write_text(f'P001 namespaces="crmkb-exam-result" {public}\n')
    signer = open_signer(key, target / ALLOWED_SIGNERS)
    folder = target / "records" / "exam-results"
    for path in sorted(folder.glob("EXR-*.yml")):  # the sample, signed by the new proctor
        data = dict(load_yaml(path, path.name).data)
        record_id = data.pop("id")
        data.pop("signature"), data.pop("proctor")
        path.write_text(render(record_id, seal(data, signer))[1], "utf-8")
    first = dict(load_yaml(folder / "EXR-0001.yml", "EXR-0001.yml").data)
    first = {k: v for k, v in first.items() if k not in ("id", "signature", "proctor")}
    without = target.with_name(target.name + "-without")
    shutil.rmtree(without, ignore_errors=True)
    shutil.copytree(target, without)
    for i in range(results):
        fields = {**first, "duration_seconds": i + 1}
        (folder / f"EXR-{1000 + i:04d}.yml").write_text(
            render(f"EXR-{1000 + i:04d}", seal(fields, signer))[1], "utf-8"
        )
    return target, without


def run(root: Path, cache: str = "on") -> float:
    env = {
        **os.environ,
        "CRMKB_TODAY": "2026-11-23",
        "CRMKB_SIGNATURE_CACHE": cache,
        "XDG_CACHE_HOME": str(OUT / "cache"),
    }
    started = time.perf_counter()
    done = subprocess.run(
        [str(KB), "check", "--root", str(root)], capture_output=True, text=True, env=env
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"kb check failed on {root}:\n{done.stdout}{done.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with_results, without = build(OUT / f"signed-{args.results}", args.results)
    run(with_results), run(with_results, "off"), run(without)  # warm-up, cache filled
    times: dict[str, list[float]] = {"cold": [], "warm": [], "without": []}
    for _ in range(args.runs):
        times["cold"].append(run(with_results, "off"))
        times["warm"].append(run(with_results))
        times["without"].append(run(without))
    cold, warm, base = (statistics.median(times[k]) for k in ("cold", "warm", "without"))
    n = args.results
    print(f"median of {args.runs} runs of the whole kb check process")
    for label, value in ((f"+{n} results, cache off", cold), (f"+{n} results, cache warm", warm)):
        print(f"sample {label}: {value:.3f} s ({1000 * (value - base) / n:.2f} ms/result)")
    print(f"sample only (11 results):  {base:.3f} s")
    print(
        f"reproduce: {sys.executable} {Path(__file__).relative_to(REPO)} "
        f"--results {args.results} --runs {args.runs}"
    )


if __name__ == "__main__":
    main()
