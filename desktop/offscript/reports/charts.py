"""Small SVG charts drawn by hand: trend lines and stacked bars, no plotting library.

The same SVG text goes inline into the HTML report, into the PDF (fpdf2 draws SVG as
vectors) and into the app (QSvgWidget).  Only plain SVG 1.1 features are used (lines,
polylines, circles, rects, text with ``text-anchor``) so every one of those renders it.
Every label is escaped; ``standalone`` adds the XML namespace a separate renderer needs.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
INK, GRID, MUTED, BAND = "#222222", "#e3e3e3", "#666666", "#dff3e4"
PALETTE = ("#1f77b4", "#d95f02", "#7570b3", "#1b9e77", "#e7298a", "#66a61e")
PAUSE_COLOURS = {"thinking": "#1b9e77", "hesitation": "#d95f02", "boundary": "#9fb3c8"}


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float | None]
    colour: str = PALETTE[0]


@dataclass(frozen=True)
class _Frame:
    width: int
    height: int
    left: int = 46
    right: int = 24  # room for the last x label, centred on the last point
    top: int = 32
    bottom: int = 34
    legend_y: int = 11  # top of the legend's swatches

    @property
    def plot_w(self) -> float:
        return self.width - self.left - self.right

    @property
    def plot_h(self) -> float:
        return self.height - self.top - self.bottom

    def x(self, i: int, n: int) -> float:
        if n <= 1:
            return self.left + self.plot_w / 2
        return self.left + self.plot_w * i / (n - 1)

    def y(self, v: float, lo: float, hi: float) -> float:
        return self.top + self.plot_h * (1 - (v - lo) / ((hi - lo) or 1.0))


def nice_ticks(lo: float, hi: float, count: int = 4) -> list[float]:
    """Round tick values covering [lo, hi] (1, 2, 2.5 or 5 times a power of ten apart)."""
    if hi <= lo:
        hi = lo + 1.0
    raw = (hi - lo) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    start = math.floor(lo / step) * step
    ticks, v = [], start
    while v < hi + step * 0.999:
        ticks.append(round(v, 10))
        v += step
    return ticks


def _fmt_tick(v: float, percent: bool) -> str:
    if percent:
        return f"{v * 100:.0f}%"
    return f"{v:.0f}" if abs(v - round(v)) < 1e-9 else f"{v:.1f}"


def _text(x: float, y: float, s: str, size: float = 11, anchor: str = "start",
          colour: str = INK, weight: str = "normal") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-family="{FONT}" font-size="{size}" '
            f'font-weight="{weight}" fill="{colour}" text-anchor="{anchor}">{escape(s)}</text>')


def _frame(width: int, height: int, title: str, legend: Sequence[Series]) -> _Frame:
    """The plot's frame; the legend moves under the title when both do not fit on one line."""
    title_w = 8.4 * len(title)
    legend_w = sum(24 + 6.6 * len(s.label) for s in legend)
    if legend and 46 + title_w + 16 + legend_w > width - 24:
        return _Frame(width, height, top=48, legend_y=26)
    return _Frame(width, height)


def _open(f: _Frame, title: str, standalone: bool) -> list[str]:
    ns = ' xmlns="http://www.w3.org/2000/svg"' if standalone else ""
    return [
        f'<svg{ns} width="{f.width}" height="{f.height}" viewBox="0 0 {f.width} {f.height}" '
        f'role="img" aria-label="{escape(title)}">',
        f'<rect x="0" y="0" width="{f.width}" height="{f.height}" fill="#ffffff"/>',
        _text(f.left, 20, title, size=14, weight="bold"),
    ]


def _axes(f: _Frame, ticks: list[float], xs: Sequence[float], x_labels: Sequence[str],
          percent: bool) -> list[str]:
    lo, hi = ticks[0], ticks[-1]
    out = []
    for t in ticks:
        y = f.y(t, lo, hi)
        out.append(f'<line x1="{f.left}" y1="{y:.1f}" x2="{f.width - f.right}" y2="{y:.1f}" '
                   f'stroke="{GRID}" stroke-width="1"/>')
        out.append(_text(f.left - 6, y + 4, _fmt_tick(t, percent), 11, "end", MUTED))
    n = len(x_labels)
    every = max(1, math.ceil(n / 6))
    shown = [i for i in range(n) if i % every == 0]
    if shown and n - 1 - shown[-1] >= max(1, every // 2 + 1):
        shown.append(n - 1)  # the latest point is the one people look for
    for i in shown:
        out.append(_text(xs[i], f.height - f.bottom + 17, x_labels[i], 11, "middle", MUTED))
    return out


def _legend(f: _Frame, series: Sequence[Series]) -> list[str]:
    out, x, y = [], float(f.width - f.right), f.legend_y
    for s in reversed(series):
        x -= 6.6 * len(s.label)
        out.append(_text(x, y + 9.5, s.label, 11, colour=MUTED))
        x -= 14
        out.append(f'<rect x="{x:.1f}" y="{y}" width="10" height="10" fill="{s.colour}"/>')
        x -= 10
    return out


def line_chart(title: str, x_labels: Sequence[str], series: Sequence[Series], *,
               band: tuple[float, float] | None = None, percent: bool = False,
               marked: int | None = None, width: int = 520, height: int = 200,
               standalone: bool = False) -> str:
    """Lines over ``x_labels`` (gaps where a value is None); ``band`` shades a target range;
    ``marked`` rings one point (the best take)."""
    f = _frame(width, height, title, series if len(series) > 1 else ())
    values = [v for s in series for v in s.values if v is not None]
    if percent:
        ticks = [0.0, 0.25, 0.5, 0.75, 1.0]
    else:
        lo = min(values + ([band[0]] if band else []), default=0.0)
        hi = max(values + ([band[1]] if band else []), default=1.0)
        pad = (hi - lo) * 0.1 or 1.0
        ticks = nice_ticks(max(0.0, lo - pad), hi + pad)
    lo, hi = ticks[0], ticks[-1]
    out = _open(f, title, standalone)
    if band:
        y1, y2 = f.y(min(band[1], hi), lo, hi), f.y(max(band[0], lo), lo, hi)
        out.append(f'<rect x="{f.left}" y="{y1:.1f}" width="{f.plot_w:.1f}" '
                   f'height="{max(0.0, y2 - y1):.1f}" fill="{BAND}"/>')
    n = len(x_labels)
    out += _axes(f, ticks, [f.x(i, n) for i in range(n)], x_labels, percent)
    if len(series) > 1:
        out += _legend(f, series)
    for s in series:
        run: list[str] = []
        for i, v in enumerate([*s.values, None]):
            if v is not None:
                run.append(f"{f.x(i, n):.1f},{f.y(v, lo, hi):.1f}")
                continue
            if len(run) > 1:
                out.append(f'<polyline points="{" ".join(run)}" fill="none" '
                           f'stroke="{s.colour}" stroke-width="2"/>')
            run = []
        for i, v in enumerate(s.values):
            if v is not None:
                r = 3.5 if n <= 40 else 2
                out.append(f'<circle cx="{f.x(i, n):.1f}" cy="{f.y(v, lo, hi):.1f}" r="{r}" '
                           f'fill="{s.colour}"/>')
    if marked is not None and series and 0 <= marked < n and series[0].values[marked] is not None:
        cx, cy = f.x(marked, n), f.y(series[0].values[marked], lo, hi)
        out.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="7" fill="none" stroke="#e6a700" '
                   'stroke-width="2.5"/>')
    if not values:
        out.append(_text(f.left + f.plot_w / 2, f.top + f.plot_h / 2, "not measured", 11,
                         "middle", MUTED))
    out.append("</svg>")
    return "\n".join(out)


def stacked_bars(title: str, x_labels: Sequence[str], stacks: Sequence[Series], *,
                 width: int = 520, height: int = 200, standalone: bool = False) -> str:
    """One bar per label, ``stacks`` piled bottom to top (None counts as 0)."""
    f = _frame(width, height, title, stacks)
    n = len(x_labels)
    totals = [sum(s.values[i] or 0.0 for s in stacks) for i in range(n)]
    ticks = nice_ticks(0.0, max(totals, default=1.0) or 1.0)
    lo, hi = ticks[0], ticks[-1]
    slot = f.plot_w / max(n, 1)
    bar = min(28.0, slot * 0.7)
    xs = [f.left + slot * (i + 0.5) for i in range(n)]
    out = _open(f, title, standalone) + _axes(f, ticks, xs, x_labels, False)
    out += _legend(f, stacks)
    for i, cx in enumerate(xs):
        base = 0.0
        for s in stacks:
            v = s.values[i] or 0.0
            if v <= 0:
                continue
            y_top, y_bottom = f.y(base + v, lo, hi), f.y(base, lo, hi)
            out.append(f'<rect x="{cx - bar / 2:.1f}" y="{y_top:.1f}" width="{bar:.1f}" '
                       f'height="{y_bottom - y_top:.1f}" fill="{s.colour}"/>')
            base += v
    out.append("</svg>")
    return "\n".join(out)
