"""The answer first: a quick answer in a few sentences and six points people decide on.

``glance(kb, comparison)`` reads only the knowledge base's structured values
(evidence levels, ranges, modality flags, severities), so every pair gets the
same treatment and each point carries the references behind it. Pure: no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from treatwise.domain.compare.values import Comparison, unique
from treatwise.domain.compare.wording import number, range_span
from treatwise.knowledge import KnowledgeBase
from treatwise.knowledge.schema import Range, Treatment
from treatwise.knowledge.vocabulary import EVIDENCE_RANK, USES
from treatwise.knowledge.words import EVIDENCE_SHORT


@dataclass(frozen=True)
class GlancePoint:
    """One of the points people decide on, answered for both treatments."""

    label: str
    a: str
    b: str
    a_references: tuple[str, ...]
    b_references: tuple[str, ...]

    @property
    def references(self) -> tuple[str, ...]:
        """Both sides' references, each once."""
        return unique((*self.a_references, *self.b_references))


@dataclass(frozen=True)
class Glance:
    """A short answer (sentences, plain words) and the at-a-glance points."""

    answer: tuple[str, ...]
    points: tuple[GlancePoint, ...]


def first_sentence(text: str) -> str:
    """The first sentence of a text (the whole text when it has only one)."""
    match = re.match(r"(.+?[.!?])(\s|$)", text.strip())
    return match.group(1) if match else text.strip()


def uses(t: Treatment) -> dict[str, str]:
    """Concern id → evidence level, for the concerns the treatment is used for."""
    return {i.concern: i.evidence for i in t.indications if i.evidence in USES}


def lower_name(name: str) -> str:
    """A name as it reads mid-sentence, without its bracketed gloss: ``Microneedling`` →
    "microneedling", ``Topical retinoids (tretinoin and related creams)`` → "topical
    retinoids"; an acronym (``PRP``) keeps its capitals."""
    name = name.split(" (")[0]
    return name if name[1:2].isupper() else name[0].lower() + name[1:]


def certainty(level: str) -> str:
    """``moderate`` → "moderate certainty" (the grade in words)."""
    return f"{EVIDENCE_SHORT.get(level, level)} certainty"


def _concern(kb: KnowledgeBase, concern: str) -> str:
    return kb.concerns[concern].name if concern in kb.concerns else concern


def best_supported(
    kb: KnowledgeBase, t: Treatment, *, most: int = 2
) -> tuple[str, tuple[str, ...]]:
    """The concerns with the strongest evidence, in words, and their references."""
    found = uses(t)
    if not found:
        return "No use is supported by the sources", ()
    top = max(EVIDENCE_RANK[level] for level in found.values())
    best = [c for c, level in found.items() if EVIDENCE_RANK[level] == top][:most]
    level = found[best[0]]
    refs = unique(r for i in t.indications if i.concern in best for r in i.references)
    names = "; ".join(
        _concern(kb, c) if n == 0 else lower_name(_concern(kb, c)) for n, c in enumerate(best)
    )
    return f"{names} ({certainty(level)})", refs


def needles(t: Treatment) -> str:
    """What pierces or enters the skin, in a few words."""
    if t.modality.injection:
        return "Injections: a product goes into the skin"
    if t.modality.needles:
        return "Needles, but nothing needs to be injected"
    if t.modality.topical:
        return "No needles: applied to the skin"
    return "No needles"


def _span(r: Range, unit: str) -> str:
    text = range_span(r, unit)
    if r.typical is not None and r.min != r.max:
        text += f" (typically {number(r.typical)})"
    return text


def course(t: Treatment) -> tuple[str, tuple[str, ...]]:
    """``3–6 sessions, 2–6 weeks apart`` and the references behind it."""
    p = t.procedure
    if p.interval_weeks is None:  # a daily topical: the course is counted in months
        text = f"Daily, for {range_span(p.sessions, 'months', singular='month')}"
        return text, p.sessions.references
    text = range_span(p.sessions, "sessions", singular="session")
    refs = p.sessions.references
    if p.interval_weeks is not None:
        text += f", {range_span(p.interval_weeks, 'weeks')} apart"
        refs = refs + p.interval_weeks.references
    return text, unique(refs)


def price(t: Treatment) -> tuple[str, tuple[str, ...]]:
    """``US$100–1,000 per session`` or a plain note."""
    if t.cost is None:
        return "No sourced price", ()
    low, high = number(t.cost.min_usd), number(t.cost.max_usd)
    core = low if low == high else f"{low}–{high}"
    return f"US${core} per {t.cost.per}", t.cost.references


def serious_risks(t: Treatment) -> tuple[str, tuple[str, ...]]:
    """The side effects the sources call serious, by name."""
    serious = [s for s in t.side_effects if s.severity == "serious"]
    if not serious:
        return "None reported as serious", ()
    names = [lower_name(s.name) for s in serious[:2]]
    more = f", and {len(serious) - 2} more" if len(serious) > 2 else ""
    text = "Rare: " + ", ".join(names) + more
    return text, unique(r for s in serious for r in s.references)


def points(kb: KnowledgeBase, a: Treatment, b: Treatment) -> tuple[GlancePoint, ...]:
    """The six points: best supported for, needles, downtime, sessions, cost, serious risks."""
    out = []
    for label, pick in (
        ("Best supported for", lambda t: best_supported(kb, t)),
        ("Needles or injections", lambda t: (needles(t), ())),
        ("Downtime", lambda t: (_span(t.downtime_days, "days"), t.downtime_days.references)),
        ("Sessions", course),
        ("Cost", price),
        ("Serious risks", serious_risks),
    ):
        (ta, ra), (tb, rb) = pick(a), pick(b)
        out.append(GlancePoint(label, ta, tb, tuple(ra), tuple(rb)))
    return tuple(out)


def what_it_is(t: Treatment) -> str:
    """The summary's first sentence, led by the treatment's name when it does not say it."""
    text = first_sentence(t.summary.text)
    if text.lower().startswith(t.name.split(" (")[0].lower()):
        return text
    return f"{t.name}: {text[0].lower()}{text[1:]}" if not text[1:2].isupper() else text


def answer(kb: KnowledgeBase, a: Treatment, b: Treatment) -> tuple[str, ...]:
    """Three to five plain sentences: what each is, what both are used for, where the evidence
    differs most, and what to do next."""
    sentences = [what_it_is(a), what_it_is(b)]
    ua, ub = uses(a), uses(b)
    shared = [c for c in ua if c in ub]
    if shared:
        names = [lower_name(_concern(kb, c)) for c in shared[:4]]
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + ", and " + names[-1]
        listed = listed.replace(", and ", " and ") if len(names) == 2 else listed
        sentences.append(f"Both are used for {listed}.")
        gaps = [(EVIDENCE_RANK[ua[c]] - EVIDENCE_RANK[ub[c]], c) for c in shared]
        gap, concern = max(gaps, key=lambda g: (abs(g[0]), -shared.index(g[1])))
        name = lower_name(_concern(kb, concern))
        if gap:
            stronger = lower_name((a if gap > 0 else b).name)
            sentences.append(f"For {name}, the evidence is stronger for {stronger}.")
        else:
            sentences.append(f"For {name}, the evidence is about as strong for both.")
    else:
        sentences.append(
            "They are not used for the same concerns, so the choice depends on "
            "what you want to treat."
        )
    sentences.append(
        "A clinician who examines your skin can tell you which suits you, "
        "and whether anything in your health rules one out."
    )
    return tuple(sentences)


def glance(kb: KnowledgeBase, comparison: Comparison) -> Glance:
    """The quick answer and the at-a-glance points for a comparison."""
    a, b = comparison.a, comparison.b
    return Glance(answer=answer(kb, a, b), points=points(kb, a, b))
