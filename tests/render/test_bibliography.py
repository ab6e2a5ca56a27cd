"""Citations print cleanly; BibTeX and RIS carry every reference and parse back."""

from __future__ import annotations

import re

import bibtexparser
import rispy

from treatwise.knowledge import KnowledgeBase
from treatwise.knowledge.schema import Reference
from treatwise.render import bibliography as bib


def unescape(value: str) -> str:
    """Undo the LaTeX escapes BibTeX needs (\\% -> %)."""
    return re.sub(r"\\([&%$#_])", r"\1", value)


def ref(**fields: object) -> Reference:
    base: dict[str, object] = {
        "id": "r1",
        "title": "A Trial",
        "publisher": "Dermatol Surg",
        "study_type": "rct",
        "quality": "moderate",
        "doi": "10.1000/x1",
    }
    return Reference.model_validate(base | fields)


def test_citation_prints_the_year_once_and_no_double_full_stop() -> None:
    r = ref(
        authors="Soltani-Arabshahi R, et al.",
        year=2014,
        volume="150",
        issue="1",
        pages="68–72",
        publisher="JAMA Dermatol",
    )
    text = bib.citation(r)
    assert text == "Soltani-Arabshahi R, et al. A Trial. JAMA Dermatol, 2014;150(1):68–72."
    assert text.count("2014") == 1 and ".." not in text


def test_a_publisher_holding_the_year_prints_it_once() -> None:
    r = ref(publisher="Dermatol Surg 2017;43(3):321–339", year=2017)
    assert bib.citation(r) == "A Trial. Dermatol Surg 2017;43(3):321–339."


def test_study_types_read_as_words() -> None:
    assert bib.study_label(ref()) == "Randomised controlled trial"
    assert all(label[0].isupper() and label != "Rct" for label in bib.STUDY_LABELS.values())


def test_links_put_identifiers_first_and_skip_a_duplicate_page() -> None:
    r = ref(pmid="123", pmcid="PMC456", url="https://doi.org/10.1000/x1")
    assert [label for label, _ in bib.links(r)] == ["DOI 10.1000/x1", "PubMed 123", "PMC 456"]
    other = ref(doi=None, url="https://example.org/paper")
    assert bib.links(other) == [("Read it", "https://example.org/paper")]


def test_groups_put_regulators_first_and_better_quality_first(kb: KnowledgeBase) -> None:
    groups = bib.groups(kb.references.values())
    assert groups[0].slug == "regulators"
    assert sum(len(g.references) for g in groups) == len(kb.references)
    for group in groups:
        ranks = [bib.QUALITY_ORDER[r.quality] for r in group.references]
        assert ranks == sorted(ranks), group.slug


def test_bibtex_parses_back_one_entry_per_reference(kb: KnowledgeBase) -> None:
    library = bibtexparser.parse_string(bib.bibtex(kb.references.values()))
    assert library.failed_blocks == []
    entries = {entry.key: entry for entry in library.entries}
    assert set(entries) == set(kb.references)
    for ref_id, reference in kb.references.items():
        entry = entries[ref_id]
        assert unescape(entry.fields_dict["title"].value) == reference.title
        if reference.doi:
            assert unescape(entry.fields_dict["doi"].value) == reference.doi
        if reference.journal_type:
            assert entry.entry_type == "article"


def test_bibtex_turns_et_al_into_others() -> None:
    library = bibtexparser.parse_string(bib.bibtex([ref(authors="Alam M, Han S, et al.")]))
    assert library.entries[0].fields_dict["author"].value == "Alam M and Han S and others"


def test_ris_parses_back_one_record_per_reference(kb: KnowledgeBase) -> None:
    text = bib.ris(kb.references.values())
    assert text.startswith("TY  - ")
    records = rispy.loads(text)
    assert [r["id"] for r in records] == list(kb.references)
    for record, reference in zip(records, kb.references.values(), strict=True):
        assert record["title"] == reference.title
        assert record.get("doi") == reference.doi
        if reference.year:
            assert record["year"] == str(reference.year)


def test_citing_pages_name_treatments_articles_and_the_decision_aid(kb: KnowledgeBase) -> None:
    pages = bib.citing_pages(kb)
    paths = {p.path for found in pages.values() for p in found}
    assert {f"/treatments/{t}" for t in kb.treatments} <= paths
    assert any(p.startswith("/articles/") for p in paths)
    cited = set(pages)
    assert cited <= set(kb.references)
