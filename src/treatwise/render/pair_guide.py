"""The pair guide: the generated "A vs B" comparison, written from the data alone.

In code it is a *pair guide*, never an "article" (articles are the hand-written pages of
``knowledge/articles``); readers find it under the URL ``/articles/<a>-vs-<b>`` and the
``treatwise article`` command, which are contracts and keep their names.

``render_guide(kb, a, b, *, fmt="markdown")`` returns the guide as
Markdown, or as HTML (``fmt="html"``: a standalone page; ``standalone=False``
gives the ``<article>`` fragment a web page embeds). ``guide_info`` gives
the title, slug, summary and date for indexes and feeds.

The sentences live in Jinja2 templates under ``templates/pair_guide/`` (one
partial per section); this module only gathers the facts they need from
:func:`treatwise.domain.compare.compare` and the knowledge base. Every
``{{ expression }}`` a template prints is Markdown-escaped unless it is
already Markdown (citations). Citations are numbered on first use, in reading
order, and link to the numbered list of references (``#ref-N``). Markdown
becomes HTML through markdown-it-py in CommonMark mode with raw HTML
disabled, so nothing in the data can inject markup.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape
from typing import Any, Literal

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markupsafe import Markup

from treatwise.domain.compare import Comparison, Contrast, compare
from treatwise.domain.compare.glance import first_sentence, glance, lower_name, needles, uses
from treatwise.domain.compare.wording import range_span, sentence
from treatwise.knowledge import KnowledgeBase
from treatwise.knowledge.schema import Indication, Treatment
from treatwise.knowledge.vocabulary import EVIDENCE_RANK, LEVEL_RANK, USES
from treatwise.knowledge.words import EVIDENCE_SHORT
from treatwise.render.compare import md_escape, reference_line
from treatwise.render.diagram import skin_diagram
from treatwise.render.html_footnotes import Footnote, Footnotes

ArticleFormat = Literal["markdown", "html"]
FORMATS: tuple[ArticleFormat, ...] = ("markdown", "html")
REFERENCES_HEADING = "References"
DEPTH_HEADING = "Where in the skin each one acts"
DOCTOR_LEVELS = frozenset({"absolute", "doctor_review"})
WEIGHED = frozenset({"downtime", "sessions", "pain", "cost"})
"""Differences a person weighs besides the evidence (with needles and injections)."""

_ENV = Environment(
    loader=PackageLoader("treatwise.render", "templates/pair_guide"),
    autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=False),
    extensions=["jinja2.ext.do"],
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
_MD_ENV = _ENV.overlay(
    autoescape=False,
    finalize=lambda value: value if isinstance(value, Markup) else md_escape(str(value)),
)
_MD_ENV.filters["prose"] = lambda values: prose(list(values))
_MD_ENV.filters["stop"] = lambda text: sentence(str(text))
_MD_ENV.filters["lower_name"] = lower_name


@dataclass(frozen=True)
class GuideInfo:
    """What an index, feed or sitemap needs to list a generated article."""

    title: str
    slug: str
    summary: str
    updated: dt.date


@dataclass(frozen=True)
class EvidenceLine:
    """One concern either treatment is used for (or advised against), with both sides' data."""

    concern: str
    name: str
    a: Indication | None
    b: Indication | None
    level_a: str
    level_b: str
    better: Literal["a", "b"] | None


@dataclass(frozen=True)
class DoctorLine:
    """A condition for which either treatment is ruled out or needs a doctor's review."""

    condition: str
    name: str
    text: str
    references: tuple[str, ...]


def guide_info(kb: KnowledgeBase, a: str, b: str) -> GuideInfo:
    """Title, slug, one-sentence summary and date (the later review date of the two)."""
    c = compare(kb, a, b)
    return _info(c)


def _info(c: Comparison) -> GuideInfo:
    title = f"{c.a.name} vs {c.b.name}"
    summary = (
        f"{c.a.name} or {lower_name(c.b.name)}? The quick answer, then how they work, what "
        "each helps, the risks and how to choose."
    )
    updated = max(c.a.review.last_reviewed, c.b.review.last_reviewed)
    return GuideInfo(title, f"{c.a.id}-vs-{c.b.id}", summary, updated)


def render_guide(
    kb: KnowledgeBase, a: str, b: str, *, fmt: ArticleFormat = "markdown", standalone: bool = True
) -> str:
    """The article comparing ``a`` and ``b``; raises ``CompareError`` for unknown ids."""
    if fmt not in FORMATS:
        raise ValueError(f"fmt: unknown format {fmt!r}; valid: {', '.join(FORMATS)}")
    c = compare(kb, a, b)
    markdown = guide_markdown(kb, c)
    if fmt == "markdown":
        return markdown
    body = markdown_to_html(markdown)
    return render_page(c, body) if standalone else stack_tables(with_diagram(c, body))


def stack_tables(html: str) -> str:
    """Tables a phone shows as cards: ``class="stack"`` and each cell labelled with its
    column's heading (the first column is the row's own label)."""

    def table(match: re.Match[str]) -> str:
        heads = [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<th>(.*?)</th>", match[0])]

        def row(tr: re.Match[str]) -> str:
            cells = iter(range(len(heads)))

            def cell(_td: re.Match[str]) -> str:
                n = next(cells, 0)
                label = heads[n] if n and n < len(heads) else ""
                return f'<td data-label="{escape(label)}">' if label else "<td>"

            return re.sub(r"<td>", cell, tr[0])

        body = re.sub(r"<tr>.*?</tr>", row, match[0], flags=re.S)
        return body.replace("<table>", '<table class="stack">', 1)

    return re.sub(r"<table>.*?</table>", table, html, flags=re.S)


def with_diagram(comparison: Comparison, html: str) -> str:
    """The article's HTML with the depth diagram drawn under its heading (the list that
    follows is the diagram's text alternative); once, however often it is called."""
    if '<figure class="diagram">' in html:
        return html
    svg = skin_diagram([comparison.a, comparison.b], key="article").svg
    heading = f"<h2>{DEPTH_HEADING}</h2>\n"
    return html.replace(heading, f'{heading}<figure class="diagram">{svg}</figure>\n', 1)


def render_page(comparison: Comparison, body: str) -> str:
    """A standalone HTML page around the article's HTML ``body``."""
    page = _ENV.get_template("guide.html.j2")
    body = with_diagram(comparison, body)
    return str(page.render(info=_info(comparison), body=Markup(body), lang="en"))


def guide_markdown(kb: KnowledgeBase, comparison: Comparison) -> str:
    """The article as Markdown, from the section templates."""
    text = _MD_ENV.get_template("guide.md.j2").render(**_context(kb, comparison))
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def _context(kb: KnowledgeBase, c: Comparison) -> dict[str, Any]:
    notes = Footnotes(kb.references)

    def cite(references: Iterable[str]) -> Markup:
        cited = sorted(notes.cite(key_sources(kb, notes, references)), key=lambda n: n.number)
        marks = ", ".join(f"[{n.number}](#ref-{n.number})" for n in cited)
        return Markup(f"[{marks}]" if marks else "")

    evidence = evidence_lines(kb, c.a, c.b)
    diagram = skin_diagram([c.a, c.b], key="article")
    return {
        **_lookups(kb),
        "kb": kb,
        "c": c,
        "a": c.a,
        "b": c.b,
        "info": _info(c),
        "glance": glance(kb, c),
        "diagram": Markup(md_escape_lines(diagram.markdown)),
        "findings": [(t, i) for t in (c.a, c.b) if (i := best_indication(t))],
        "cite": cite,
        "notes": notes,
        "differences": lambda kind: [p for p in c.differences if p.kind == kind],
        "similarities": lambda kind: [p for p in c.similarities if p.kind == kind],
        "evidence": evidence,
        "shared_uses": [e.name.lower() for e in evidence if {e.level_a, e.level_b} <= USES],
        "doctor": doctor_lines(kb, c.a, c.b),
        "wait": wait_lines(kb, c.a, c.b),
        "shared_conditions": shared_conditions(c.similarities),
        "weigh_points": any(
            (p.kind == "modality" and p.subject in ("needles", "injection"))
            or (p.kind in WEIGHED and p.more is not None)
            for p in c.differences
        ),
        "combined": [
            x for t, o in ((c.a, c.b), (c.b, c.a)) for x in t.combinations if x.with_ == o.id
        ],
    }


def _lookups(kb: KnowledgeBase) -> dict[str, Any]:
    """Names, words and small selections the templates look up."""
    return {
        "uses": USES,
        "span": range_span,
        "first_sentence": first_sentence,
        "lower_name": lower_name,
        "needles": needles,
        "grade_words": grade_words,
        "reference_entry": reference_entry,
        "concern_name": lambda cid: kb.concerns[cid].name if cid in kb.concerns else cid,
        "condition_name": lambda cid: kb.conditions[cid].name if cid in kb.conditions else cid,
        "by_severity": lambda t, severity: [s for s in t.side_effects if s.severity == severity],
        "by_level": lambda t, level: [x for x in t.contraindications if x.level == level],
    }


KEY_SOURCES = 2
"""At most this many sources back one statement of the article (each treatment's page cites
them all): the list of sources stays one a reader can use."""
QUALITY_RANK = {"high": 0, "moderate": 1, "low": 2}
STUDY_RANK = {
    "systematic-review": 0,
    "guideline": 1,
    "regulatory": 1,
    "rct": 2,
    "consensus": 3,
    "review": 3,
    "observational": 4,
    "case-report": 5,
}


def key_sources(
    kb: KnowledgeBase, notes: Footnotes, references: Iterable[str], most: int = KEY_SOURCES
) -> list[str]:
    """The best ``most`` of these references: already cited ones first (no new numbers),
    then by quality and kind of study, then in the order given."""
    known = [r for r in dict.fromkeys(references) if r in kb.references]
    cited = {note.reference.id for note in notes.entries}

    def rank(pair: tuple[int, str]) -> tuple[int, int, int, int]:
        n, ref_id = pair
        ref = kb.references[ref_id]
        return (
            ref_id not in cited,
            QUALITY_RANK.get(ref.quality, 3),
            STUDY_RANK.get(ref.study_type, 6),
            n,
        )

    return [ref_id for _, ref_id in sorted(enumerate(known), key=rank)[:most]]


def grade_words(level: str) -> str:
    """An evidence level as the article says it: "moderate certainty", "not used", ..."""
    if level == "not_indicated":
        return "not used"
    if level == "advised_against":
        return "advised against"
    return f"{EVIDENCE_SHORT[level]} certainty"


def best_indication(t: Treatment) -> Indication | None:
    """The use with the strongest evidence (the first listed of equals), or None."""
    used = [i for i in t.indications if i.evidence in uses(t).values() and i.evidence in USES]
    return max(used, key=lambda i: EVIDENCE_RANK[i.evidence], default=None)


def md_escape_lines(markdown_list: str) -> str:
    """A Markdown list whose item texts are escaped (the markers stay Markdown)."""
    return "\n".join(
        f"- {md_escape(line[2:])}" if line.startswith("- ") else md_escape(line)
        for line in markdown_list.splitlines()
    )


def evidence_lines(kb: KnowledgeBase, a: Treatment, b: Treatment) -> list[EvidenceLine]:
    """Concerns either treatment is used for or advised against, in vocabulary order."""
    listed = {i.concern for t in (a, b) for i in t.indications}
    order = [cid for cid in kb.concerns if cid in listed] + sorted(listed - set(kb.concerns))
    out = []
    for cid in order:
        la, lb = a.evidence_for(cid), b.evidence_for(cid)
        if la == lb == "not_indicated":
            continue
        ra, rb = EVIDENCE_RANK[la], EVIDENCE_RANK[lb]
        better: Literal["a", "b"] | None = "a" if ra > rb else "b" if rb > ra else None
        name = kb.concerns[cid].name if cid in kb.concerns else cid
        out.append(
            EvidenceLine(cid, name, _indication(a, cid), _indication(b, cid), la, lb, better)
        )
    return out


def _indication(t: Treatment, concern: str) -> Indication | None:
    return next((i for i in t.indications if i.concern == concern), None)


def doctor_lines(kb: KnowledgeBase, a: Treatment, b: Treatment) -> list[DoctorLine]:
    """Conditions that rule out either treatment or need a doctor first, with what to do."""
    flagged = {x.condition for t in (a, b) for x in t.restrictions if x.level in DOCTOR_LEVELS}
    out = []
    for cid in sorted(flagged, key=lambda c: _order(kb, c)):
        rows = [x for t in (a, b) for x in t.restrictions if x.condition == cid]
        condition = kb.conditions.get(cid)
        flag = condition.red_flag if condition else None
        strict = max(rows, key=lambda x: LEVEL_RANK[x.level])
        text, refs = (flag.text, flag.references) if flag else (strict.text, strict.references)
        out.append(DoctorLine(cid, condition.name if condition else cid, text, refs))
    return out


def wait_lines(kb: KnowledgeBase, a: Treatment, b: Treatment) -> list[DoctorLine]:
    """Passing conditions (pregnancy, a flare, sunburn...) that postpone either treatment."""
    doctor = {line.condition for line in doctor_lines(kb, a, b)}
    waiting = {x.condition for t in (a, b) for x in t.restrictions if x.level == "temporary"}
    out = []
    for cid in sorted(waiting - doctor, key=lambda c: _order(kb, c)):
        rows = [x for t in (a, b) for x in t.restrictions if x.condition == cid]
        condition = kb.conditions.get(cid)
        name = condition.name if condition else cid
        refs = tuple(dict.fromkeys(r for x in rows for r in x.references))
        out.append(DoctorLine(cid, name, rows[0].text, refs))
    return out


def _order(kb: KnowledgeBase, condition: str) -> tuple[int, str]:
    ids = list(kb.conditions)
    return (ids.index(condition), "") if condition in kb.conditions else (len(ids), condition)


def shared_conditions(
    similarities: Iterable[Contrast],
) -> list[tuple[str, str, list[Contrast], tuple[str, ...]]]:
    """(level key, words, points, references) for conditions that count alike, strictest first."""
    groups: dict[str, list[Contrast]] = {}
    for point in similarities:
        if point.kind == "contraindication":
            groups.setdefault(point.a_key, []).append(point)
    ordered = sorted(groups.items(), key=lambda kv: -LEVEL_RANK[kv[0].split("|")[0]])
    return [
        (key, points[0].a, points, tuple(dict.fromkeys(r for p in points for r in p.references)))
        for key, points in ordered
    ]


def reference_entry(note: Footnote) -> Markup:
    """One numbered source in Markdown: the citation, then a link to find it."""
    ref = note.reference
    line = reference_line(ref)
    if ref.url and not (ref.pmid or ref.doi) and line.endswith(ref.url):
        line = line[: -len(ref.url)].rstrip()
    link = note.link
    text = md_escape(line)
    for ident, url in (
        (f"doi:{ref.doi}", f"https://doi.org/{ref.doi}"),
        (f"PMID {ref.pmid}", f"https://pubmed.ncbi.nlm.nih.gov/{ref.pmid}/"),
    ):
        shown = md_escape(ident)
        if link == url and shown in text:  # the identifier itself is the link: no bare URL
            return Markup(text.replace(shown, f"[{shown}](<{url}>)", 1))
    autolink = f" <{link}>" if link and not set("<> ") & set(link) else ""
    return Markup(text + autolink)


def prose(values: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c`` (``a; b; and c`` when a value has a comma)."""
    if len(values) < 2:
        return "".join(values)
    if len(values) > 2 and any("," in value for value in values):
        return f"{'; '.join(values[:-1])}; and {values[-1]}"
    return f"{', '.join(values[:-1])} and {values[-1]}"


def markdown_to_html(markdown: str) -> str:
    """CommonMark (plus tables) → HTML, raw HTML disabled; reference items get ``id="ref-N"``."""
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    md.core.ruler.push("reference_anchors", _reference_anchors)
    return str(md.render(markdown))


def _reference_anchors(state: StateCore) -> None:
    tokens = state.tokens
    in_references = False
    number = 0
    for n, token in enumerate(tokens):
        if token.type == "heading_open":
            in_references = tokens[n + 1].content == REFERENCES_HEADING
        elif in_references and token.type == "list_item_open":
            number += 1
            token.attrSet("id", f"ref-{number}")


__all__ = [
    "FORMATS",
    "ArticleFormat",
    "GuideInfo",
    "doctor_lines",
    "evidence_lines",
    "guide_info",
    "guide_markdown",
    "markdown_to_html",
    "render_guide",
    "render_page",
    "stack_tables",
    "wait_lines",
]
