"""The comparison as values: rows of two cells, items, contrasts, and the error for bad ids."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

from treatwise.knowledge.schema import Treatment

Side = Literal["a", "b"]
ContrastKind = Literal[
    "category",
    "modality",
    "depth",
    "evidence",
    "sessions",
    "interval",
    "downtime",
    "results",
    "pain",
    "cost",
    "contraindication",
]

ROWS: tuple[tuple[str, str], ...] = (
    ("what-it-is", "What it is"),
    ("mechanism", "How it works"),
    ("layer", "Skin layer reached"),
    ("application", "How it is applied"),
    ("what-enters-skin", "What enters the skin"),
    ("treats", "What it treats (evidence per concern)"),
    ("benefits", "Benefits"),
    ("harms", "Harms (side effects)"),
    ("procedure", "Procedure"),
    ("sessions", "Sessions and interval"),
    ("downtime", "Downtime"),
    ("pain", "Pain"),
    ("practitioners", "Who performs it"),
    ("regulation", "Regulation"),
    ("cost", "Cost"),
    ("combinations", "Combinations"),
    ("contraindications", "Who should not have it"),
    ("key-differences", "Key differences"),
    ("key-similarities", "Key similarities"),
)
"""Row ids and labels, in reading order (a stable part of the JSON document)."""

ROW_IDS: tuple[str, ...] = tuple(row_id for row_id, _ in ROWS)


@dataclass(frozen=True)
class Item:
    """One entry of a cell: a concern with its evidence, a side effect, a contraindication...

    ``tag`` is a machine value from the vocabulary (an evidence level, a
    severity, a contraindication level); ``detail`` is secondary text (what is
    uncertain, how often, for which concerns).
    """

    label: str
    text: str
    references: tuple[str, ...]
    tag: str | None = None
    detail: str = ""


@dataclass(frozen=True)
class Cell:
    """What one treatment says for one row: readable text, its sources, and its items."""

    text: str
    references: tuple[str, ...]
    items: tuple[Item, ...] = ()


@dataclass(frozen=True)
class Row:
    """One line of the comparison: the same question answered for ``a`` and for ``b``."""

    id: str
    label: str
    a: Cell
    b: Cell

    def cell(self, side: Side) -> Cell:
        """The cell of one side."""
        return self.a if side == "a" else self.b


@dataclass(frozen=True)
class Contrast:
    """One data-derived point on which the two treatments differ or agree.

    ``subject`` is the concern, condition or modality flag id the point is
    about ("" for whole-treatment points such as downtime). ``a``/``b`` are
    readable values, ``a_key``/``b_key`` the machine values behind them (an
    evidence level, ``yes``/``no``, ``min-max``...). ``more`` names the side
    that has more of it (deeper, longer, costlier, stricter, better
    supported, has the flag), or None when neither does.
    """

    kind: ContrastKind
    subject: str
    label: str
    a: str
    b: str
    a_key: str
    b_key: str
    more: Side | None
    differs: bool
    references: tuple[str, ...]


@dataclass(frozen=True)
class Comparison:
    """Two treatments side by side; every cell and contrast carries its references."""

    a: Treatment
    b: Treatment
    rows: tuple[Row, ...]
    differences: tuple[Contrast, ...]
    similarities: tuple[Contrast, ...]

    def row(self, row_id: str) -> Row:
        """The row with this id; KeyError names the valid row ids."""
        for row in self.rows:
            if row.id == row_id:
                return row
        raise KeyError(f"unknown row {row_id!r}; valid: {', '.join(ROW_IDS)}")

    def treatment(self, side: Side) -> Treatment:
        """The treatment on one side."""
        return self.a if side == "a" else self.b

    @property
    def references(self) -> tuple[str, ...]:
        """Every reference id cited, in reading order (row by row, a before b), each once."""
        return unique(ref for row in self.rows for cell in (row.a, row.b) for ref in _refs(cell))


class CompareError(ValueError):
    """The two ids cannot be compared: ``field`` names the argument, ``valid`` the choices."""

    def __init__(self, field: str, message: str, valid: Iterable[str] = ()) -> None:
        self.field = field
        self.message = message
        self.valid = tuple(valid)
        suffix = f"; valid ids: {', '.join(self.valid)}" if self.valid else ""
        super().__init__(f"{field}: {message}{suffix}")


def _refs(cell: Cell) -> Iterator[str]:
    yield from cell.references
    for item in cell.items:
        yield from item.references


def unique(values: Iterable[str]) -> tuple[str, ...]:
    """The values in first-seen order, each once."""
    return tuple(dict.fromkeys(values))
