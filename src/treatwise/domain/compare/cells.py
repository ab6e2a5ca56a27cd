"""One treatment's answer to each comparison row, as a :class:`Cell` with its references."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from treatwise.domain.compare.values import Cell, Item, unique
from treatwise.domain.compare.wording import number, range_span, sentence
from treatwise.knowledge.loader import KnowledgeBase
from treatwise.knowledge.schema import SETTINGS, Cited, Treatment
from treatwise.knowledge.vocabulary import EVIDENCE_RANK, LEVEL_RANK, SEVERITY_ORDER
from treatwise.knowledge.words import EVIDENCE_SHORT, LEVEL_PHRASES, SEVERITY_WORDS

NOT_SOURCED = "Not found in the sources Treatwise uses."


def cited(value: Cited) -> Cell:
    """A single cited statement as a cell."""
    return Cell(value.text, value.references)


def _listed(items: Iterable[Item], text: str) -> Cell:
    entries = tuple(items)
    return Cell(text, unique(r for item in entries for r in item.references), entries)


def _cited_items(values: Iterable[Cited], label: str = "") -> tuple[Item, ...]:
    return tuple(Item(label, value.text, value.references) for value in values)


def _grouped(pairs: Iterable[tuple[str, str]], words: Mapping[str, str]) -> str:
    """``Moderate: a, b. Low: c.`` from (group, name) pairs already in group order."""
    groups: dict[str, list[str]] = {}
    for group, name in pairs:
        groups.setdefault(group, []).append(name)
    return sentence(
        *(f"{words[g].capitalize()}: {', '.join(names)}" for g, names in groups.items())
    )


def layer(_kb: KnowledgeBase, t: Treatment) -> Cell:
    depth = t.layer.depth_mm
    items: tuple[Item, ...] = ()
    if depth is not None:
        text = sentence(range_span(depth, "mm"), depth.text or "")
        items = (Item("Depth", text, depth.references, tag=f"{depth.min:g}-{depth.max:g}"),)
    return Cell(
        t.layer.text,
        unique([*t.layer.references, *(r for i in items for r in i.references)]),
        items,
    )


def treats(kb: KnowledgeBase, t: Treatment) -> Cell:
    order = {concern: n for n, concern in enumerate(kb.concerns)}
    ranked = sorted(
        t.indications, key=lambda i: (-EVIDENCE_RANK[i.evidence], order.get(i.concern, 999))
    )
    items = [
        Item(_concern(kb, i.concern), i.summary, i.references, tag=i.evidence, detail=i.uncertainty)
        for i in ranked
    ]
    text = _grouped(((i.evidence, _concern(kb, i.concern).lower()) for i in ranked), EVIDENCE_SHORT)
    return _listed(items, text)


def benefits(_kb: KnowledgeBase, t: Treatment) -> Cell:
    items = _cited_items(t.benefits)
    return _listed(items, " ".join(item.text for item in items))


def harms(_kb: KnowledgeBase, t: Treatment) -> Cell:
    ranked = sorted(t.side_effects, key=lambda s: SEVERITY_ORDER[s.severity])
    items = [
        Item(s.name, s.text, s.references, tag=s.severity, detail=s.frequency or "") for s in ranked
    ]
    text = _grouped(((s.severity, s.name.lower()) for s in ranked), SEVERITY_WORDS)
    return _listed(items, text)


def procedure(_kb: KnowledgeBase, t: Treatment) -> Cell:
    p = t.procedure
    minutes = (
        f"A session takes {range_span(p.session_minutes, 'minutes')}" if p.session_minutes else ""
    )
    results = f"Results are judged after {range_span(p.results_weeks, 'weeks', singular='week')}"
    items = [
        *_cited_items(p.preparation, "Before"),
        *_cited_items([p.anaesthesia] if p.anaesthesia else [], "Numbing"),
        *_cited_items(p.steps, "Step"),
        Item("Results", sentence(p.results_weeks.text or ""), p.results_weeks.references),
    ]
    refs = [
        *(p.session_minutes.references if p.session_minutes else ()),
        *p.results_weeks.references,
    ]
    cell = _listed(items, sentence(minutes, results))
    return Cell(cell.text, unique([*refs, *cell.references]), cell.items)


def sessions(_kb: KnowledgeBase, t: Treatment) -> Cell:
    p = t.procedure
    if p.interval_weeks is None:
        course = f"{range_span(p.sessions, 'months', singular='month')} of daily use"
        every = ""
        refs = p.sessions.references
    else:
        course = range_span(p.sessions, "sessions", singular="session")
        every = f"every {range_span(p.interval_weeks, 'weeks', singular='week')}"
        refs = (*p.sessions.references, *p.interval_weeks.references)
    text = sentence(
        f"{course} {every}".strip().capitalize(),
        p.sessions.text or "",
        p.interval_weeks.text if p.interval_weeks and p.interval_weeks.text else "",
    )
    items = _cited_items([p.maintenance] if p.maintenance else [], "Maintenance")
    return Cell(text, unique([*refs, *(r for i in items for r in i.references)]), items)


def downtime(_kb: KnowledgeBase, t: Treatment) -> Cell:
    d = t.downtime_days
    head = "None" if d.max == 0 else range_span(d, "days", singular="day")
    return Cell(sentence(head, d.text or ""), d.references)


def pain(_kb: KnowledgeBase, t: Treatment) -> Cell:
    score = t.pain.score
    if score is None:
        return Cell(t.pain.text, t.pain.references)
    measured = sentence(f"Pain score {range_span(score)} out of 10", score.text or "")
    return Cell(sentence(t.pain.text, measured), unique([*t.pain.references, *score.references]))


def regulation(_kb: KnowledgeBase, t: Treatment) -> Cell:
    items = _cited_items(t.regulation)
    return _listed(items, " ".join(item.text for item in items))


def cost(_kb: KnowledgeBase, t: Treatment) -> Cell:
    c = t.cost
    if c is None:
        return Cell(f"No sourced price. {NOT_SOURCED}", ())
    low, high = number(c.min_usd), number(c.max_usd)
    figure = f"${low}" if low == high else f"${low}–{high}"
    return Cell(sentence(f"{figure} per {c.per} (prices seen {c.as_of})", c.text), c.references)


def combinations(kb: KnowledgeBase, t: Treatment) -> Cell:
    items = [
        Item(
            _treatment(kb, c.with_),
            c.text,
            c.references,
            tag=c.evidence,
            detail=", ".join(_concern(kb, concern).lower() for concern in c.concerns),
        )
        for c in t.combinations
    ]
    if not items:
        return Cell(f"No combination listed. {NOT_SOURCED}", ())
    text = "; ".join(
        f"with {i.label} for {i.detail} ({EVIDENCE_SHORT[i.tag or '']})" for i in items
    )
    return _listed(items, sentence(text[0].upper() + text[1:]))


def contraindications(kb: KnowledgeBase, t: Treatment) -> Cell:
    ranked = sorted(t.restrictions, key=lambda c: -LEVEL_RANK[c.level])
    items = [
        Item(
            _condition(kb, c.condition),
            c.text,
            c.references,
            tag=c.level,
            detail=f"Applies in: {', '.join(c.settings)}" if _where(c.settings) else "",
        )
        for c in ranked
    ]
    if not items:
        return Cell(f"No contraindication listed. {NOT_SOURCED}", ())
    names = ((c.level, _condition(kb, c.condition).lower() + _where(c.settings)) for c in ranked)
    return _listed(items, _grouped(names, LEVEL_PHRASES))


def _where(settings: tuple[str, ...]) -> str:
    return "" if len(settings) == len(SETTINGS) else f" ({', '.join(settings)} only)"


def _concern(kb: KnowledgeBase, concern_id: str) -> str:
    concern = kb.concerns.get(concern_id)
    return concern.name if concern else concern_id


def _condition(kb: KnowledgeBase, condition_id: str) -> str:
    condition = kb.conditions.get(condition_id)
    return condition.name if condition else condition_id


def _treatment(kb: KnowledgeBase, treatment_id: str) -> str:
    other = kb.treatments.get(treatment_id)
    return other.name if other else treatment_id


CellBuilder = Callable[[KnowledgeBase, Treatment], Cell]

BUILDERS: dict[str, CellBuilder] = {
    "what-it-is": lambda _kb, t: cited(t.summary),
    "mechanism": lambda _kb, t: cited(t.mechanism),
    "layer": layer,
    "application": lambda _kb, t: cited(t.application),
    "what-enters-skin": lambda _kb, t: cited(t.what_enters_skin),
    "treats": treats,
    "benefits": benefits,
    "harms": harms,
    "procedure": procedure,
    "sessions": sessions,
    "downtime": downtime,
    "pain": pain,
    "practitioners": lambda _kb, t: cited(t.practitioners),
    "regulation": regulation,
    "cost": cost,
    "combinations": combinations,
    "contraindications": contraindications,
}
"""Row id → how one treatment's cell is built (the key rows come from contrasts)."""
