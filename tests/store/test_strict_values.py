"""Issue 18 item 10: YAML's yes/no where a number belongs, and titles that are not one line,
are located errors (never read as 0, never written by a command)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import InProcess


@pytest.mark.parametrize(
    ("path", "line", "field", "value", "where"),
    [
        ("records/certifications/CERT-OP.yml", "retake_wait_days: 3", "retake_wait_days", "no", 19),
        ("records/certifications/CERT-OP.yml", "pass_mark: ", "pass_mark", "yes", 12),
        ("crmkb.yml", "  internal_days: 2", "sla.internal_days", "on", 18),
    ],
)
def test_a_yaml_boolean_where_a_number_belongs_is_an_error(
    sample: Path, kb: InProcess, path: str, line: str, field: str, value: str, where: int
) -> None:
    file = sample / path
    lines = file.read_text(encoding="utf-8").split("\n")
    at = next(i for i, text in enumerate(lines) if text.startswith(line))
    key = lines[at].split(":")[0]
    lines[at] = f"{key}: {value}"
    file.write_text("\n".join(lines), encoding="utf-8")
    said = "yes" if value in ("yes", "on") else "no"
    found = kb("check")
    assert found.exit_code in (1, 2)
    assert (
        f"{path}:{at + 1}:{where}: error: {field}: expected a number, but YAML reads this value "
        f"as {said} (true/false); write a number such as 0 or 3"
    ) in found.output


TITLES = ['"第一行\\n第二行"', '"响铃\\a"', '"\\u202e反向"', '"a\\u2028b"']


@pytest.mark.parametrize("title", TITLES)
def test_a_title_that_is_not_one_line_is_an_error(sample: Path, kb: InProcess, title: str) -> None:
    file = sample / "records/issues/ISS-0001.md"
    lines = file.read_text(encoding="utf-8").split("\n")
    at = next(i for i, text in enumerate(lines) if text.startswith("title: "))
    lines[at] = f"title: {title}"
    file.write_text("\n".join(lines), encoding="utf-8")
    found = kb("check")
    assert found.exit_code == 1
    assert "records/issues/ISS-0001.md:3:8: error: title: Value error, holds the control " in (
        found.output
    )
    assert "write it on one line of plain text" in found.output


def test_kb_new_refuses_a_title_with_a_line_break(sample: Path, kb: InProcess) -> None:
    made = kb("new", "issue", "--title", "两行\n标题", "--set", "reporter=P012",
              "--set", "module=receivable", "--set", "severity=low")  # fmt: skip
    assert made.exit_code != 0
    assert "one line of plain text" in made.output
    assert not (sample / "records/issues/ISS-0050.md").exists()
