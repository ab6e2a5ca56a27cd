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

WIDTH = 460
HEIGHT = 400
PANEL = 120  # width of the layer sketch
AXIS = 190  # x of the millimetre scale
BOTTOM = HEIGHT - 44  # y of the deepest tick
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


def _wrap(text: str, width: int) -> list[str]:
    """Words in lines of at most ``width`` characters (a longer word keeps its own line)."""
    rows: list[str] = []
    for word in text.split():
        if rows and len(rows[-1]) + 1 + len(word) <= width:
            rows[-1] += f" {word}"
        else:
            rows.append(word)
    return rows or [""]


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
    labels = [_wrap(t.name.split(" (")[0], 12) for t in treatments]
    top = 44 + 18 * (max((len(x) for x in labels), default=1) - 1) + 26

    def y_of(mm: float) -> float:
        return top + (BOTTOM - top) * mm / scale

    ids = f"dg-{escape(key)}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{ids}-t {ids}-d" focusable="false">',
        f'<title id="{ids}-t">{escape(title)}</title>',
        f'<desc id="{ids}-d">{escape(" ".join(lines))}</desc>',
        '<g font-family="system-ui, sans-serif" font-size="16" fill="#1d2a33">',
        '<text x="8" y="22" font-weight="700">Skin layers</text>',
        '<text x="8" y="40" font-size="14">(a sketch)</text>',
    ]
    y = float(top)
    for name, fill, share in LAYERS:
        h = (BOTTOM - top) * share
        parts.append(
            f'<rect x="8" y="{y:.1f}" width="{PANEL}" height="{h:.1f}" fill="{fill}" '
            'stroke="#8a6d5a" stroke-width="1"/>'
        )
        rows = _wrap(name, 10)
        first = y + h / 2 + 6 - 9 * (len(rows) - 1)
        parts += [
            f'<text x="16" y="{first + 18 * n:.1f}" font-size="15">{escape(row)}</text>'
            for n, row in enumerate(rows)
        ]
        y += h
    parts.append(
        f'<text x="{AXIS - 40}" y="22" font-weight="700">Depth reached (mm)</text>'
        f'<line x1="{AXIS - 40}" y1="{top}" x2="{WIDTH - 8}" y2="{top}" stroke="#4a5a66" '
        'stroke-dasharray="4 3"/>'
        f'<text x="{WIDTH - 8}" y="{top - 6}" text-anchor="end" font-size="13">skin surface</text>'
    )
    step = _step(scale)
    tick = 0.0
    while tick <= scale + 1e-9:
        ty = y_of(tick)
        parts.append(
            f'<line x1="{AXIS - 8}" y1="{ty:.1f}" x2="{AXIS}" y2="{ty:.1f}" stroke="#4a5a66"/>'
            f'<text x="{AXIS - 12}" y="{ty + 5:.1f}" text-anchor="end" font-size="14">'
            f"{number(tick)}</text>"
        )
        tick += step
    parts.append(f'<line x1="{AXIS}" y1="{top}" x2="{AXIS}" y2="{BOTTOM}" stroke="#4a5a66"/>')
    column = (WIDTH - 8 - AXIS - 8) / max(1, len(treatments))
    for i, t in enumerate(treatments):
        cx = AXIS + 8 + column * (i + 0.5)
        colour = COLOURS[i % len(COLOURS)]
        parts += [
            f'<text x="{cx:.1f}" y="{44 + 18 * n}" text-anchor="middle" fill="{colour}" '
            f'font-size="14" font-weight="700">{escape(row)}</text>'
            for n, row in enumerate(labels[i])
        ]
        depth = t.layer.depth_mm
        if depth is None:
            parts.append(
                f'<text x="{cx:.1f}" y="{top + 30}" text-anchor="middle" font-size="14">'
                "no depth given</text>"
            )
            continue
        y1, y2 = y_of(depth.min), y_of(depth.max)
        parts.append(
            f'<rect x="{cx - 18:.1f}" y="{y1:.1f}" width="36" height="{max(2.0, y2 - y1):.1f}" '
            f'rx="4" fill="{colour}"/>'
            f'<text x="{cx:.1f}" y="{min(y2 + 22, HEIGHT - 6):.1f}" text-anchor="middle" '
            f'font-size="15">{escape(depth_words(t).replace(" below the surface", ""))}</text>'
        )
    parts.append("</g></svg>")
    return Diagram(svg="".join(parts), title=title, lines=lines)
