"""The source policy: refused links, identifiers, labels from labels, clinic pages.

Unit tests call ``sources.refusal`` on addresses; the loader tests copy the
packaged knowledge base into a temporary folder, break one thing, and check
that ``load`` (or ``kb validate``) refuses it, naming the file and field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from support.kbcopy import edit_yaml, problems_of
from typer.testing import CliRunner

from treatwise.cli import app
from treatwise.knowledge import KnowledgeBase, load
from treatwise.knowledge.sources import (
    REFUSED_HOSTS,
    clinic_only_statements,
    label_source,
    reference_findings,
    refusal,
)

# --- refused addresses ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("https://www.scribd.com/document/392855998/x", "document-sharing"),
        ("https://ar.scribd.com/document/298139244", "document-sharing"),
        ("https://pdfslide.net/documents/x.html", "document-sharing"),
        ("https://vdocuments.site/x.html", "document-sharing"),
        ("https://dokumen.tips/documents/x", "document-sharing"),
        ("https://www.studocu.com/en-gb/document/x", "document-sharing"),
        ("https://www.coursehero.com/file/1/x", "document-sharing"),
        ("https://www.academia.edu/12345/x", "document-sharing"),
        ("https://ouci.dntb.gov.ua/works/45263DDl", "mirror"),
        ("https://proxy.weglot.com/wg_1/en/es/pubmed.ncbi.nlm.nih.gov/1", "proxy"),
        ("https://onlinelibrary-wiley-com-443.webvpn.zafu.edu.cn/doi/full/10.1111/x", "VPN"),
        ("https://www-ncbi-nlm-nih-gov.ezproxy.example.edu/pubmed/1", "proxy"),
        ("https://sci-hub.se/10.1000/x", "pirate"),
        ("https://libgen.is/book/x", "pirate"),
        ("https://grokipedia.com/page/skin_pen", "AI-written"),
        ("https://www.droracle.ai/articles/1/x", "AI-written"),
        ("https://discovery.researcher.life/article/x", "aggregator"),
        ("https://cricutcom-setup.com/2079-9284/11/6/193", "unrelated"),
        ("https://qa00.mdedge.com/dermatology/article/1", "test or staging"),
        ("https://wwwnc-origin.cdc.gov/eid/article/19/9/12-0898_article", "origin server"),
        ("https://ncbi.nlm.nih.gov./books/NBK501419/", "trailing dot"),
    ],
)
def test_refused_hosts_and_patterns(url: str, why: str) -> None:
    reason = refusal(url)
    assert reason is not None and why in reason, (url, reason)


@pytest.mark.parametrize(
    "url",
    ["http://47.251.13.51:8081/38561575", "https://[2001:db8::1]/paper", "https://10.0.0.1/x"],
)
def test_a_bare_ip_address_is_refused(url: str) -> None:
    assert refusal(url) == "a bare IP address, not a publisher's or regulator's site"


@pytest.mark.parametrize(
    "url",
    [
        "https://doi.org/10.1097/DSS.0000000000000924",
        "https://pubmed.ncbi.nlm.nih.gov/28796657/",
        "https://pmc.ncbi.nlm.nih.gov/articles/PMC7764156/",
        "https://www.accessdata.fda.gov/scripts/cdrh/cfdocs/cfpmn/denovo.cfm?id=DEN160029",
        "https://dailymed.nlm.nih.gov/dailymed/lookup.cfm?setid=x",
        "https://www.medicines.org.uk/emc/product/5781/smpc",
        "https://www.federalregister.gov/d/2018-12335",
        "https://www.cdc.gov/mmwr/volumes/73/wr/mm7316a3.htm",
        "https://jcadonline.com/automated-microneedling-acne-scarring/",
        "https://testosterone-clinic.example.com/x",  # "test" only as a label of its own
    ],
)
def test_canonical_addresses_are_accepted(url: str) -> None:
    assert refusal(url) is None


def test_every_listed_host_and_its_subdomains_are_refused() -> None:
    for host in REFUSED_HOSTS:
        assert refusal(f"https://{host}/x") is not None, host
        assert refusal(f"https://www.{host}/x") is not None, host


# --- the packaged bibliography follows the policy ---------------------------------------


def test_no_reference_links_to_a_refused_host(kb: KnowledgeBase) -> None:
    bad = {r.id: r.url for r in kb.references.values() if r.url and refusal(r.url)}
    assert bad == {}
    for ref in kb.references.values():
        assert not list(reference_findings(ref)), ref.id


def test_most_journal_references_carry_a_confirmed_identifier(kb: KnowledgeBase) -> None:
    journal = [r for r in kb.references.values() if r.journal_type]
    unexplained = [r.id for r in journal if not (r.doi or r.pmid) and not r.unverified]
    assert unexplained == []
    for ref in journal:
        if ref.verified == "none":
            assert ref.unverified, ref.id


def test_every_label_source_is_the_regulators_or_makers_or_says_why_not(
    kb: KnowledgeBase,
) -> None:
    for ref in kb.references.values():
        if ref.study_type == "regulatory":
            assert label_source(ref) or ref.unverified, ref.id


# --- the loader refuses each breach, naming file and field -------------------------------


def set_reference(data_dir: Path, ref_id: str, **changes: Any) -> None:
    def change(data: Any) -> None:
        ref = next(r for r in data["references"] if r["id"] == ref_id)
        for key, value in changes.items():
            if value is None:
                ref.pop(key, None)
            else:
                ref[key] = value

    edit_yaml(data_dir / "references.yaml", change)


def test_loader_refuses_a_document_sharing_copy(data_dir: Path) -> None:
    set_reference(data_dir, "s03", url="https://www.scribd.com/document/1/copy")
    problems = problems_of(data_dir)
    assert any("s03.url" in p and "document-sharing" in p for p in problems), problems


def test_loader_refuses_a_mirror_named_in_a_note(data_dir: Path) -> None:
    set_reference(data_dir, "s03", note="Also: https://ouci.dntb.gov.ua/works/x")
    assert any("s03.note" in p and "mirror" in p for p in problems_of(data_dir))


def test_loader_refuses_a_bare_ip_address(data_dir: Path) -> None:
    set_reference(data_dir, "s03", url="http://47.251.13.51:8081/33376377")
    assert any("s03.url" in p and "bare IP" in p for p in problems_of(data_dir))


def test_loader_refuses_a_journal_reference_without_identifier_or_reason(data_dir: Path) -> None:
    set_reference(data_dir, "s03", doi=None, pmid=None, pmcid=None, unverified=None)
    problems = problems_of(data_dir)
    assert any("s03.doi" in p and "needs a DOI or PMID" in p for p in problems), problems


def test_a_recorded_reason_stands_in_for_a_missing_identifier(data_dir: Path) -> None:
    set_reference(
        data_dir,
        "s03",
        doi=None,
        pmid=None,
        pmcid=None,
        verified="none",
        unverified="No PubMed record was found; only copies turned up.",
    )
    assert load(data_dir).references["s03"].unverified


def test_verified_none_needs_a_reason(data_dir: Path) -> None:
    set_reference(data_dir, "s03", verified="none", unverified=None)
    assert any("needs an 'unverified' reason" in p for p in problems_of(data_dir))


def test_a_label_source_on_the_regulators_site_needs_no_more(data_dir: Path) -> None:
    set_reference(data_dir, "s33", verified=None, unverified=None)
    assert load(data_dir).references["s33"].url.startswith("https://www.accessdata.fda.gov/")


def test_loader_refuses_a_label_source_not_read_at_the_regulator(data_dir: Path) -> None:
    set_reference(
        data_dir, "s33", verified=None, unverified=None, url="https://clinic.example.com/skinpen"
    )
    problems = problems_of(data_dir)
    assert any("s33.verified" in p and "regulator" in p for p in problems), problems


def _cite_only_a_clinic_page(data_dir: Path, field: str) -> None:
    def change(data: Any) -> None:
        entry = data[field][0] if isinstance(data[field], list) else data[field]
        entry["references"] = ["s39"]  # a clinic page

    edit_yaml(data_dir / "treatments" / "microneedling.yaml", change)


@pytest.mark.parametrize("field", ["indications", "regulation"])
def test_loader_refuses_an_indication_or_label_claim_resting_on_a_clinic_page(
    data_dir: Path, field: str
) -> None:
    _cite_only_a_clinic_page(data_dir, field)
    problems = problems_of(data_dir)
    assert any(
        p.startswith(f"treatments/microneedling.yaml: {field}[0]: rests only on a clinic")
        for p in problems
    ), problems


def test_a_clinic_page_alone_under_a_medical_statement_is_a_warning(data_dir: Path) -> None:
    _cite_only_a_clinic_page(data_dir, "side_effects")
    kb = load(data_dir)
    flagged = {(f.file, f.field) for f in clinic_only_statements(kb)}
    assert ("treatments/microneedling.yaml", "side_effects[0]") in flagged
    result = CliRunner().invoke(app, ["kb", "validate", "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.output
    assert "warning: treatments/microneedling.yaml: side_effects[0]: a medical statement" in (
        result.output
    )
    assert "rest only on clinic pages" in result.output


def test_a_clinic_page_may_carry_prices_alone(data_dir: Path) -> None:
    def change(data: Any) -> None:
        data["cost"]["references"] = ["s39"]

    edit_yaml(data_dir / "treatments" / "microneedling.yaml", change)
    kb = load(data_dir)
    assert not [f for f in clinic_only_statements(kb) if f.field.startswith("cost")]


def test_a_study_next_to_the_clinic_page_clears_the_statement(data_dir: Path) -> None:
    def change(data: Any) -> None:
        data["side_effects"][0]["references"] = ["s39", "s04"]

    edit_yaml(data_dir / "treatments" / "microneedling.yaml", change)
    kb = load(data_dir)
    flagged = {f.field for f in clinic_only_statements(kb) if "microneedling" in f.file}
    assert "side_effects[0]" not in flagged


# --- the docs say what the code does ---------------------------------------------------

DOC = Path(__file__).resolve().parents[2] / "docs" / "sources.md"


def test_every_refused_host_and_pattern_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert [h for h in REFUSED_HOSTS if f"`{h}`" not in text] == []
    from treatwise.knowledge.sources import REFUSED_PATTERNS

    assert [p.pattern for p, _ in REFUSED_PATTERNS if f"`{p.pattern}`" not in text] == []


def test_the_documented_count_of_clinic_only_statements_is_current(kb: KnowledgeBase) -> None:
    text = DOC.read_text(encoding="utf-8")
    count = len(clinic_only_statements(kb))
    assert f"readers as from clinics' own lists): **{count}** *(tested)*" in text


def test_the_documented_identifier_and_label_counts_are_current(kb: KnowledgeBase) -> None:
    text = DOC.read_text(encoding="utf-8")
    refs = list(kb.references.values())
    journal = [r for r in refs if r.journal_type]
    confirmed = [
        r
        for r in journal
        if (r.doi or r.pmid) and r.verified in ("pubmed", "pmc", "publisher", "crossref")
    ]
    labels = [r for r in refs if r.study_type == "regulatory"]
    read = [r for r in labels if label_source(r)]
    assert f"**{len(confirmed)} of {len(journal)}** *(tested)*" in text
    assert f"**{len(read)} of {len(labels)}** *(tested)*" in text
