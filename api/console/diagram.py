"""A journey's steps as a diagram: server-rendered SVG, no script.

The layout is grandalf's Sugiyama layered layout (ranks from ``start`` downwards, crossings
reduced, long edges routed through dummy points), so a loop or a branch that rejoins reads as
it does in Braze's or Dittofeed's canvases; this module only draws boxes and arrows at the
positions it computes. Each step is a link to its entry in the list of steps below the diagram
(the same facts as text, for screen readers and the keyboard), and shows how many runs are at
it now when Temporal answered.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from grandalf.graphs import Edge, Graph, Vertex
from grandalf.layouts import SugiyamaLayout
from markupsafe import Markup

from switchboard.journeys.schema import JourneyDefinition

BOX_W, BOX_H = 176, 48
X_SPACE, Y_SPACE = 28, 46
MARGIN = 16
# Inside the SVG, so it reads the same wherever it is shown (page, screenshot, saved file).
STYLE = (
    ".node rect{fill:#fff;stroke:#1f5fbf;stroke-width:1.5}"
    ".node.wait rect{fill:#f3f6fb;stroke:#5a6372}"
    ".node.decide rect{fill:#fff7e6;stroke:#b26b00}"
    ".node.end rect{fill:#eef7f0;stroke:#1b6e3a}"
    ".node.start rect{stroke-width:3}"
    ".node:focus rect,.node:hover rect{stroke:#f0a400;stroke-width:3}"
    ".edge{fill:none;stroke:#5a6372;stroke-width:1.3}"
    "marker path{fill:#5a6372}"
    "text{font:13px system-ui,sans-serif;fill:#1d2330}"
    ".name{font-weight:600}.kind,.edge-label{font-size:11px;fill:#5a6372}"
    ".count{font-size:12px;font-weight:700;fill:#1f5fbf}"
)
# Kinds drawn alike: what the customer sees, what waits, what decides, where it ends.
KIND_CLASS = {
    "send_whatsapp": "send",
    "place_call": "send",
    "wait": "wait",
    "wait_for": "wait",
    "wait_for_answer": "wait",
    "branch": "decide",
    "split": "decide",
    "hold_slot": "act",
    "handoff": "act",
    "end": "end",
}


@dataclass
class _Box:
    """grandalf's vertex view: the size in, the centre (``xy``) out."""

    w: float = BOX_W
    h: float = BOX_H
    xy: tuple[float, float] = (0.0, 0.0)


class _Route:
    """grandalf's edge view: the routed points (centres of the boxes and dummy points)."""

    def __init__(self) -> None:
        self.points: list[tuple[float, float]] = []

    def setpath(self, points: list[tuple[float, float]]) -> None:
        self.points = [(float(x), float(y)) for x, y in points]


def edges_of(definition: JourneyDefinition) -> list[tuple[str, str, str]]:
    """(from, to, label) for every way out of every step; ``next`` has no label."""
    edges: list[tuple[str, str, str]] = []
    for name, step in definition.steps.items():
        fields = step.model_dump(exclude_none=True)
        for how in ("next", "on_skip", "on_failed", "on_no_answer", "on_past", "on_timeout"):
            if isinstance(to := fields.get(how), str):
                label = "" if how == "next" else how.removeprefix("on_").replace("_", " ")
                edges.append((name, to, label))
        for how in ("cases", "outcomes", "branches"):
            for label, to in (fields.get(how) or {}).items():
                edges.append((name, str(to), str(label)))
        if isinstance(default := fields.get("default"), str):
            edges.append((name, default, "default"))
    return edges


def journey_svg(definition: JourneyDefinition, runs_at: dict[str, int] | None = None) -> Markup:
    """The diagram as an inline ``<svg>`` element. ``runs_at``: step → runs there now (None:
    runs unknown, no counts drawn)."""
    vertices = {name: Vertex(name) for name in definition.steps}
    for vertex in vertices.values():
        vertex.view = _Box()
    routed: list[tuple[Edge, str]] = []
    seen: set[tuple[str, str]] = set()
    for source, target, label in edges_of(definition):
        if (source, target) in seen or source == target:
            continue  # one arrow per pair: two ways to the same step share it
        seen.add((source, target))
        edge = Edge(vertices[source], vertices[target])
        edge.view = _Route()
        routed.append((edge, label))
    graph = Graph(list(vertices.values()), [e for e, _ in routed])
    # Unreachable steps are refused by the schema, but each component is laid out on its own.
    offset_x = 0.0
    for component in graph.C:
        layout = SugiyamaLayout(component)
        layout.xspace, layout.yspace = X_SPACE, Y_SPACE
        roots = [v for v in component.sV if v.data == definition.start] or None
        layout.init_all(roots=roots)
        layout.draw()
        # Routed edges may swing wider than the boxes: the bounds take both.
        xs = [v.view.xy[0] - BOX_W / 2 for v in component.sV]
        xs += [x for e in component.sE for x, _ in e.view.points]
        shift = offset_x - min(xs)
        for vertex in component.sV:
            x, y = vertex.view.xy
            vertex.view.xy = (x + shift, y)
        for edge in component.sE:
            edge.view.points = [(x + shift, y) for x, y in edge.view.points]
        right = [v.view.xy[0] + BOX_W / 2 for v in component.sV]
        right += [x for e in component.sE for x, _ in e.view.points]
        offset_x = max(right) + X_SPACE
    boxes = {name: v.view for name, v in vertices.items()}
    top = min(b.xy[1] for b in boxes.values()) - BOX_H / 2
    width = offset_x - X_SPACE + 2 * MARGIN
    height = max(b.xy[1] for b in boxes.values()) + BOX_H / 2 - top + 2 * MARGIN
    dy = MARGIN - top

    parts = [
        f'<svg class="diagram" xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" '
        f'height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" role="group" '
        f'aria-label="Diagram of the steps of {escape(definition.name)}">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker>'
        f"<style>{STYLE}</style></defs>",
    ]
    for edge, label in routed:
        points = _clip(edge.view.points, boxes[edge.v[0].data], boxes[edge.v[1].data])
        path = " ".join(f"{x + MARGIN:.1f},{y + dy:.1f}" for x, y in points)
        parts.append(f'<polyline class="edge" points="{path}" marker-end="url(#arrow)"/>')
        if label:
            (x0, y0), (x1, y1) = points[0], points[1]
            lx, ly = (x0 + x1) / 2 + MARGIN + 4, (y0 + y1) / 2 + dy
            parts.append(
                f'<text class="edge-label" x="{lx:.1f}" y="{ly:.1f}">{escape(label)}</text>'
            )
    for name, step in definition.steps.items():
        box = boxes[name]
        x, y = box.xy[0] - BOX_W / 2 + MARGIN, box.xy[1] - BOX_H / 2 + dy
        css = KIND_CLASS.get(step.kind, "act")
        start = " start" if name == definition.start else ""
        count = ""
        if runs_at is not None and runs_at.get(name):
            count = (
                f'<text class="count" x="{x + BOX_W - 8:.1f}" y="{y + 18:.1f}" '
                f'text-anchor="end">{runs_at[name]}</text>'
            )
        parts.append(
            f'<a href="#step-{escape(name)}" class="node {css}{start}">'
            f"<title>{escape(name)} ({escape(step.kind)})</title>"
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{BOX_W}" height="{BOX_H}" rx="6"/>'
            f'<text class="name" x="{x + 10:.1f}" y="{y + 20:.1f}">{escape(_short(name))}</text>'
            f'<text class="kind" x="{x + 10:.1f}" y="{y + 38:.1f}">'
            f"{escape(step.kind.replace('_', ' '))}</text>{count}</a>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _short(name: str, limit: int = 20) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def _clip(
    points: list[tuple[float, float]], source: _Box, target: _Box
) -> list[tuple[float, float]]:
    """The route from the edge of the source box to the edge of the target box (grandalf
    routes centre to centre): out through the side that faces the next point, in likewise."""
    if len(points) < 2:
        points = [source.xy, target.xy]
    (x0, y0), (_, y1) = points[0], points[1]
    start = (x0, y0 + (BOX_H / 2 if y1 >= y0 else -BOX_H / 2))
    (_, ya), (xb, yb) = points[-2], points[-1]
    end = (xb, yb + (-BOX_H / 2 if ya <= yb else BOX_H / 2))
    return [start, *points[1:-1], end]
