"""A record's Markdown body, fenced so that its raw HTML cannot reach the page around it.

An unclosed `<div>` in a body makes Python-Markdown swallow the rest of the page as raw HTML,
and an unclosed `<style>` or `<noscript>` makes the HTML parser swallow it: the generated
sections after the body (related issues, timeline, evidence) would vanish. The body is
marked with two comments; a Markdown preprocessor stashes the body's raw HTML blocks on their
own, and the page sanitiser cleans the body's HTML as a separate fragment (see `split`).
"""

from __future__ import annotations

from markdown import Extension, Markdown
from markdown.preprocessors import HtmlBlockPreprocessor, Preprocessor

_NAME = "crmkb:record-text"
START = f"<!-- {_NAME} -->"
END = f"<!-- /{_NAME} -->"


def fence(body: str) -> str:
    """`body` between the markers; a marker spelled inside the body is defused."""
    inner = body.replace(_NAME, "crmkb: record-text").strip()
    return f"\n{START}\n\n{inner}\n\n{END}\n"


class _StashBodyHtml(Preprocessor):
    """Run the raw-HTML block stash on each fenced body alone, before the whole page."""

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        body: list[str] | None = None
        for line in lines:
            if body is None:
                out.append(line)
                if line == START:
                    body = []
            elif line == END:
                out += [*HtmlBlockPreprocessor(self.md).run(body), "", line]
                body = None
            else:
                body.append(line)
        if body is not None:  # no end marker: not a fence crmkb wrote
            out += body
        return out


class RecordTextExtension(Extension):
    """Registered by the crmkb plugin for every page."""

    def extendMarkdown(self, md: Markdown) -> None:
        # Above Python-Markdown's own html_block (20), below whitespace normalising (30).
        md.preprocessors.register(_StashBodyHtml(md), "crmkb_record_text", 25)


def split(html: str) -> list[str]:
    """The page's HTML cut at the fences: alternately page parts and record bodies."""
    pieces: list[str] = []
    rest = html
    while START in rest:
        before, _, after = rest.partition(START)
        body, _, rest = after.partition(END)
        pieces += [before, body]
    return [*pieces, rest]
