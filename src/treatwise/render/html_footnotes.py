"""Numbered footnotes for an HTML page: each cited reference gets a number on first use.

A page calls :meth:`Footnotes.cite` where a statement cites references (in
reading order) and lists :attr:`Footnotes.entries` at the end, so the
numbers in the text and the list below always agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from treatwise.knowledge.schema import Reference


@dataclass(frozen=True)
class Footnote:
    """One numbered entry of a page's reference list."""

    number: int
    reference: Reference

    @property
    def anchor(self) -> str:
        return f"ref-{self.reference.id}"

    @property
    def link(self) -> str | None:
        """Where a reader can find the source: URL, else DOI, else PubMed."""
        ref = self.reference
        if ref.url:
            return ref.url
        if ref.doi:
            return f"https://doi.org/{ref.doi}"
        if ref.pmid:
            return f"https://pubmed.ncbi.nlm.nih.gov/{ref.pmid}/"
        return None


class Footnotes:
    """Assigns numbers to references in the order a page cites them."""

    def __init__(self, references: Mapping[str, Reference]) -> None:
        self._references = references
        self._numbers: dict[str, Footnote] = {}

    def cite(self, ids: Iterable[str]) -> list[Footnote]:
        """The footnotes for these ids, numbering the new ones; unknown ids are skipped."""
        out: list[Footnote] = []
        for ref_id in ids:
            note = self._numbers.get(ref_id)
            if note is None:
                reference = self._references.get(ref_id)
                if reference is None:
                    continue
                note = Footnote(len(self._numbers) + 1, reference)
                self._numbers[ref_id] = note
            if note not in out:
                out.append(note)
        return out

    @property
    def entries(self) -> list[Footnote]:
        """Every footnote cited so far, by number."""
        return sorted(self._numbers.values(), key=lambda note: note.number)
