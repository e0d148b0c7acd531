"""The sanitiser closes classes: no readable id, no URL off the site, no raw text anywhere."""

from __future__ import annotations

import markdown as md
import pytest
import yaml

from crmkb.escape import clean, front_matter, markdown_inline
from crmkb.site.pages import urls
from crmkb.site.pages.common import page
from crmkb.site.record_text import END, START, RecordTextExtension, fence
from crmkb.site.sanitize import sanitize, sanitize_page, site_url

EVIL = "evil.example"
_EXTENSIONS = ["tables", "toc", RecordTextExtension()]


@pytest.mark.parametrize(
    "url",
    [
        f"\\\\{EVIL}/x",
        f" //{EVIL}/x",
        f"//{EVIL}/x",
        f"https:{EVIL}/x",
        f"http:{EVIL}/x",
        f"/\\{EVIL}/x",
        f"http:\\\\{EVIL}/x",
        f"/\t/{EVIL}/x",
        f"/\n/{EVIL}/x",
        f"https://{EVIL}/x",
        f"HTTPS://{EVIL}/x",
        f"ftp://{EVIL}/x",
        f"\u3000//{EVIL}/x",
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "mailto:someone@example.com",
        "blob:http://crmkb.invalid/x",
        f"http://user@{EVIL}/",
        f"//127.0.0.1@{EVIL}/",
    ],
)
def test_urls_that_leave_the_site_are_dropped(url: str) -> None:
    assert site_url(url) is None and site_url("\x00" + url) is None
    assert site_url(url, image=True) is None or url.startswith("data:image/")
    html = sanitize(f'<a href="{url}">l</a><img src="{url}"><q cite="{url}">q</q>')
    assert html == "<a>l</a><img><q>q</q>"


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("../ISS-0002/", "../ISS-0002/"),
        ("/evidence/a.png", "/evidence/a.png"),
        ("?q=x", "?q=x"),
        ("#symptom", "#user-content-symptom"),
        ("../tags/#tag-crm", "../tags/#user-content-tag-crm"),
        ("#user-content-x", "#user-content-x"),
    ],
)
def test_site_paths_are_kept_and_fragments_follow_the_prefixed_ids(url: str, kept: str) -> None:
    assert site_url(url) == kept


def test_data_urls_only_for_images() -> None:
    png = "data:image/png;base64,iVBORw0KGgo="
    assert sanitize(f'<img src="{png}"><a href="{png}">x</a>') == f'<img src="{png}"><a>x</a>'


def test_markdown_links_and_images_go_through_the_same_filter() -> None:
    source = f"[a](//{EVIL}) ![b](\\\\\\\\{EVIL}/i.png) "
    source += "[c](<jav&#x09;ascript:alert(1)>) [ok](../x/)"
    html = sanitize(md.markdown(source))
    assert EVIL not in html and "javascript" not in html.lower()
    assert '<a href="../x/">ok</a>' in html


def test_no_id_or_name_a_script_could_read() -> None:
    html = sanitize(
        '<p id="__config">{}</p><form id="__search"><input name="q"></form>'
        '<a name="__md_scope">x</a><h2 id="symptom">s</h2>'
    )
    assert html == (
        '<p id="user-content-__config">{}</p><a>x</a><h2 id="user-content-symptom">s</h2>'
    )


def test_escaping_shows_markup_and_templates_as_text() -> None:
    assert markdown_inline("<b>a|b</b> *x* {: #id } {{ x }} [l](u) !") == (
        r"&lt;b&gt;a\|b&lt;/b&gt; \*x\* \{: \#id \} \{\{ x \}\} \[l\]\(u\) \!"
    )
    assert markdown_inline('" onmouseover="x') == "&quot; onmouseover=&quot;x"


def test_control_characters_never_reach_a_page() -> None:
    assert clean("a\x7fb\x00c\x02\x03d\x85e\u200bf\n g") == "abcd e\u200bf g"
    built = page("标题\x7f\x9f\x02", "正文\x02wzxhzdk:0\x03\x7f\n\n段落")
    front = built.split("---\n")[1]
    assert yaml.safe_load(front)["title"] == "标题"
    assert not any((ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F for c in built)


def test_front_matter_spells_what_yaml_refuses() -> None:
    words = ["a\x7fb", "\x85", "c\x9fd", "e\u2028f"]
    assert yaml.safe_load(front_matter({"keywords": words})) == {"keywords": words}


def test_tag_anchors_are_unique_and_link_safe() -> None:
    tags = ["CRM", "crm", "a b", "a-b", "a_b", "x)y", "节假日", "x-61-20-62", "x-y", "X-Y", ""]
    anchors = [urls.anchor("tag", t) for t in tags]
    assert len(set(anchors)) == len(tags)
    assert all(a.isascii() and all(c.isalnum() or c in "-_" for c in a) for a in anchors)
    assert urls.anchor("tag", "crm") == "tag-crm"
    assert urls.anchor("tag", "节假日") == "tag-x-8282-5047-65e5"


def test_a_record_body_is_sanitised_apart_from_its_page() -> None:
    after = "\n## 时间线\n\n| a |\n|---|\n| 1 |\n"
    for body in ["<div>\nopen", "x <style> y", "<noscript><p title='</noscript>'>", END + "<div>"]:
        html = md.markdown("# T\n" + fence(body) + after, extensions=_EXTENSIONS)
        assert "<table>" in sanitize_page(html), body


def test_a_body_cannot_forge_the_fence() -> None:
    assert fence(f"a {START} b {END} c").count("crmkb:record-text") == 2
