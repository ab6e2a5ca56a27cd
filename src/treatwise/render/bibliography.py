"""The bibliography for readers and for reference managers: citations, BibTeX and RIS.

One formatter for every citation a page prints (no doubled years, no "et al..",
plain names for study types), the groups of ``/sources``, and the two export
formats, written with maintained libraries (``bibtexparser`` for BibTeX,
``rispy`` for RIS) so that what they write parses back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

import rispy
from bibtexparser.library import Library
from bibtexparser.model import Entry, Field
from bibtexparser.writer import write as write_bibtex

from treatwise.knowledge import KnowledgeBase
from treatwise.knowledge.schema import Reference, StudyType
from treatwise.knowledge.sources import practice_only
from treatwise.knowledge.words import CLINIC_NOTE, STUDY_LABELS, VERIFIED_LABELS

GROUPS: tuple[tuple[str, str, tuple[StudyType, ...]], ...] = (
    ("regulators", "Regulators and makers", ("regulatory",)),
    ("guidelines", "Guidelines and expert consensus", ("guideline", "consensus")),
    ("reviews", "Systematic reviews", ("systematic-review",)),
    ("trials", "Randomised controlled trials", ("rct",)),
    ("observational", "Observational studies and case reports", ("observational", "case-report")),
    ("narrative", "Narrative reviews", ("review",)),
    ("practice", "Clinic, consumer and news pages", ("clinic-page", "consumer-health", "news")),
)
"""How ``/sources`` groups the bibliography: strongest kind of source first."""
QUALITY_ORDER = {"high": 0, "moderate": 1, "low": 2}


def authors(ref: Reference) -> str:
    """The author list without a trailing full stop (the citation adds one)."""
    return (ref.authors or "").strip().rstrip(".").strip()


_ET_AL = re.compile(r",?\s*et al\.?$")


def author_names(ref: Reference) -> list[str]:
    """The authors one by one; "et al." becomes "others" (BibTeX's and RIS's word for it)."""
    text = authors(ref)
    names = [a.strip() for a in _ET_AL.sub("", text).split(",") if a.strip()]
    return [*names, "others"] if names and _ET_AL.search(text) else names


def study_label(ref: Reference) -> str:
    """Plain words for the kind of source."""
    return STUDY_LABELS[ref.study_type]


def source_detail(ref: Reference) -> str:
    """Publisher, year, volume(issue):pages: "Dermatol Surg, 2017;43(3):321–339"."""
    out = ref.publisher.strip().rstrip(".")
    if ref.year and not re.search(rf"(^|\D){ref.year}(\D|$)", out):
        out += f", {ref.year}"  # a publisher that already holds the year keeps it once
    if ref.volume or ref.issue:
        out += ";" if ref.year else ", "
        out += (ref.volume or "") + (f"({ref.issue})" if ref.issue else "")
    if ref.pages:
        out += f":{ref.pages}" if (ref.volume or ref.issue) else f", {ref.pages}"
    return out


def citation(ref: Reference) -> str:
    """One line of plain text: authors. Title. Publisher, year;volume(issue):pages."""
    title = ref.title.strip()
    parts = [
        authors(ref),
        title if title.endswith(("?", "!", ".")) else title + ".",
        source_detail(ref),
    ]
    return " ".join(p if p.endswith((".", "?", "!")) else p + "." for p in parts if p)


def doi_url(ref: Reference) -> str | None:
    return f"https://doi.org/{ref.doi}" if ref.doi else None


def pubmed_url(ref: Reference) -> str | None:
    return f"https://pubmed.ncbi.nlm.nih.gov/{ref.pmid}/" if ref.pmid else None


def pmc_url(ref: Reference) -> str | None:
    return f"https://pmc.ncbi.nlm.nih.gov/articles/{ref.pmcid}/" if ref.pmcid else None


def link(ref: Reference) -> str | None:
    """The one address a citation links to: the DOI, else PubMed, else the page itself."""
    return doi_url(ref) or pubmed_url(ref) or ref.url


def links(ref: Reference) -> list[tuple[str, str]]:
    """(label, address) for each identifier, then the page when it adds something."""
    out = [
        (label, url)
        for label, url in (
            (f"DOI {ref.doi}", doi_url(ref)),
            (f"PubMed {ref.pmid}", pubmed_url(ref)),
            (f"PMC {ref.pmcid[3:]}" if ref.pmcid else "", pmc_url(ref)),
        )
        if url
    ]
    known = {url.rstrip("/") for _, url in out}
    if ref.url and ref.url.rstrip("/") not in known:
        out.append(("Source page" if out else "Read it", ref.url))
    return out


CONFIRMED = ("pubmed", "pmc", "publisher", "crossref")
"""``verified`` values that mean a journal record was read."""


def confirmed_identifier(ref: Reference) -> bool:
    """A DOI or PMID checked against the article's own record."""
    return bool(ref.doi or ref.pmid) and ref.verified in CONFIRMED


def verification(ref: Reference) -> str | None:
    """How the record was confirmed, in words; the reason when it could not be."""
    if ref.verified == "none" or ref.unverified:
        return f"Not confirmed: {ref.unverified}" if ref.unverified else None
    return VERIFIED_LABELS.get(ref.verified or "")


@dataclass(frozen=True)
class Page:
    """A page of the site that cites a reference."""

    title: str
    path: str


def citing_pages(kb: KnowledgeBase) -> dict[str, list[Page]]:
    """Reference id → the treatment pages and articles that cite it, in site order."""
    out: dict[str, list[Page]] = {}

    def add(ids: Iterable[str], page: Page) -> None:
        for ref_id in ids:
            pages = out.setdefault(ref_id, [])
            if page not in pages:
                pages.append(page)

    for treatment in sorted(kb.treatments.values(), key=lambda t: t.name):
        page = Page(treatment.name, f"/treatments/{treatment.id}")
        add(_reference_ids(treatment.model_dump(by_alias=True)), page)
    for article in sorted(kb.articles.values(), key=lambda a: a.title):
        add(article.references, Page(article.title, f"/articles/{article.slug}"))
    decide = Page("Decision aid", "/decide")
    add(_reference_ids([c.model_dump() for c in kb.conditions.values()]), decide)
    add(_reference_ids(kb.rules.model_dump()), decide)
    return out


def _reference_ids(data: object) -> Iterator[str]:
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "references" and isinstance(value, list | tuple):
                yield from (v for v in value if isinstance(v, str))
            else:
                yield from _reference_ids(value)
    elif isinstance(data, list | tuple):
        for value in data:
            yield from _reference_ids(value)


@dataclass(frozen=True)
class Group:
    """One section of ``/sources``: a kind of source, its references best quality first."""

    slug: str
    title: str
    references: tuple[Reference, ...]


def groups(references: Iterable[Reference]) -> list[Group]:
    """The bibliography by kind (strongest first), then quality, year (newest) and title."""
    refs = list(references)
    out = []
    for slug, title, types in GROUPS:
        members = sorted(
            (r for r in refs if r.study_type in types),
            key=lambda r: (QUALITY_ORDER[r.quality], -(r.year or 0), r.title.lower()),
        )
        if members:
            out.append(Group(slug, title, tuple(members)))
    return out


def clinic_only(ids: Iterable[str], references: Mapping[str, Reference]) -> bool:
    """A statement citing these ids rests only on clinic, seller, consumer or news pages."""
    return practice_only(tuple(ids), references)


# -- BibTeX and RIS ------------------------------------------------------------------------

_BIBTEX_TYPES: Mapping[StudyType, str] = {
    "regulatory": "misc",
    "clinic-page": "online",
    "consumer-health": "online",
    "news": "online",
}
_RIS_TYPES: Mapping[StudyType, str] = {
    "regulatory": "GOVDOC",
    "clinic-page": "ELEC",
    "consumer-health": "ELEC",
    "news": "NEWS",
}


def _bibtex_value(text: str) -> str:
    """Escape the characters BibTeX and LaTeX read specially."""
    for char in ("\\", "{", "}"):
        text = text.replace(char, "")
    for char in ("&", "%", "$", "#", "_"):
        text = text.replace(char, "\\" + char)
    return text


def bibtex(references: Iterable[Reference]) -> str:
    """One BibTeX entry per reference (key: the reference id), written by bibtexparser."""
    library = Library()
    for ref in references:
        kind = _BIBTEX_TYPES.get(ref.study_type, "article")
        fields = {
            "title": ref.title,
            "author": " and ".join(author_names(ref)),
            ("journal" if kind == "article" else "publisher"): ref.publisher,
            "year": str(ref.year) if ref.year else "",
            "volume": ref.volume or "",
            "number": ref.issue or "",
            "pages": (ref.pages or "").replace("–", "--"),
            "doi": ref.doi or "",
            "pmid": ref.pmid or "",
            "pmcid": ref.pmcid or "",
            "url": ref.url or link(ref) or "",
            "note": study_label(ref),
        }
        entry_fields = [Field(k, "{" + _bibtex_value(v) + "}") for k, v in fields.items() if v]
        library.add(Entry(kind, ref.id, entry_fields))
    return write_bibtex(library)


def ris(references: Iterable[Reference]) -> str:
    """One RIS record per reference (ID: the reference id), written by rispy."""
    records = []
    for ref in references:
        record: dict[str, object] = {
            "type_of_reference": _RIS_TYPES.get(ref.study_type, "JOUR"),
            "id": ref.id,
            "title": ref.title,
            "secondary_title": ref.publisher,
            "notes": [study_label(ref)],
        }
        names = [n for n in author_names(ref) if n != "others"]
        optional: dict[str, object] = {
            "authors": names,
            "year": str(ref.year) if ref.year else None,
            "volume": ref.volume,
            "number": ref.issue,
            "doi": ref.doi,
            "urls": [u for u in (ref.url or link(ref),) if u],
        }
        if ref.pages:
            first, _, last = ref.pages.replace("--", "–").partition("–")
            optional["start_page"] = first
            optional["end_page"] = last or None
        if ref.pmid:
            optional["accession_number"] = ref.pmid
        record.update({k: v for k, v in optional.items() if v})
        records.append(record)
    text: str = rispy.dumps(records, implementation=_RisWriter)
    return text


class _RisWriter(rispy.RisWriter):  # type: ignore[misc]  # rispy ships no type hints
    """RIS without rispy's "1." line before each record (not part of the format)."""

    def set_header(self, count: int) -> str:  # noqa: ARG002 (rispy calls it with the count)
        return ""


__all__ = [
    "CLINIC_NOTE",
    "GROUPS",
    "STUDY_LABELS",
    "Group",
    "Page",
    "authors",
    "bibtex",
    "citation",
    "citing_pages",
    "clinic_only",
    "confirmed_identifier",
    "groups",
    "link",
    "links",
    "ris",
    "source_detail",
    "study_label",
    "verification",
]
