"""Source policy: which links a clinician would accept, and what a clinic page may support.

The loader runs :func:`check` on every load; ``kb validate`` prints its
warnings. The rules, in the order they are checked:

1. **Refused links.** A reference's ``url`` (and any address in its ``note``)
   may not point to a document-sharing copy, a proxy or mirror, an AI-written
   or aggregator page, or a site unrelated to the source (:data:`REFUSED_HOSTS`,
   :data:`REFUSED_PATTERNS`), nor to a bare IP address. Cite the DOI resolver,
   PubMed/PMC, the publisher, the regulator or the maker instead.
2. **Identifiers.** A journal-type reference (``schema.JOURNAL_TYPES``) carries
   a DOI or a PMID, or says in ``unverified`` why none could be confirmed.
   **Labels from labels:** a ``regulatory`` reference was read on the
   regulator's or the maker's own site (``verified: regulator`` or ``maker``,
   or a ``url`` on :data:`LABEL_HOSTS`), or says in ``unverified`` what weaker
   source it is.
3. **Clinic pages say what clinics do.** A clinic, seller, consumer or news
   page (``schema.PRACTICE_TYPES``) may not be the only support of an
   indication (its evidence level) or a regulation/label claim: refused. As the
   only support of any other medical statement it is a warning, and readers
   see "from clinics' own lists, not from studies" next to that statement.
   Prices and what clinics offer (``cost``, ``procedure``) are practice
   statements: a clinic page may carry them alone.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from treatwise.knowledge.schema import Reference

if TYPE_CHECKING:
    from treatwise.knowledge.loader import KnowledgeBase

REFUSED_HOSTS: Mapping[str, str] = {
    # Document-sharing sites: copies uploaded by third parties, often pirated.
    "scribd.com": "a document-sharing copy",
    "pdfslide.net": "a document-sharing copy",
    "pdfslide.tips": "a document-sharing copy",
    "vdocuments.site": "a document-sharing copy",
    "vdocuments.net": "a document-sharing copy",
    "vdocuments.mx": "a document-sharing copy",
    "dokumen.tips": "a document-sharing copy",
    "dokumen.pub": "a document-sharing copy",
    "studocu.com": "a document-sharing copy",
    "coursehero.com": "a document-sharing copy",
    "academia.edu": "a document-sharing copy",
    "docslib.org": "a document-sharing copy",
    "doczz.it": "a document-sharing copy",
    "doczz.net": "a document-sharing copy",
    "slideum.com": "a document-sharing copy",
    "slideshare.net": "a document-sharing copy",
    "zanotowane.pl": "a document-sharing copy",
    "silo.tips": "a document-sharing copy",
    "idoc.pub": "a document-sharing copy",
    "pdfcoffee.com": "a document-sharing copy",
    "easymanua.ls": "a copy of a maker's manual (cite the maker or the regulator)",
    "manualslib.com": "a copy of a maker's manual (cite the maker or the regulator)",
    "researchgate.net": "an author-uploaded copy (cite the publisher's record)",
    # Proxies, mirrors and scraped copies of databases.
    "ouci.dntb.gov.ua": "a mirror of Crossref records",
    "proxy.weglot.com": "a translation proxy",
    "sci-hub.se": "a pirate mirror",
    "sci-hub.ru": "a pirate mirror",
    "sci-hub.st": "a pirate mirror",
    "libgen.is": "a pirate mirror",
    "libgen.rs": "a pirate mirror",
    "api-pubmed-ncbi.laibokeji.com": "a scraped mirror of PubMed",
    "chigaco.vukou.com": "a scraped mirror of PubMed",
    "ngdc.cncb.ac.cn": "a mirror of PubMed records",
    "acnpsearch.tweb-dev.unibo.it": "a development copy of a catalogue",
    "insights.ovid.com": "a subscription gateway (cite the publisher or PubMed)",
    "springermedicine.com": "a reseller copy (cite the publisher)",
    # AI-written pages and aggregators.
    "grokipedia.com": "an AI-written page",
    "droracle.ai": "an AI-written page",
    "clinicalcommander.com": "an AI-written page",
    "biologyinsights.com": "an AI-written page",
    "discovery.researcher.life": "an aggregator",
    "aminer.org": "an aggregator",
    "litmetric.com": "an aggregator",
    "bohrium.dp.tech": "an aggregator",
    "tressless.com": "an aggregator of study summaries",
    "510k.innolitics.com": "an aggregator of FDA records (cite FDA's database)",
    "trial.medpath.com": "an aggregator of trial records (cite ClinicalTrials.gov)",
    "rxreasoner.com": "an aggregator of drug labels (cite the regulator)",
    "mdtodate.com": "an aggregator of drug labels (cite the regulator)",
    "plasticsurgerykey.com": "an unlicensed copy of book chapters",
    "skin-disease-care.com": "a content farm",
    "healthfan.biz": "a content farm",
    "verylinks.online": "a content farm",
    "pepscribe.com": "a content farm",
    "cosmeticsurgery.best": "a content farm",
    "burdittbloomvigor.blogspot.com": "a content farm",
    "wellaholic.com": "a salon's summary of a study (cite the study)",
    # Unrelated sites.
    "cricutcom-setup.com": "an unrelated site",
    "baredmonkey.com": "an unrelated site",
    "sigmaaldrich.com": "an unrelated site",
    "tsijournals.com": "a predatory publisher's site",
    "regulations.justia.com": "a law firm's copy (cite the Federal Register)",
}
"""Hosts never cited, with why; a subdomain of a listed host is refused too."""

REFUSED_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(^|[.-])(ez)?proxy[.-]|ezproxy"), "a library proxy"),
    (re.compile(r"webvpn|(^|\.)vpn\."), "a university VPN gateway"),
    (re.compile(r"-443\.|-80\.|\.libproxy\."), "a rewriting proxy"),
    (re.compile(r"sci-?hub|libgen|library\.lol"), "a pirate mirror"),
    (
        re.compile(r"manualslib|manualzz|manualshive|docplayer|studylib|studyres|paperzz|yumpu"),
        "a document-sharing copy",
    ),
    (re.compile(r"(^|\.)(qa|dev|staging|test)[0-9]*[.-]"), "a test or staging copy"),
    (
        re.compile(r"-origin\.|(^|\.)origin\.|[0-9]-ma[0-9]\."),
        "an origin server, not the public site",
    ),
    (re.compile(r"\.$"), "a malformed host name (trailing dot)"),
)
"""Host patterns refused whatever the domain: proxies, VPNs, pirate mirrors, origins."""

_URL = re.compile(r"https?://[^\s'\")<>]+")


def refusal(url: str) -> str | None:
    """Why this address may not be cited, or None when it may."""
    host = (urlsplit(url).hostname or "").lower()
    if not host:
        return "not a web address"
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    else:
        return "a bare IP address, not a publisher's or regulator's site"
    for pattern, why in REFUSED_PATTERNS:
        if pattern.search(urlsplit(url).netloc.lower()):
            return why
    labels = host.rstrip(".").split(".")
    for start in range(len(labels) - 1):
        listed = REFUSED_HOSTS.get(".".join(labels[start:]))
        if listed:
            return listed
    return None


@dataclass(frozen=True)
class Finding:
    """One breach of the source policy; ``error`` ones stop the load, others are warnings."""

    file: str
    field: str
    message: str
    error: bool


def label_source(ref: Reference) -> bool:
    """Read on the regulator's or the maker's own site (recorded, or by its address)."""
    if ref.verified in LABEL_SOURCES:
        return True
    host = (urlsplit(ref.url or "").hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in LABEL_HOSTS)


def reference_findings(ref: Reference) -> Iterator[tuple[str, str]]:
    """(field, message) for every refused link and missing identifier of one reference."""
    if ref.url and (why := refusal(ref.url)):
        yield "url", f"refused link {ref.url} ({why}); cite the DOI, PubMed, publisher or regulator"
    for address in _URL.findall(ref.note or ""):
        if why := refusal(address):
            yield "note", f"refused link {address} ({why})"
    if ref.journal_type and not (ref.doi or ref.pmid) and not ref.unverified:
        yield (
            "doi",
            f"a {ref.study_type} needs a DOI or PMID confirmed against its record, "
            "or an 'unverified' reason saying why none could be found",
        )
    if ref.study_type == "regulatory" and not (label_source(ref) or ref.unverified):
        yield (
            "verified",
            "a regulatory or labelling source must be read on the regulator's or maker's own site "
            "(verified: regulator or maker), or say in 'unverified' what weaker source it is",
        )


LABEL_SOURCES = ("regulator", "maker")
"""Where a regulatory or labelling claim must be read: the regulator's or the maker's own site."""
LABEL_HOSTS: tuple[str, ...] = (
    # Regulators and their official publications.
    "fda.gov",
    "federalregister.gov",
    "ecfr.gov",
    "dailymed.nlm.nih.gov",
    "collections.nlm.nih.gov",
    "clinicaltrials.gov",
    "cdc.gov",
    "ema.europa.eu",
    "gov.uk",
    "legislation.gov.uk",
    "medicines.org.uk",
    "legifrance.gouv.fr",
    "ansm.sante.fr",
    "tga.gov.au",
    "canada.ca",
    # Makers' own sites.
    "coolsculpting.com",
    "skinpen.com",
    "kybella.com",
    "inmodemd.com",
)
"""Hosts whose pages are the regulator's or the maker's own: a label read there needs no more."""
REFUSED_ALONE = ("indications", "regulation")
"""Statements a clinic, seller, consumer or news page may never support alone."""
PRACTICE_FIELDS = ("cost", "procedure")
"""Statements about what clinics do: a clinic page may support them alone."""


def practice_only(ids: tuple[str, ...], references: Mapping[str, Reference]) -> bool:
    """Every cited reference (that exists) is a clinic, seller, consumer or news page."""
    found = [references[i] for i in ids if i in references]
    return bool(found) and all(ref.practice_page for ref in found)


def statement_findings(kb: KnowledgeBase) -> Iterator[Finding]:
    """Medical statements whose only support is a clinic, seller, consumer or news page."""
    for treatment in kb.treatments.values():
        file = f"treatments/{treatment.id}.yaml"
        for where, ids in _cited(treatment.model_dump(by_alias=True), ""):
            top = where.split("[")[0].split(".")[0]
            if top in PRACTICE_FIELDS or not practice_only(ids, kb.references):
                continue
            if top in REFUSED_ALONE:
                message = (
                    "rests only on a clinic, seller, consumer or news page: cite a study, "
                    "the regulator's or the maker's document"
                )
                yield Finding(file, where, message, error=True)
            else:
                message = (
                    "a medical statement resting only on a clinic, seller, consumer or news page"
                )
                yield Finding(file, where, message, error=False)
    for condition in kb.conditions.values():
        for where, ids in _cited(condition.model_dump(), condition.id):
            if practice_only(ids, kb.references):
                message = (
                    "a medical statement resting only on a clinic, seller, consumer or news page"
                )
                yield Finding("conditions.yaml", where, message, error=False)
    for where, ids in _cited(kb.rules.model_dump(), ""):
        if practice_only(ids, kb.references):
            message = "a medical statement resting only on a clinic, seller, consumer or news page"
            yield Finding("rules.yaml", where, message, error=False)


def _cited(data: Any, path: str) -> Iterator[tuple[str, tuple[str, ...]]]:
    """(where, reference ids) for every object of a dumped model that cites references."""
    if isinstance(data, dict):
        refs = data.get("references")
        if isinstance(refs, list | tuple) and refs:
            yield path, tuple(refs)
        for key, value in data.items():
            if key != "references":
                yield from _cited(value, f"{path}.{key}" if path else str(key))
    elif isinstance(data, list | tuple):
        for index, value in enumerate(data):
            yield from _cited(value, f"{path}[{index}]")


def check(kb: KnowledgeBase, files: Mapping[str, str] | None = None) -> list[Finding]:
    """Every breach of the source policy in a loaded knowledge base."""
    findings: list[Finding] = []
    where = files or {}
    for ref in kb.references.values():
        file = where.get(ref.id, "references")
        findings += [
            Finding(file, f"{ref.id}.{f}", m, error=True) for f, m in reference_findings(ref)
        ]
    findings += statement_findings(kb)
    return findings


def clinic_only_statements(kb: KnowledgeBase) -> list[Finding]:
    """The medical statements left that rest only on clinic pages (the warnings)."""
    return [f for f in statement_findings(kb) if not f.error]


__all__ = [
    "LABEL_HOSTS",
    "LABEL_SOURCES",
    "PRACTICE_FIELDS",
    "REFUSED_ALONE",
    "REFUSED_HOSTS",
    "REFUSED_PATTERNS",
    "Finding",
    "check",
    "clinic_only_statements",
    "label_source",
    "practice_only",
    "reference_findings",
    "refusal",
]
