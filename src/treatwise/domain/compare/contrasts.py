"""Key differences and similarities, derived from the data (never written per pair).

Each ``*_contrasts`` function turns one kind of data into :class:`Contrast`
points; :func:`contrasts` runs them in reading order. The rules:

- **category** and **modality** flags (needles, injection, blood product,
  energy, topical, home use): a difference when the values differ; a
  similarity when both have the flag (and, for needles and injection, also
  when neither has it, since people weigh those).
- **ranges** (depth, sessions, interval, downtime, time to results, measured
  pain, cost): *alike* when each bound (lower with lower, upper with upper)
  differs by at most a third of the larger one, or by at most one unit for
  counts of days, weeks, sessions and pain points (so 0–3 and 1–3 days are
  alike, 0–5 and 5–7 days are not); otherwise a difference, and ``more``
  is the side whose range is higher at both ends (None when one range
  contains the other: a wider spread, not more). Points are skipped when either side has
  no sourced figure; cost and course length are compared only on the same
  basis (per session, month or course; sessions or months of daily use),
  else the differing basis is the difference.
- **evidence per concern**: every concern either treatment lists, except
  those neither is used for; the same level is a similarity, a different
  level a difference (``more`` = the better-supported side).
- **contraindications per condition**: the level that applies in a medical
  setting and the strictest anywhere; the same levels are a similarity, else
  a difference (``more`` = the stricter side).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from treatwise.domain.compare.values import Contrast, ContrastKind, Side, unique
from treatwise.domain.compare.wording import number, range_span, span
from treatwise.knowledge.loader import KnowledgeBase
from treatwise.knowledge.schema import Range, Treatment
from treatwise.knowledge.vocabulary import EVIDENCE_RANK, LEVEL_RANK, strictest
from treatwise.knowledge.words import EVIDENCE_SHORT, LEVEL_PHRASES

ALIKE_SHARE = 1 / 3
"""Two bounds are close when they differ by at most this share of the larger one."""
SLACK: dict[str, float] = {"depth": 0.0, "cost": 0.0}
"""Absolute slack per kind of range (default 1: one day, week, session or pain point)."""

MODALITY_LABELS: dict[str, str] = {
    "needles": "Needles pierce the skin",
    "injection": "A substance is injected",
    "blood_product": "Uses a product made from your own blood",
    "energy": "Uses energy (radiofrequency, laser or cold)",
    "topical": "Applied to the skin at home",
    "home_use": "Versions exist for use at home",
}
ALWAYS_SAID = frozenset({"needles", "injection"})
"""Flags worth a similarity even when neither treatment has them."""

Pair = tuple[Treatment, Treatment]


def _point(
    kind: ContrastKind,
    label: str,
    values: tuple[str, str],
    keys: tuple[str, str],
    *,
    more: Side | None,
    references: tuple[str, ...],
    subject: str = "",
) -> Contrast:
    return Contrast(
        kind=kind,
        subject=subject,
        label=label,
        a=values[0],
        b=values[1],
        a_key=keys[0],
        b_key=keys[1],
        more=more,
        differs=keys[0] != keys[1],
        references=references,
    )


def _higher(a: tuple[float, ...], b: tuple[float, ...]) -> Side | None:
    return "a" if a > b else "b" if b > a else None


def _above(a: tuple[float, float], b: tuple[float, float]) -> Side | None:
    """The side whose range is higher at both ends; None when one contains the other."""
    if a[0] >= b[0] and a[1] >= b[1]:
        return "a"
    if b[0] >= a[0] and b[1] >= a[1]:
        return "b"
    return None


def alike(a: tuple[float, float], b: tuple[float, float], *, slack: float = 0.0) -> bool:
    """Two (min, max) ranges whose bounds each differ by at most a third, or by ``slack``."""
    return all(abs(x - y) <= max(slack, ALIKE_SHARE * max(x, y)) for x, y in zip(a, b, strict=True))


def _ranges(
    kind: ContrastKind, label: str, values: tuple[str, str], ranges: tuple[Range, Range]
) -> Contrast:
    ra, rb = ((r.min, r.max) for r in ranges)
    same = alike(ra, rb, slack=SLACK.get(kind, 1.0))
    return _point(
        kind,
        label,
        values,
        ("alike", "alike") if same else (f"{ra[0]:g}-{ra[1]:g}", f"{rb[0]:g}-{rb[1]:g}"),
        more=None if same else _above(ra, rb),
        references=unique([*ranges[0].references, *ranges[1].references]),
    )


def category_contrasts(_kb: KnowledgeBase, pair: Pair) -> Iterator[Contrast]:
    a, b = pair
    refs = unique([*a.summary.references, *b.summary.references])
    yield _point(
        "category",
        "Kind of treatment",
        (a.category, b.category),
        (a.category, b.category),
        more=None,
        references=refs,
    )


def modality_contrasts(_kb: KnowledgeBase, pair: Pair) -> Iterator[Contrast]:
    a, b = pair
    refs = unique(
        [
            *a.application.references,
            *a.what_enters_skin.references,
            *b.application.references,
            *b.what_enters_skin.references,
        ]
    )
    for flag, label in MODALITY_LABELS.items():
        fa, fb = bool(getattr(a.modality, flag)), bool(getattr(b.modality, flag))
        if fa == fb and not fa and flag not in ALWAYS_SAID:
            continue
        keys = ("yes" if fa else "no", "yes" if fb else "no")
        more: Side | None = None if fa == fb else "a" if fa else "b"
        yield _point("modality", label, keys, keys, more=more, references=refs, subject=flag)


def depth_contrasts(_kb: KnowledgeBase, pair: Pair) -> Iterator[Contrast]:
    da, db = pair[0].layer.depth_mm, pair[1].layer.depth_mm
    if da is not None and db is not None:
        values = (range_span(da, "mm"), range_span(db, "mm"))
        yield _ranges("depth", "Depth reached", values, (da, db))


def evidence_contrasts(kb: KnowledgeBase, pair: Pair) -> Iterator[Contrast]:
    a, b = pair
    listed = {i.concern for t in pair for i in t.indications}
    order = [c for c in kb.concerns if c in listed] + sorted(listed - set(kb.concerns))
    for concern in order:
        la, lb = a.evidence_for(concern), b.evidence_for(concern)
        if la == lb == "not_indicated":
            continue
        refs = unique(
            r for t in pair for i in t.indications if i.concern == concern for r in i.references
        )
        name = kb.concerns[concern].name if concern in kb.concerns else concern
        ranks = (EVIDENCE_RANK[la],), (EVIDENCE_RANK[lb],)
        yield _point(
            "evidence",
            f"Evidence for {name.lower()}",
            (EVIDENCE_SHORT[la], EVIDENCE_SHORT[lb]),
            (la, lb),
            more=_higher(*ranks),
            references=refs,
            subject=concern,
        )


def course_contrasts(_kb: KnowledgeBase, pair: Pair) -> Iterator[Contrast]:
    pa, pb = pair[0].procedure, pair[1].procedure
    daily = (pa.interval_weeks is None, pb.interval_weeks is None)
    courses = tuple(_course(t) for t in pair)
    if daily[0] != daily[1]:
        keys = tuple("daily" if d else "sessions" for d in daily)
        refs = unique([*pa.sessions.references, *pb.sessions.references])
        yield _point(
            "sessions",
            "Course",
            (courses[0], courses[1]),
            (keys[0], keys[1]),
            more=None,
            references=refs,
        )
        return
    yield _ranges("sessions", "Course", (courses[0], courses[1]), (pa.sessions, pb.sessions))
    if pa.interval_weeks is not None and pb.interval_weeks is not None:
        values = tuple(
            range_span(i, "weeks", singular="week") for i in (pa.interval_weeks, pb.interval_weeks)
        )
        yield _ranges(
            "interval",
            "Weeks between sessions",
            (values[0], values[1]),
            (pa.interval_weeks, pb.interval_weeks),
        )


def _course(t: Treatment) -> str:
    p = t.procedure
    if p.interval_weeks is None:
        return f"{range_span(p.sessions, 'months', singular='month')} of daily use"
    return range_span(p.sessions, "sessions", singular="session")


def recovery_contrasts(_kb: KnowledgeBase, pair: Pair) -> Iterator[Contrast]:
    a, b = pair
    downtime = tuple(
        "none" if t.downtime_days.max == 0 else range_span(t.downtime_days, "days", singular="day")
        for t in pair
    )
    yield _ranges(
        "downtime", "Downtime", (downtime[0], downtime[1]), (a.downtime_days, b.downtime_days)
    )
    weeks = tuple(range_span(t.procedure.results_weeks, "weeks", singular="week") for t in pair)
    yield _ranges(
        "results",
        "Weeks until results are judged",
        (weeks[0], weeks[1]),
        (a.procedure.results_weeks, b.procedure.results_weeks),
    )
    sa, sb = a.pain.score, b.pain.score
    if sa is not None and sb is not None:
        values = (f"{range_span(sa)} out of 10", f"{range_span(sb)} out of 10")
        yield _ranges("pain", "Measured pain score", values, (sa, sb))


def cost_contrasts(_kb: KnowledgeBase, pair: Pair) -> Iterator[Contrast]:
    ca, cb = pair[0].cost, pair[1].cost
    if ca is None or cb is None:
        return
    values = tuple(f"${span(c.min_usd, c.max_usd)} per {c.per}" for c in (ca, cb))
    refs = unique([*ca.references, *cb.references])
    if ca.per != cb.per:
        yield _point(
            "cost", "Cost", (values[0], values[1]), (ca.per, cb.per), more=None, references=refs
        )
        return
    ra, rb = (ca.min_usd, ca.max_usd), (cb.min_usd, cb.max_usd)
    same = alike(ra, rb, slack=SLACK["cost"])
    keys = (
        ("alike", "alike")
        if same
        else (f"{number(ra[0])}-{number(ra[1])}", f"{number(rb[0])}-{number(rb[1])}")
    )
    more = None if same else _above(ra, rb)
    yield _point("cost", "Cost", (values[0], values[1]), keys, more=more, references=refs)


def contraindication_contrasts(kb: KnowledgeBase, pair: Pair) -> Iterator[Contrast]:
    listed = {c.condition for t in pair for c in t.restrictions}
    order = [c for c in kb.conditions if c in listed] + sorted(listed - set(kb.conditions))
    for condition in order:
        levels = tuple(_levels(t, condition) for t in pair)
        refs = unique(
            r
            for t in pair
            for c in t.contraindications
            if c.condition == condition
            for r in c.references
        )
        name = kb.conditions[condition].name if condition in kb.conditions else condition
        ranks = tuple(tuple(LEVEL_RANK[level] for level in pair_) for pair_ in levels)
        yield _point(
            "contraindication",
            name,
            (_level_words(levels[0]), _level_words(levels[1])),
            (_level_key(levels[0]), _level_key(levels[1])),
            more=_higher(ranks[0], ranks[1]),
            references=refs,
            subject=condition,
        )


def _levels(t: Treatment, condition: str) -> tuple[str, str]:
    """(level in a medical setting, strictest level anywhere) for one condition."""
    rows = [c for c in t.contraindications if c.condition == condition]
    medical = [c.level for c in rows if "medical" in c.settings]
    anywhere = strictest(tuple(c.level for c in rows))
    return (strictest(tuple(medical)) if medical else anywhere), anywhere


def _level_key(levels: tuple[str, str]) -> str:
    """The level, or ``medical|anywhere`` when a stricter level applies outside a clinic."""
    return levels[0] if levels[0] == levels[1] else "|".join(levels)


def _level_words(levels: tuple[str, str]) -> str:
    medical, anywhere = levels
    if medical == anywhere:
        return LEVEL_PHRASES[medical]
    return f"{LEVEL_PHRASES[medical]} in a medical setting ({LEVEL_PHRASES[anywhere]} elsewhere)"


CONTRASTS: tuple[Callable[[KnowledgeBase, Pair], Iterator[Contrast]], ...] = (
    category_contrasts,
    modality_contrasts,
    depth_contrasts,
    evidence_contrasts,
    course_contrasts,
    recovery_contrasts,
    cost_contrasts,
    contraindication_contrasts,
)


def contrasts(kb: KnowledgeBase, a: Treatment, b: Treatment) -> tuple[Contrast, ...]:
    """Every data-derived point of comparison, in reading order."""
    return tuple(point for make in CONTRASTS for point in make(kb, (a, b)))


__all__ = ["ALIKE_SHARE", "MODALITY_LABELS", "SLACK", "alike", "contrasts"]
