"""``compare(kb, a, b)``: two treatments side by side, row by row, with key points."""

from __future__ import annotations

from collections.abc import Iterable

from treatwise.domain.compare.cells import BUILDERS
from treatwise.domain.compare.contrasts import contrasts
from treatwise.domain.compare.values import (
    ROWS,
    Cell,
    CompareError,
    Comparison,
    Contrast,
    Item,
    Row,
    Side,
    unique,
)
from treatwise.knowledge.loader import KnowledgeBase
from treatwise.knowledge.schema import Treatment


def compare(kb: KnowledgeBase, a: str, b: str) -> Comparison:
    """Compare treatments ``a`` and ``b``; :class:`CompareError` for an unknown or repeated id."""
    first, second = _treatment(kb, "a", a), _treatment(kb, "b", b)
    if a == b:
        raise CompareError("b", "choose two different treatments", sorted(kb.treatments))
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


def _treatment(kb: KnowledgeBase, field: str, treatment_id: str) -> Treatment:
    treatment = kb.treatments.get(treatment_id)
    if treatment is None:
        raise CompareError(field, f"unknown treatment {treatment_id!r}", sorted(kb.treatments))
    return treatment


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
