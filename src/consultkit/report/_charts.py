"""Small inline SVG charts: no plotting library, no script, text escaped."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

BAR = "#1d70b8"
ROW = 22
LABEL_WIDTH = 220
WIDTH = 640


def bar_chart(items: Sequence[tuple[str, int]], *, title: str) -> str:
    """Horizontal bars, one row per ``(label, count)``, longest bar for the largest count."""
    if not items:
        return ""
    top = max(count for _, count in items) or 1
    span = WIDTH - LABEL_WIDTH - 60
    rows = []
    for i, (label, count) in enumerate(items):
        y = i * ROW
        length = round(span * count / top)
        shown = label if len(label) <= 34 else label[:33] + "…"
        rows.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end">{escape(shown)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{length}" height="{ROW - 6}" fill="{BAR}">'
            f"<title>{escape(label)}: {count:,}</title></rect>"
            f'<text x="{LABEL_WIDTH + length + 6}" y="{y + 15}">{count:,}</text>'
        )
    return _svg(title, len(items) * ROW, "".join(rows))


def column_chart(items: Sequence[tuple[str, int]], *, title: str) -> str:
    """Vertical columns over time, one per ``(day, count)``, first and last day labelled."""
    if not items:
        return ""
    height = 160
    top = max(count for _, count in items) or 1
    step = WIDTH / len(items)
    columns = []
    for i, (day, count) in enumerate(items):
        h = round((height - 20) * count / top)
        columns.append(
            f'<rect x="{i * step:.1f}" y="{height - 20 - h}" width="{max(step - 1, 1):.1f}" height="{h}" '
            f'fill="{BAR}"><title>{escape(day)}: {count:,}</title></rect>'
        )
    columns.append(f'<text x="0" y="{height - 4}">{escape(items[0][0])}</text>')
    columns.append(f'<text x="{WIDTH}" y="{height - 4}" text-anchor="end">{escape(items[-1][0])}</text>')
    return _svg(title, height, "".join(columns))


def _svg(title: str, height: int, body: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" font-size="12" font-family="sans-serif">'
        f"<title>{escape(title)}</title>{body}</svg>"
    )
