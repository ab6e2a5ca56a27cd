"""``compare(kb, a, b)``: two treatments side by side, row by row, with key points."""

from __future__ import annotations

from collections.abc import Iterable

from treatwise.domain.compare.cells import BUILDERS
from treatwise.domain.compare.choice import pair_errors
from treatwise.domain.compare.contrasts import contrasts
from treatwise.domain.compare.values import (
    ROWS,
    Cell,
    Comparison,
    Contrast,
    Item,
    Row,
    Side,
    unique,
)
from treatwise.knowledge.loader import KnowledgeBase


def compare(kb: KnowledgeBase, a: str, b: str) -> Comparison:
    """Compare treatments ``a`` and ``b``; :class:`CompareError` for an unknown or repeated id."""
    if errors := pair_errors(kb, a, b):
        raise errors[0]
    first, second = kb.treatments[a], kb.treatments[b]
    points = contrasts(kb, first, second)
    differences = tuple(p for p in points if p.differs)
    similarities = tuple(p for p in points if not p.differs)
    keyed = {"key-differences": differences, "key-similarities": similarities}
    rows = []
    for row_id, label in ROWS:
        if row_id in keyed:
            rows.append(
                Row(row_id, label, _key_cell(keyed[row_id], "a"), _key_cell(keyed[row_id], "b"))
            )
        else:
            build = BUILDERS[row_id]
            rows.append(Row(row_id, label, build(kb, first), build(kb, second)))
    return Comparison(first, second, tuple(rows), differences, similarities)


def _key_cell(points: Iterable[Contrast], side: Side) -> Cell:
    items = tuple(
        Item(
            p.label,
            p.a if side == "a" else p.b,
            p.references,
            tag=p.a_key if side == "a" else p.b_key,
        )
        for p in points
    )
    if not items:
        return Cell("None found in the data.", ())
    text = "; ".join(f"{item.label}: {item.text}" for item in items)
    return Cell(text + ".", unique(r for item in items for r in item.references), items)
