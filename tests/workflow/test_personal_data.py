"""`kb check` warns, located, about personal data in record text before the site publishes it;
a record lists its false alarms under `personal_data_ok`; people.yml is not record text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import Kb

ISSUE = "records/issues/ISS-0005.md"
# Line 20 of the planted issue; each value is valid of its kind (checksum, Luhn, number plan).
PLANTED = (
    "客户王先生手机 138-1234-5678，身份证 11010519491231002X，"
    "退款卡号 6212 2611 0200 0000 003，邮件 wang.xiansheng@hongyuan-jc.com。\n"
)
# The same kinds, each one digit or character off: a checksum fails, so none is reported.
NEAR_MISSES = (
    "订单号 12812345678，身份证 110105194912310021，卡号 6212 2611 0200 0000 005，"
    "内网 admin@localhost，单号 20261108-0452，座机 010-12345678。\n"
)


def _plant(sample: Path, text: str, front: str = "") -> None:
    path = sample / ISSUE
    original = path.read_text(encoding="utf-8")
    head, _, body = original.partition("\n---\n")
    lines = body.split("\n")
    lines.insert(2, text.rstrip("\n"))  # the file's line 20, just under `## 现象`
    path.write_text(f"{head}\n{front}---\n" + "\n".join(lines), encoding="utf-8")


def _problems(kb: Kb, *args: str) -> list[dict[str, object]]:
    result = kb("--lang", "en", "check", "--format", "json", *args)
    payload = json.loads(result.output)
    problems = payload["problems"]
    assert isinstance(problems, list)
    return [p for p in problems if "personal" in str(p["message"])]


def test_the_sample_has_no_personal_data_warning(kb: Kb, sample: Path) -> None:
    # people.yml holds every person's e-mail: it is not record text
    assert "@" in (sample / "records/people.yml").read_text(encoding="utf-8")
    assert _problems(kb) == []


def test_each_kind_is_found_where_it_stands(kb: Kb, sample: Path) -> None:
    _plant(sample, PLANTED)
    result = kb("--lang", "en", "check")
    assert result.exit_code == 0  # warnings: the lead decides
    lines = [line for line in result.output.splitlines() if "personal data" in line]
    tail = "; remove it, or list it under personal_data_ok if it is no one's personal data"
    col = {v: PLANTED.index(v) + 1 for v in ("138-", "1101", "6212", "wang")}
    assert lines == [
        f"{ISSUE}:20:{col['138-']}: warning: personal data before publishing: a mobile number "
        f"(138****5678){tail}",
        f"{ISSUE}:20:{col['1101']}: warning: personal data before publishing: a resident ID number "
        f"(110***********002X){tail}",
        f"{ISSUE}:20:{col['6212']}: warning: personal data before publishing: a bank card number "
        f"(621************0003){tail}",
        f"{ISSUE}:20:{col['wang']}: warning: personal data before publishing: an e-mail address "
        f"(w***@hongyuan-jc.com){tail}",
    ]
    strict = kb("check", "--strict")
    assert strict.exit_code == 1
    assert (
        f"{ISSUE}:20:{col['138-']}: warning: 发布前请注意个人信息：手机号码（138****5678）"
        in strict.output
    )


def test_a_near_miss_is_not_reported(kb: Kb, sample: Path) -> None:
    _plant(sample, NEAR_MISSES)
    assert _problems(kb) == []


def test_a_record_accepts_its_false_alarms(kb: Kb, sample: Path) -> None:
    accepted = "personal_data_ok: [13812345678, 'WANG.XIANSHENG@hongyuan-jc.com']\n"
    _plant(sample, PLANTED, accepted)
    found = [(p["line"], p["col"]) for p in _problems(kb)]
    # the ID and the card are still reported
    assert found == [(21, PLANTED.index("1101") + 1), (21, PLANTED.index("6212") + 1)]


def test_an_accepted_value_the_text_no_longer_holds_is_named(kb: Kb, sample: Path) -> None:
    _plant(sample, "已删除客户信息。\n", "personal_data_ok:\n  - 13812345678\n")
    assert _problems(kb) == [
        {
            "path": ISSUE,
            "line": 18,
            "col": 5,
            "severity": "warning",
            "message": "personal_data_ok lists a value this record's text does not hold as "
            "personal data; remove it from the list",
        }
    ]


@pytest.mark.parametrize("value", ["hello", "12812345678", "13812345678 and 13912345678", "''"])
def test_an_accepted_value_must_be_one_piece_of_personal_data(
    kb: Kb, sample: Path, value: str
) -> None:
    _plant(sample, PLANTED, f"personal_data_ok: [{value}]\n")
    result = kb("--lang", "en", "check")
    assert result.exit_code == 1
    assert f"{ISSUE}:17:" in result.output
    assert "error:" in result.output


def test_the_warnings_follow_the_file_through_the_record_cache(kb: Kb, sample: Path) -> None:
    _plant(sample, PLANTED)
    first = _problems(kb)
    assert len(first) == 4
    assert _problems(kb) == first  # the second run reads the hits from the record cache
    path = sample / ISSUE
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("138-1234-5678", "（已删除）"), encoding="utf-8")
    assert [p["message"] for p in _problems(kb)] == [p["message"] for p in first[1:]]
    path.write_text(text.replace(PLANTED, ""), encoding="utf-8")
    assert _problems(kb) == []
