"""Sizes stay linear: records at the schema's limits build within twice the sample's memory."""

from __future__ import annotations

from pathlib import Path

from crmkb.records import base
from hostile_kit import MAX_BODY, MAX_TAG, MAX_TAGS, MAX_TITLE, peak_rss_kib, write_at_limits
from site_kit import copy_site_inputs

AT_LIMITS = 10  # records, each with the longest title and body and the most, longest tags


def test_the_corpus_uses_the_schemas_limits() -> None:
    limits = (base.MAX_TITLE, base.MAX_TAG, base.MAX_TAGS, base.MAX_BODY)
    assert limits == (MAX_TITLE, MAX_TAG, MAX_TAGS, MAX_BODY)


def test_records_at_the_limits_build_within_twice_the_samples_memory(tmp_path: Path) -> None:
    sample = copy_site_inputs(tmp_path / "sample")
    large = write_at_limits(tmp_path / "large", AT_LIMITS)
    base_kib, grown_kib = peak_rss_kib(sample), peak_rss_kib(large)
    assert grown_kib < 2 * base_kib, f"sample {base_kib} KiB, at the limits {grown_kib} KiB"
    tags_page = (large / "site" / "catalog" / "tags" / "index.html").stat().st_size
    assert tags_page < 2_000_000, tags_page
