"""Where in the skin a treatment acts: an accessible SVG drawn from ``Treatment.layer``.

Two panels. On the left, the skin's three layers in order (a sketch: how thick
each is varies with body site and age, so it is not drawn to scale). On the
right, each treatment's reach as a bar on a millimetre scale, from
``layer.depth_mm`` (min to max). A treatment whose sources give no depth in
millimetres gets no bar; the text alternative says so and quotes where it acts.

The SVG carries ``role="img"`` with a ``<title>`` and ``<desc>``; :class:`Diagram`
also gives the same content as sentences (``lines``) for a visible text
alternative, and as Markdown for the generated article.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from treatwise.domain.compare.glance import first_sentence
from treatwise.domain.compare.wording import number
from treatwise.knowledge.schema import Treatment

WIDTH = 640
TOP = 72  # y of the skin surface
BOTTOM = 300  # y of the deepest tick
LAYERS: tuple[tuple[str, str, float], ...] = (
    ("Epidermis", "#f6e3d4", 0.16),
    ("Dermis", "#efc9b4", 0.42),
    ("Fat under the skin", "#f7e7a8", 0.42),
)
"""Name, fill and share of the sketch's height (the order is the point, not the size)."""
COLOURS = ("#0f5c58", "#7a4b00", "#5b2a86", "#8f1d1d")
"""Bar colours, each at least 4.5:1 against white."""


@dataclass(frozen=True)
class Diagram:
    """The SVG and its text alternative (one sentence per treatment, and a scale note)."""

    svg: str
    title: str
    lines: tuple[str, ...]

    @property
    def markdown(self) -> str:
        """The text alternative as a Markdown list (for articles)."""
        return "\n".join(f"- {line}" for line in self.lines)


def depth_words(treatment: Treatment) -> str:
    """``0.25–2.5 mm below the surface`` or a plain note when the sources give no figure."""
    depth = treatment.layer.depth_mm
    if depth is None:
        return "no depth in millimetres is given in our sources"
    core = (
        number(depth.min) if depth.min == depth.max else f"{number(depth.min)}–{number(depth.max)}"
    )
    return f"{core} mm below the surface"


def _scale_max(treatments: Sequence[Treatment]) -> float:
    deepest = max((t.layer.depth_mm.max for t in treatments if t.layer.depth_mm), default=0.0)
    return float(max(3, math.ceil(deepest)))


def _step(scale: float) -> float:
    return 1.0 if scale <= 5 else 2.0 if scale <= 12 else 5.0


def skin_diagram(treatments: Sequence[Treatment], *, key: str) -> Diagram:
    """The diagram for one or two (or a few) treatments; ``key`` makes its ids unique."""
    names = " and ".join(t.name for t in treatments)
    title = (
        f"Where in the skin each one acts: {names}"
        if len(treatments) > 1
        else (f"Where in the skin it acts: {names}")
    )
    lines = (
        *(f"{t.name}: {depth_words(t)}. {first_sentence(t.layer.text)}" for t in treatments),
        "The layers are drawn in order, not to scale: their thickness varies with body site "
        "and age.",
    )
    scale = _scale_max(treatments)

    def y_of(mm: float) -> float:
        return TOP + (BOTTOM - TOP) * mm / scale

    ids = f"dg-{escape(key)}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} 340" role="img" '
        f'aria-labelledby="{ids}-t {ids}-d" focusable="false">',
        f'<title id="{ids}-t">{escape(title)}</title>',
        f'<desc id="{ids}-d">{escape(" ".join(lines))}</desc>',
        '<g font-family="system-ui, sans-serif" font-size="14" fill="#1d2a33">',
        '<text x="10" y="20" font-weight="700">Skin layers (sketch)</text>',
    ]
    y = float(TOP)
    for name, fill, share in LAYERS:
        h = (BOTTOM - TOP) * share
        parts.append(
            f'<rect x="10" y="{y:.1f}" width="190" height="{h:.1f}" fill="{fill}" '
            'stroke="#8a6d5a" stroke-width="1"/>'
        )
        parts.append(f'<text x="20" y="{y + h / 2 + 5:.1f}">{escape(name)}</text>')
        y += h
    parts.append(
        f'<text x="250" y="20" font-weight="700">Depth reached, in millimetres</text>'
        f'<line x1="250" y1="{TOP}" x2="{WIDTH - 10}" y2="{TOP}" stroke="#4a5a66" '
        'stroke-dasharray="4 3"/>'
        f'<text x="{WIDTH - 10}" y="{TOP - 6}" text-anchor="end" font-size="12">skin surface</text>'
    )
    step = _step(scale)
    tick = 0.0
    while tick <= scale + 1e-9:
        ty = y_of(tick)
        parts.append(
            f'<line x1="282" y1="{ty:.1f}" x2="290" y2="{ty:.1f}" stroke="#4a5a66"/>'
            f'<text x="276" y="{ty + 5:.1f}" text-anchor="end" font-size="12">{number(tick)}</text>'
        )
        tick += step
    parts.append(f'<line x1="290" y1="{TOP}" x2="290" y2="{BOTTOM}" stroke="#4a5a66"/>')
    column = (WIDTH - 10 - 300) / max(1, len(treatments))
    for i, t in enumerate(treatments):
        cx = 300 + column * (i + 0.5)
        colour = COLOURS[i % len(COLOURS)]
        depth = t.layer.depth_mm
        if depth is None:
            parts.append(
                f'<text x="{cx:.1f}" y="{TOP + 30}" text-anchor="middle" fill="{colour}" '
                f'font-weight="700">{escape(t.name)}</text>'
                f'<text x="{cx:.1f}" y="{TOP + 50}" text-anchor="middle" font-size="12">'
                "no depth given</text>"
            )
            continue
        y1, y2 = y_of(depth.min), y_of(depth.max)
        parts.append(
            f'<rect x="{cx - 18:.1f}" y="{y1:.1f}" width="36" height="{max(2.0, y2 - y1):.1f}" '
            f'rx="4" fill="{colour}"/>'
            f'<text x="{cx:.1f}" y="50" text-anchor="middle" fill="{colour}" '
            f'font-weight="700">{escape(t.name)}</text>'
            f'<text x="{cx:.1f}" y="{min(y2 + 20, 334):.1f}" text-anchor="middle" font-size="13">'
            f"{escape(depth_words(t).replace(' below the surface', ''))}</text>"
        )
    parts.append("</g></svg>")
    return Diagram(svg="".join(parts), title=title, lines=lines)
