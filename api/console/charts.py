"""Charts for the console: SVG rendered on the server by pygal, inline in the page.

pygal's tooltips load a script from a CDN by default; ``js=[]`` turns that off (the console
loads nothing from elsewhere), leaving a static SVG. Each chart has a text equivalent on the
page (a table) for screen readers, so the SVG is marked as an image with a label.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pygal
from markupsafe import Markup
from pygal.style import Style

_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)
STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1d2330",
    foreground_strong="#1d2330",
    foreground_subtle="#d7dbe2",
    opacity="1",
    opacity_hover="1",
    colors=("#1f5fbf", "#b26b00", "#1b6e3a", "#a4161a", "#6b4fa8", "#5a6372"),
    font_family="system-ui, sans-serif",
    label_font_size=12,
    major_label_font_size=12,
    value_font_size=11,
    title_font_size=14,
    legend_font_size=12,
    no_data_font_size=16,
)


def _finish(chart: pygal.graph.graph.Graph, label: str) -> Markup:
    svg = chart.render(is_unicode=True)
    # pygal still writes an inline script with its tooltip settings; nothing reads it.
    svg = _SCRIPT.sub("", svg)
    # role/aria on the root element: the chart reads as one labelled image.
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{_attr(label)}" ', 1)
    return Markup(svg)


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def bars(
    label: str,
    rows: Sequence[tuple[str, float]],
    *,
    unit: str = "",
    width: int = 560,
    percent: bool = False,
) -> Markup:
    """Horizontal bars, one per (label, value), values printed at the bars. ``percent``:
    values are fractions 0..1, shown as percentages."""
    height = max(120, 34 * len(rows) + 60)
    chart = pygal.HorizontalBar(
        js=[],
        style=STYLE,
        width=width,
        height=height,
        show_legend=False,
        print_values=True,
        disable_xml_declaration=True,
        explicit_size=True,
        margin=8,
        truncate_label=28,
        value_formatter=(lambda v: f"{v * 100:.0f}%") if percent else (lambda v: f"{v:g}{unit}"),
        range=(0, 1) if percent else None,
        include_x_axis=True,
        no_data_text="nothing in this period",
    )
    # pygal draws the first label at the bottom: reverse, so the list reads top-down.
    ordered = list(reversed(rows))
    chart.x_labels = [name for name, _ in ordered]
    chart.add(label, [value for _, value in ordered])
    return _finish(chart, label)


def grouped(
    label: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    *,
    unit: str = "",
    width: int = 560,
) -> Markup:
    """Vertical bars: one group per category, one bar per series (with a legend)."""
    chart = pygal.Bar(
        js=[],
        style=STYLE,
        width=width,
        height=300,
        print_values=True,
        disable_xml_declaration=True,
        explicit_size=True,
        margin=8,
        legend_at_bottom=True,
        value_formatter=lambda v: f"{v:g}{unit}",
        no_data_text="nothing in this period",
    )
    chart.x_labels = list(categories)
    for name, values in series:
        chart.add(name, list(values))
    return _finish(chart, label)
