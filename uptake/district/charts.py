"""Server-rendered SVG charts for the dashboards: stacked verdict bars, funnels and a forest
plot. Each chart is an image with a ``<title>`` and a ``<desc>`` (``role="img"``,
``aria-labelledby``), presentation attributes only (no ``style=""``, for the strict
Content-Security-Policy), and its numbers are also in the data table beside it. Colours are
the Okabe-Ito palette, always paired with a label or a number, never colour alone."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe

from uptake.analysis.aggregates import VERDICTS, BreakdownRow
from uptake.district.figures import ClassEffect, FunnelStep, PooledByKind

COLOURS = {
    "sustained_improvement": "#009E73",
    "change_not_sustained": "#56B4E9",
    "got_worse": "#D55E00",
    "no_signal": "#999999",
    "not_enough_data": "#F0E442",
    "no_verdict": "#FFFFFF",
}
INK = "#1a1a1a"
_ids = itertools.count(1)


def _frame(width: int, height: int, title: str, desc: str, body: str) -> SafeString:
    n = next(_ids)
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} '
        f'{height}" width="100%" role="img" aria-labelledby="dc-t{n} dc-d{n}" '
        f'preserveAspectRatio="xMinYMin meet">'
        f'<title id="dc-t{n}">{escape(title)}</title><desc id="dc-d{n}">{escape(desc)}</desc>'
        f'{body}</svg>')


def _text(x: float, y: float, text: str, *, anchor: str = "start", size: int = 12,
          weight: str = "normal") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" font-weight="{weight}" '
            f'text-anchor="{anchor}" fill="{INK}">{escape(text)}</text>')


def verdict_bars(title: str, rows: Sequence[BreakdownRow], labels: dict[str, str]
                 ) -> tuple[SafeString, str]:
    """Stacked bars of classes by verdict, one bar per row; hidden rows say so."""
    width, label_w, bar_h, gap = 640, 190, 22, 10
    legend_h = 24 * ((len(VERDICTS) + 2) // 3)
    height = legend_h + len(rows) * (bar_h + gap) + 10
    widest: float = max((sum(r.counts.values()) for r in rows if r.counts), default=0) or 1
    scale = (width - label_w - 40) / widest
    parts: list[str] = []
    for i, (key, label) in enumerate(VERDICTS):
        lx, ly = 10 + (i % 3) * 210, 16 + (i // 3) * 24
        parts.append(f'<rect x="{lx}" y="{ly - 11}" width="14" height="14" '
                     f'fill="{COLOURS[key]}" stroke="{INK}"/>')
        parts.append(_text(lx + 20, ly, label))
    sentences = []
    for n, row in enumerate(rows):
        y = legend_h + n * (bar_h + gap) + 6
        name = labels.get(row.value, row.value)
        parts.append(_text(label_w - 8, y + 16, _short(name), anchor="end"))
        if row.counts is None:
            parts.append(_text(label_w, y + 16, "hidden: fewer students than the minimum"))
            sentences.append(f"{name}: hidden")
            continue
        x = float(label_w)
        said = []
        for key, label in VERDICTS:
            count = row.counts[key]
            if not count:
                continue
            w = count * scale
            parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" '
                         f'fill="{COLOURS[key]}" stroke="{INK}" stroke-width="0.5"/>')
            if w >= 16:
                parts.append(_text(x + w / 2, y + 16, str(count), anchor="middle"))
            x += w
            said.append(f"{count} {label.lower()}")
        sentences.append(f"{name}: " + (", ".join(said) or "no classes"))
    desc = "; ".join(sentences) + "." if sentences else "No classes to count."
    return _frame(width, height, title, desc, "".join(parts)), desc


def funnel(title: str, steps: Sequence[FunnelStep]) -> tuple[SafeString, str]:
    """Horizontal bars, one per step, each labelled with its count."""
    width, label_w, bar_h, gap = 640, 250, 22, 8
    height = len(steps) * (bar_h + gap) + 8
    top: float = max((s.count for s in steps), default=0) or 1
    scale = (width - label_w - 60) / top
    parts = []
    for n, step in enumerate(steps):
        y = n * (bar_h + gap) + 4
        parts.append(_text(label_w - 8, y + 16, step.label, anchor="end"))
        w = max(step.count * scale, 1.0)
        parts.append(f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" '
                     f'fill="#0072B2"/>')
        parts.append(_text(label_w + w + 6, y + 16, str(step.count), weight="bold"))
    desc = "; ".join(f"{s.label}: {s.count}" for s in steps) + "."
    return _frame(width, height, title, desc, "".join(parts)), desc


def forest(title: str, effects: Sequence[ClassEffect], pooled: Sequence[PooledByKind],
           *, of: int | None = None) -> tuple[SafeString, str]:
    """Each class's effect with its interval; each kind's pooled estimate as a diamond.
    ``of``: how many classes there are when ``effects`` shows only some of them (the
    pooled estimates pool them all)."""
    rows: list[tuple[str, float, float, float, bool]] = [
        (e.label, e.smc, e.ci_low, e.ci_high, False) for e in effects]
    for p in pooled:
        if p.pooled is not None:
            rows.append((f"Pooled: {p.label.lower()} ({p.k} classes)", p.pooled.estimate,
                         p.pooled.ci_low, p.pooled.ci_high, True))
    if not rows:
        return _frame(640, 30, title, "No class has an effect size yet.",
                      _text(10, 20, "No class has an effect size yet.")), \
            "No class has an effect size yet."
    width, label_w, row_h = 640, 260, 22
    low = min(min(r[2] for r in rows), 0.0)
    high = max(max(r[3] for r in rows), 0.0)
    span = (high - low) or 1.0
    plot_w = width - label_w - 20

    def x_of(v: float) -> float:
        return label_w + (v - low) / span * plot_w

    height = (len(rows) + 2) * row_h
    parts = [f'<line x1="{x_of(0):.1f}" y1="0" x2="{x_of(0):.1f}" y2="{height - row_h}" '
             f'stroke="{INK}" stroke-dasharray="4 3"/>',
             _text(x_of(0), height - 6, "0 (no change)", anchor="middle", size=11)]
    sentences = []
    for n, (label, est, lo, hi, is_pooled) in enumerate(rows):
        y = n * row_h + row_h / 2 + 4
        parts.append(_text(label_w - 8, y + 4, _short(label, 38), anchor="end",
                           weight="bold" if is_pooled else "normal"))
        parts.append(f'<line x1="{x_of(lo):.1f}" y1="{y:.1f}" x2="{x_of(hi):.1f}" '
                     f'y2="{y:.1f}" stroke="{INK}" stroke-width="1.5"/>')
        cx = x_of(est)
        if is_pooled:
            parts.append(f'<polygon points="{x_of(lo):.1f},{y:.1f} {cx:.1f},{y - 7:.1f} '
                         f'{x_of(hi):.1f},{y:.1f} {cx:.1f},{y + 7:.1f}" fill="#E69F00" '
                         f'stroke="{INK}"/>')
        else:
            parts.append(f'<rect x="{cx - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" '
                         f'fill="#0072B2"/>')
        sentences.append(f"{label}: {est:.2f} (95% interval {lo:.2f} to {hi:.2f})")
    desc = "; ".join(sentences) + "."
    if of is not None and of > len(effects):
        desc = (f"The {len(effects)} classes with the most students, of {of}; the pooled "
                f"estimates pool all {of}. " + desc)
    return _frame(width, height, title, desc, "".join(parts)), desc


def _short(text: str, limit: int = 28) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
