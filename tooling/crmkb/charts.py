"""Small SVG charts drawn at build time: no JavaScript, no outside requests, fixed colours."""

from __future__ import annotations

from collections.abc import Sequence

from crmkb.escape import html_text as escape

BAR = "#3f6ec6"
SECOND = "#e0913a"
TEXT = "#333"
GRID = "#ddd"
FONT = 'font-family="sans-serif" font-size="12"'


def bars(title: str, rows: Sequence[tuple[str, int]], width: int = 560) -> str:
    """A horizontal bar chart, one labelled bar per row, the value at the bar's end."""
    label_w, row_h, top = 150, 22, 28
    height = top + row_h * max(1, len(rows)) + 8
    longest = max((v for _, v in rows), default=0) or 1
    span = width - label_w - 40
    parts = [_open(title, width, height), _title(title)]
    for i, (label, value) in enumerate(rows):
        y = top + i * row_h
        length = round(span * value / longest)
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" fill="{TEXT}" {FONT}>'
            f"{escape(label)}</text>"
            f'<rect x="{label_w}" y="{y + 3}" width="{length}" height="{row_h - 6}" fill="{BAR}"/>'
            f'<text x="{label_w + length + 4}" y="{y + 15}" fill="{TEXT}" {FONT}>{value}</text>'
        )
    if not rows:
        parts.append(f'<text x="{label_w}" y="{top + 15}" fill="{TEXT}" {FONT}>—</text>')
    parts.append("</svg>")
    return "".join(parts)


def paired_columns(
    title: str,
    labels: Sequence[str],
    first: tuple[str, Sequence[int]],
    second: tuple[str, Sequence[int]],
    width: int = 640,
) -> str:
    """Two series as side-by-side columns per label (e.g. reported vs resolved per week)."""
    height, top, bottom, left = 220, 40, 40, 30
    plot_h = height - top - bottom
    slot = (width - left - 10) / max(1, len(labels))
    col = max(2.0, slot * 0.35)
    peak = max([*first[1], *second[1], 1])
    parts = [_open(title, width, height), _title(title), _legend(width, first[0], second[0])]
    base = top + plot_h
    parts.append(f'<line x1="{left}" y1="{base}" x2="{width - 10}" y2="{base}" stroke="{GRID}"/>')
    for i, label in enumerate(labels):
        x = left + i * slot + slot / 2
        for offset, colour, value in ((-col, BAR, first[1][i]), (0.0, SECOND, second[1][i])):
            h = round(plot_h * value / peak)
            parts.append(
                f'<rect x="{x + offset:.1f}" y="{base - h}" width="{col:.1f}" height="{h}" '
                f'fill="{colour}"><title>{escape(label)}: {value}</title></rect>'
            )
        parts.append(
            f'<text x="{x:.1f}" y="{base + 14}" text-anchor="middle" fill="{TEXT}" '
            f'font-family="sans-serif" font-size="10">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _open(title: str, width: int, height: int) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
    )


def _title(title: str) -> str:
    return f'<text x="4" y="16" fill="{TEXT}" {FONT} font-weight="bold">{escape(title)}</text>'


def _legend(width: int, first: str, second: str) -> str:
    x = width - 200
    return (
        f'<rect x="{x}" y="6" width="10" height="10" fill="{BAR}"/>'
        f'<text x="{x + 14}" y="15" fill="{TEXT}" {FONT}>{escape(first)}</text>'
        f'<rect x="{x + 90}" y="6" width="10" height="10" fill="{SECOND}"/>'
        f'<text x="{x + 104}" y="15" fill="{TEXT}" {FONT}>{escape(second)}</text>'
    )
