"""Small SVG charts drawn at build time: no JavaScript, no outside requests, fixed colours.

Charts are shown as images, so nothing hides behind a hover: every bar carries its value as
text, the value axis has ticks and gridlines, and rows run down the page so a phone shows
them at a readable size (the viewBox is narrow and the text large; the image scales to fit).
"""

from __future__ import annotations

from collections.abc import Sequence

from crmkb.escape import html_text as escape

BAR = "#2f5fb3"  # 6.1:1 on white
SECOND = "#b35a00"  # 4.9:1 on white
TEXT = "#222"
GRID = "#c8c8c8"
WIDTH = 440
FONT = 'font-family="Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif" font-size="15"'
LABEL_W, RIGHT, TOP = 130, 40, 34


def bars(title: str, rows: Sequence[tuple[str, int]]) -> str:
    """A horizontal bar chart, one labelled bar per row, its value printed at the bar's end."""
    row_h = 28
    height = TOP + row_h * max(1, len(rows)) + 30
    peak = max((v for _, v in rows), default=0)
    parts = [_open(title, height), _title(title), *_value_axis(peak, TOP, height - 30)]
    for i, (label, value) in enumerate(rows):
        y = TOP + i * row_h
        parts += _bar(label, value, peak, y + 4, row_h - 10, BAR)
    if not rows:
        parts.append(f'<text x="{LABEL_W}" y="{TOP + 18}" fill="{TEXT}" {FONT}>—</text>')
    parts.append("</svg>")
    return "".join(parts)


def paired_bars(
    title: str,
    labels: Sequence[str],
    first: tuple[str, Sequence[int]],
    second: tuple[str, Sequence[int]],
) -> str:
    """Two series per row (e.g. reported and resolved per week), rows running down the page."""
    row_h = 44
    top = TOP + 24
    height = top + row_h * max(1, len(labels)) + 30
    peak = max([*first[1], *second[1], 0])
    parts = [_open(title, height), _title(title), _legend(first[0], second[0])]
    parts += _value_axis(peak, top, height - 30)
    for i, label in enumerate(labels):
        y = top + i * row_h
        parts += _bar(label, first[1][i], peak, y + 3, 16, BAR)
        parts += _bar("", second[1][i], peak, y + 21, 16, SECOND)
    parts.append("</svg>")
    return "".join(parts)


def _scale(peak: int) -> tuple[int, list[int]]:
    """A round axis maximum and its ticks (0, step, …, max)."""
    step, magnitude = 1, 1
    while peak > step * 5:
        for factor in (2, 5, 10):
            step = factor * magnitude
            if peak <= step * 5:
                break
        magnitude = step if step == 10 * magnitude else magnitude
    top = max(step, -(-peak // step) * step)
    return top, list(range(0, top + 1, step))


def _x(value: int, top: int) -> float:
    return LABEL_W + (WIDTH - LABEL_W - RIGHT) * value / top


def _value_axis(peak: int, y0: int, y1: int) -> list[str]:
    top, ticks = _scale(peak)
    parts = []
    for tick in ticks:
        x = _x(tick, top)
        parts.append(
            f'<line x1="{x:.1f}" y1="{y0}" x2="{x:.1f}" y2="{y1}" stroke="{GRID}"/>'
            f'<text x="{x:.1f}" y="{y1 + 18}" text-anchor="middle" fill="{TEXT}" {FONT}>'
            f"{tick}</text>"
        )
    return parts


def _bar(label: str, value: int, peak: int, y: int, h: int, colour: str) -> list[str]:
    top, _ = _scale(peak)
    end = _x(value, top)
    parts = []
    if label:
        parts.append(
            f'<text x="{LABEL_W - 8}" y="{y + h + 2}" text-anchor="end" fill="{TEXT}" {FONT}>'
            f"{escape(label)}</text>"
        )
    parts.append(
        f'<rect x="{LABEL_W}" y="{y}" width="{end - LABEL_W:.1f}" height="{h}" fill="{colour}"/>'
        f'<text x="{end + 5:.1f}" y="{y + h - 2}" fill="{TEXT}" {FONT}>{value}</text>'
    )
    return parts


def _open(title: str, height: int) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" '
        f'width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}">'
    )


def _title(title: str) -> str:
    return f'<text x="4" y="20" fill="{TEXT}" {FONT} font-weight="bold">{escape(title)}</text>'


def _legend(first: str, second: str) -> str:
    return (
        f'<rect x="{LABEL_W}" y="32" width="14" height="14" fill="{BAR}"/>'
        f'<text x="{LABEL_W + 20}" y="45" fill="{TEXT}" {FONT}>{escape(first)}</text>'
        f'<rect x="{LABEL_W + 100}" y="32" width="14" height="14" fill="{SECOND}"/>'
        f'<text x="{LABEL_W + 120}" y="45" fill="{TEXT}" {FONT}>{escape(second)}</text>'
    )
