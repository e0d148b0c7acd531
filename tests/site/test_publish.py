"""Private by default (issue 19 item 3): a fresh clone's workflows publish nothing to a public
host, GitHub Pages needs its visibility stated in crmkb.yml, and a public site's built files
hold no people page, leaderboard, register, exam result, evidence or staff name."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from crmkb.config import load_config
from crmkb.errors import RecordErrors
from crmkb.search.tokenize import normalize
from crmkb.site.publish import workflow_output
from site_kit import REPO, copy_site_inputs, mkdocs_build

PUBLIC = "publish:\n  target: github-pages\n  visibility: public\n"
STAFF_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40">'
    '<text x="4" y="24">{name}</text></svg>'
)


def _people() -> list[dict[str, str]]:
    return yaml.safe_load((REPO / "records/people.yml").read_text(encoding="utf-8"))["people"]


def _with_publish(root: Path, setting: str) -> None:
    config = root / "crmkb.yml"
    config.write_text(config.read_text(encoding="utf-8") + setting, encoding="utf-8")


@pytest.fixture(scope="module")
def public_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The sample built with `visibility: public`, plus a hand-written page naming staff."""
    root = copy_site_inputs(tmp_path_factory.mktemp("public"))
    _with_publish(root, PUBLIC)
    first = _people()[0]
    (root / "kb" / "about.md").write_text(
        f"# 关于\n\n本站由 {first['name']}（{first.get('email', '')}）维护。\n", encoding="utf-8"
    )
    result = mkdocs_build(root, root / "site")
    assert result.returncode == 0, result.stderr
    return root / "site", result.stderr


def test_the_repository_s_default_publishes_to_the_intranet_only() -> None:
    assert workflow_output(load_config(REPO)) == "pages=false\nvisibility=private\n"
    site = yaml.safe_load((REPO / ".github/workflows/site.yml").read_text(encoding="utf-8"))
    deploy = site["jobs"]["deploy"]
    assert "needs.build.outputs.pages == 'true'" in deploy["if"]
    build_steps = site["jobs"]["build"]["steps"]
    pages_upload = [s for s in build_steps if "upload-pages-artifact" in s.get("uses", "")]
    assert all("steps.target.outputs.pages == 'true'" in s["if"] for s in pages_upload)


def test_github_pages_without_a_stated_visibility_is_refused(tmp_path: Path) -> None:
    _with_publish(copy_site_inputs(tmp_path), "publish:\n  target: github-pages\n")
    with pytest.raises(RecordErrors) as caught:
        load_config(tmp_path)
    message = str(caught.value)
    assert "crmkb.yml" in message and "visibility: private" in message


@pytest.mark.parametrize(
    ("setting", "pages", "visibility"),
    [
        ("publish:\n  target: github-pages\n  visibility: private\n", "true", "private"),
        (PUBLIC, "true", "public"),
        ("publish:\n  visibility: public\n", "false", "public"),
    ],
)
def test_workflow_output_follows_the_setting(
    tmp_path: Path, setting: str, pages: str, visibility: str
) -> None:
    _with_publish(copy_site_inputs(tmp_path), setting)
    assert workflow_output(load_config(tmp_path)) == f"pages={pages}\nvisibility={visibility}\n"


def test_the_public_build_says_so(public_build: tuple[Path, str]) -> None:
    _, log = public_build
    assert "public site" in log and "left out" in log


def test_the_public_build_has_no_page_about_people(public_build: tuple[Path, str]) -> None:
    site, _ = public_build
    for gone in ["people", "reports", "training/register", "training/progress", "evidence"]:
        assert not (site / gone).exists(), gone
    home = (site / "index.html").read_text(encoding="utf-8")
    for label in ["人员与角色", "问题上报榜", "上岗证登记", "运行报告"]:
        assert label not in home, label
    assert (site / "issues/ISS-0001/index.html").is_file()  # the knowledge itself stays


def test_no_built_file_names_a_member_of_staff(public_build: tuple[Path, str]) -> None:
    """Every text file, in any script form (the sample quotes names in Traditional too)."""
    site, _ = public_build
    words = {normalize(p["name"]) for p in _people()}
    words |= {p["email"].lower() for p in _people() if p.get("email")}
    found = []
    for path in site.rglob("*"):
        if path.is_file() and path.suffix not in {".png", ".gz", ".woff2", ".woff", ".ico"}:
            text = normalize(path.read_text(encoding="utf-8", errors="replace"))
            found += [f"{path.relative_to(site)}: {w}" for w in words if w in text]
    assert found == []
    assert "（不公开）" in (site / "about/index.html").read_text(encoding="utf-8")


def test_a_public_build_refuses_a_file_that_still_names_staff(tmp_path: Path) -> None:
    """A training image naming a person cannot be rewritten: the build stops and says where."""
    root = copy_site_inputs(tmp_path)
    _with_publish(root, PUBLIC)
    person = _people()[1]
    image = root / "records/training/img/quote-to-cash.svg"
    image.write_text(STAFF_SVG.format(name=person["name"]), encoding="utf-8")
    result = mkdocs_build(root, root / "site")
    assert result.returncode != 0
    assert "training/img/quote-to-cash.svg" in result.stderr and person["id"] in result.stderr


def test_the_company_site_keeps_everything(built_site: Path) -> None:
    for kept in ["people", "reports/leaderboard", "training/register", "training/progress"]:
        assert (built_site / kept / "index.html").is_file(), kept


@pytest.mark.parametrize(("setting", "pages"), [("", "false"), (PUBLIC, "true")])
def test_the_workflow_step_writes_the_deploy_decision(
    tmp_path: Path, setting: str, pages: str
) -> None:
    """site.yml's own `target` step, run by bash as the runner would, in a repository copy."""
    site = yaml.safe_load((REPO / ".github/workflows/site.yml").read_text(encoding="utf-8"))
    (step,) = [s for s in site["jobs"]["build"]["steps"] if s.get("id") == "target"]
    root = copy_site_inputs(tmp_path / "repo")
    _with_publish(root, setting)
    (root / ".venv").symlink_to(REPO / ".venv")
    output = tmp_path / "github_output"
    output.write_text("earlier=1\n", encoding="utf-8")
    result = subprocess.run(
        ["bash", "-e", "-c", step["run"]],
        cwd=root,
        env={"GITHUB_OUTPUT": str(output), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert output.read_text(encoding="utf-8").startswith(f"earlier=1\npages={pages}\n")
