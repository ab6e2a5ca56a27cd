"""Compare two treatments: ``compare(kb, a, b) -> Comparison``.

A :class:`Comparison` holds one :class:`Row` per question in :data:`ROWS`
(what it is, how it works, layer, application, what enters the skin, what it
treats with the evidence per concern, benefits, harms, procedure, sessions,
downtime, pain, who performs it, regulation, cost, combinations, who should
not have it, key differences, key similarities). Each row has a :class:`Cell`
for ``a`` and for ``b``: readable ``text``, the ``references`` (bibliography
ids) behind it, and structured ``items`` (one per concern, side effect,
contraindication...). Key differences and similarities are :class:`Contrast`
points derived from the data by the rules in ``contrasts.py``; nothing is
written per pair. Unknown or repeated ids raise :class:`CompareError`, which
names the argument and the valid ids. Pure: no I/O.
"""

from treatwise.domain.compare.build import compare
from treatwise.domain.compare.choice import compare_with, pair_errors, picker_errors, popular_pairs
from treatwise.domain.compare.contrasts import ALIKE_SHARE, MODALITY_LABELS, SLACK, alike, contrasts
from treatwise.domain.compare.values import (
    ROW_IDS,
    ROWS,
    Cell,
    CompareError,
    Comparison,
    Contrast,
    ContrastKind,
    Item,
    Row,
    Side,
)

__all__ = [
    "ALIKE_SHARE",
    "MODALITY_LABELS",
    "ROWS",
    "ROW_IDS",
    "SLACK",
    "Cell",
    "CompareError",
    "Comparison",
    "Contrast",
    "ContrastKind",
    "Item",
    "Row",
    "Side",
    "alike",
    "compare",
    "compare_with",
    "contrasts",
    "pair_errors",
    "picker_errors",
    "popular_pairs",
]
