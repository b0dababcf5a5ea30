"""The PLN map as a server-rendered SVG (docs/network-map.md, "The map").

The layout is deterministic: networkx's spring layout (Fruchterman and Reingold 1991) with
a fixed seed, on the nodes and ties in sorted order, so the same network always draws the
same; positions are cached by the content hash of the nodes and ties, the SVG by the
figures' key. An arrow a → b means knowledge flows from a to b; an arrow's width grows with
the tie's weight (how often). A node's colour and shape say its school (the legend pairs
them, never colour alone); someone outside the district is a grey diamond; a formal role
(coach, school leader, coordinator) has a thick black ring; a broker (the top three by
betweenness and every informal broker) a dashed outer ring and a name label; an unobserved
node (invited to the survey, did not answer) a white fill with a dashed outline.

Presentation attributes only (no ``style=""``) for the strict Content-Security-Policy; the
image has ``role="img"``, a ``<title>`` and a ``<desc>``, and the page gives the same facts
as text and as a table.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from html import escape
from typing import TYPE_CHECKING

from django.utils.safestring import SafeString, mark_safe

from uptake.networks import precompute

if TYPE_CHECKING:
    from uptake.networks.figures import MapFigures

INK = "#1a1a1a"
# Okabe-Ito, without black (the ink) and grey (the outside).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
SHAPES = ("circle", "square", "triangle")
OUTSIDE_FILL = "#999999"
WIDTH, HEIGHT, MARGIN = 800, 600, 40
SEED = 7
ISOLATE_GAP = 24
LAYOUT_VERSION = "v2"


def layout(nodes: Sequence[str], pairs: Sequence[tuple[str, str, float]]
           ) -> dict[str, tuple[float, float]]:
    """Positions in the drawing's box, the same for the same nodes and ties."""
    order = sorted(set(nodes))
    edges = sorted({(a, b, w) for a, b, w in pairs if a in nodes and b in nodes})
    digest = hashlib.sha256(json.dumps([order, edges]).encode()).hexdigest()
    slot = f"networks:layout:{LAYOUT_VERSION}:{digest}"
    found = precompute.get(slot)
    if isinstance(found, dict):
        return found
    placed = _spring(order, edges)
    precompute.put(slot, placed)
    return placed


def _spring(order: list[str], edges: list[tuple[str, str, float]]
            ) -> dict[str, tuple[float, float]]:
    """The tied nodes by the spring layout in the upper part; the nodes without a tie in
    rows along the bottom (else the layout flings them to the edges and crowds the rest)."""
    import networkx as nx

    tied = sorted({n for a, b, _ in edges if a != b for n in (a, b)})
    alone = [n for n in order if n not in set(tied)]
    per_row = int((WIDTH - 2 * MARGIN) // ISOLATE_GAP) + 1
    rows = (len(alone) + per_row - 1) // per_row
    bottom = HEIGHT - MARGIN - rows * ISOLATE_GAP
    placed: dict[str, tuple[float, float]] = {n: (round(MARGIN + (i % per_row) * ISOLATE_GAP, 1),
                  round(bottom + ISOLATE_GAP + (i // per_row) * ISOLATE_GAP, 1))
              for i, n in enumerate(alone)}
    if len(tied) < 2:
        placed.update({n: (WIDTH / 2, HEIGHT / 2) for n in tied})
        return placed
    graph = nx.Graph()
    graph.add_nodes_from(tied)
    graph.add_edges_from((a, b) for a, b, _ in edges if a != b)
    raw = nx.spring_layout(graph, seed=SEED, iterations=60)
    xs = [float(raw[n][0]) for n in tied]
    ys = [float(raw[n][1]) for n in tied]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0
    for n in tied:
        placed[n] = (round(MARGIN + (float(raw[n][0]) - min(xs)) / span_x
                           * (WIDTH - 2 * MARGIN), 1),
                     round(MARGIN + (float(raw[n][1]) - min(ys)) / span_y
                           * (bottom - MARGIN), 1))
    return placed


def school_styles(schools: Sequence[str]) -> dict[str, tuple[str, str]]:
    """Each school's (colour, shape), in the order of the sorted names."""
    return {s: (PALETTE[i % len(PALETTE)], SHAPES[(i // len(PALETTE)) % len(SHAPES)])
            for i, s in enumerate(sorted(set(schools)))}


def _shape(shape: str, x: float, y: float, r: float, attrs: str) -> str:
    if shape == "square":
        return (f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r:.1f}" '
                f'height="{2 * r:.1f}" {attrs}/>')
    if shape == "triangle":
        return (f'<polygon points="{x:.1f},{y - r * 1.2:.1f} {x + r * 1.1:.1f},'
                f'{y + r * 0.8:.1f} {x - r * 1.1:.1f},{y + r * 0.8:.1f}" {attrs}/>')
    if shape == "diamond":
        return (f'<polygon points="{x:.1f},{y - r * 1.3:.1f} {x + r * 1.3:.1f},{y:.1f} '
                f'{x:.1f},{y + r * 1.3:.1f} {x - r * 1.3:.1f},{y:.1f}" {attrs}/>')
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" {attrs}/>'


def network_svg(f: MapFigures) -> SafeString:
    """The map of ``f`` (cached by its key); empty when there is nothing to draw."""
    if not f.drawn:
        return mark_safe("")
    slot = f"networks:svg:{LAYOUT_VERSION}:{f.key}"
    found = precompute.get(slot)
    if isinstance(found, str):
        return mark_safe(found)
    svg = draw(f)
    precompute.put(slot, svg)
    return mark_safe(svg)


def draw(f: MapFigures) -> str:
    nodes = f.network.nodes
    drawn = sorted(f.drawn)
    weights: dict[tuple[str, str], float] = {}
    for t in f.network.ties:
        if t.source in f.drawn and t.target in f.drawn and t.source != t.target:
            weights[(t.source, t.target)] = weights.get((t.source, t.target), 0) + t.weight
    pairs = sorted((a, b, w) for (a, b), w in weights.items())
    at = layout(drawn, pairs)
    styles = school_styles([nodes[k].school for k in drawn if not nodes[k].external])
    brokers = {r.key for r in f.top} | {r.key for r in f.informal}
    mark = f"nm{f.key[:10]}"
    radius = 7.0 if len(drawn) <= 60 else 5.0 if len(drawn) <= 200 else 3.5
    parts = [f'<defs><marker id="{mark}-a" viewBox="0 0 10 10" refX="10" refY="5" '
             f'markerWidth="7" markerHeight="7" markerUnits="userSpaceOnUse" '
             f'orient="auto-start-reverse">'
             f'<path d="M0,0 L10,5 L0,10 z" fill="#555555"/></marker></defs>',
             '<g class="ties">']
    parts += [_arrow(a, b, w, at, radius, (b, a) in weights, mark) for a, b, w in pairs]
    parts.append('</g><g class="nodes">')
    for k in drawn:
        parts.append(_node(k, f, at[k], radius, styles, k in brokers))
    parts.append("</g>")
    tied = {n for a, b, _ in pairs for n in (a, b)}
    alone = [at[k][1] for k in drawn if k not in tied]
    if alone and tied:
        parts.append(f'<text x="{MARGIN - radius:.1f}" y="{min(alone) - radius - 6:.1f}" '
                     f'font-size="11" fill="{INK}">Without a tie in this selection:</text>')
    legend, legend_h = _legend(styles, any(nodes[k].external for k in drawn),
                               any(nodes[k].unobserved for k in drawn), HEIGHT)
    parts.append(legend)
    title = "Who learns from whom: the professional learning network"
    desc = f.summary() + (f" The map draws {len(drawn)} of the {f.people} nodes, the largest "
                          "connected part." if len(drawn) < f.people else "")
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart network-map" '
            f'viewBox="0 0 {WIDTH} {HEIGHT + legend_h}" width="100%" role="img" '
            f'aria-labelledby="{mark}-t {mark}-d" preserveAspectRatio="xMidYMin meet">'
            f'<title id="{mark}-t">{escape(title)}</title>'
            f'<desc id="{mark}-d">{escape(desc)}</desc>{"".join(parts)}</svg>')


def _arrow(a: str, b: str, w: float, at: Mapping[str, tuple[float, float]], r: float,
           returned: bool, mark: str) -> str:
    (x1, y1), (x2, y2) = at[a], at[b]
    dx, dy = x2 - x1, y2 - y1
    length = math.hypot(dx, dy) or 1.0
    ux, uy = dx / length, dy / length
    # A returned tie is drawn beside its partner, not on top of it.
    off = 2.5 if returned else 0.0
    ox, oy = -uy * off, ux * off
    gap = r + 2
    width = 0.6 + 0.3 * min(w, 10)
    return (f'<line x1="{x1 + ux * gap + ox:.1f}" y1="{y1 + uy * gap + oy:.1f}" '
            f'x2="{x2 - ux * gap + ox:.1f}" y2="{y2 - uy * gap + oy:.1f}" stroke="#555555" '
            f'stroke-opacity="0.7" stroke-width="{width:.2f}" marker-end="url(#{mark}-a)"/>')


def _node(k: str, f: MapFigures, xy: tuple[float, float], r: float,
          styles: Mapping[str, tuple[str, str]], broker: bool) -> str:
    node = f.network.nodes[k]
    x, y = xy
    if node.external:
        colour, shape = OUTSIDE_FILL, "diamond"
    else:
        colour, shape = styles.get(node.school, (PALETTE[0], "circle"))
    fill = "#ffffff" if node.unobserved else colour
    stroke = colour if node.unobserved else INK
    width = 3.0 if node.formal_role else 1.0
    dash = ' stroke-dasharray="2 2"' if node.unobserved else ""
    attrs = f'fill="{fill}" stroke="{stroke}" stroke-width="{width}"{dash}'
    what = ["outside the district" if node.external
            else node.school or "no school (district staff)"]
    if node.formal_role:
        what.append("formal role")
    if broker:
        what.append("broker")
    if node.unobserved:
        what.append("unobserved")
    out = [f'<g><title>{escape(node.label)} ({escape(", ".join(w for w in what if w))})'
           f'</title>']
    if broker:
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r + 5:.1f}" fill="none" '
                   f'stroke="{INK}" stroke-width="1.5" stroke-dasharray="3 2"/>')
    out.append(_shape(shape, x, y, r, attrs))
    if broker or len(f.drawn) <= 30:
        anchor = "start" if x < WIDTH - 120 else "end"
        dx = r + 6 if anchor == "start" else -(r + 6)
        out.append(f'<text x="{x + dx:.1f}" y="{y + 4:.1f}" font-size="11" '
                   f'text-anchor="{anchor}" fill="{INK}"'
                   f'{" font-weight=\"bold\"" if broker else ""}>{escape(node.label)}</text>')
    out.append("</g>")
    return "".join(out)


def _legend(styles: Mapping[str, tuple[str, str]], outside: bool, unobserved: bool,
            top: int) -> tuple[str, int]:
    # District staff without a school (a coordinator) have the school "" in the styles.
    items: list[tuple[str, str, str]] = [(c, s, name or "No school (district staff)")
                                         for name, (c, s) in styles.items()]
    if outside:
        items.append((OUTSIDE_FILL, "diamond", "Outside the district"))
    per_row, row_h = 3, 22
    rows = (len(items) + per_row - 1) // per_row
    parts = []
    for i, (colour, shape, name) in enumerate(items):
        x = 20 + (i % per_row) * 260
        y = top + 18 + (i // per_row) * row_h
        parts.append(_shape(shape, x, y, 6, f'fill="{colour}" stroke="{INK}" stroke-width="1"'))
        parts.append(f'<text x="{x + 14}" y="{y + 4}" font-size="12" fill="{INK}">'
                     f'{escape(name[:34])}</text>')
    y = top + 18 + rows * row_h
    keys = [("formal", "Thick ring: formal role"), ("broker", "Dashed ring: broker")]
    if unobserved:
        keys.append(("unobserved", "White, dashed: did not answer"))
    for i, (kind, text) in enumerate(keys):
        x = 20 + i * 260
        if kind == "formal":
            parts.append(_shape("circle", x, y, 6, f'fill="#ffffff" stroke="{INK}" '
                                                  f'stroke-width="3"'))
        elif kind == "broker":
            parts.append(f'<circle cx="{x}" cy="{y}" r="9" fill="none" stroke="{INK}" '
                         f'stroke-dasharray="3 2"/>')
        else:
            parts.append(_shape("circle", x, y, 6, f'fill="#ffffff" stroke="{INK}" '
                                                  f'stroke-dasharray="2 2"'))
        parts.append(f'<text x="{x + 14}" y="{y + 4}" font-size="12" fill="{INK}">'
                     f'{escape(text)}</text>')
    y += row_h
    parts.append(f'<text x="20" y="{y + 4}" font-size="12" fill="{INK}">An arrow a → b: '
                 'knowledge flows from a to b; the thicker, the more often.</text>')
    return "".join(parts), (rows + 2) * row_h + 16
