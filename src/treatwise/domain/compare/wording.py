"""Readable words for vocabulary values and sourced ranges, shared by rows and contrasts."""

from __future__ import annotations

from treatwise.knowledge.schema import ContraindicationLevel, EvidenceLevel, Range

EVIDENCE_WORDS: dict[str, str] = {
    "high": "high",
    "moderate": "moderate",
    "low": "low",
    "very_low": "very low",
    "not_indicated": "not a use",
    "advised_against": "advised against",
}

EVIDENCE_RANK: dict[EvidenceLevel, int] = {
    "high": 5,
    "moderate": 4,
    "low": 3,
    "very_low": 2,
    "not_indicated": 1,
    "advised_against": 0,
}
"""How well supported a use is: higher is better supported (advised against is lowest)."""

USES: frozenset[str] = frozenset({"high", "moderate", "low", "very_low"})
"""Evidence levels that mean the treatment is used for the concern."""

LEVEL_WORDS: dict[str, str] = {
    "absolute": "ruled out",
    "temporary": "wait until it has resolved",
    "doctor_review": "only after a doctor's review",
    "caution": "possible with precautions",
    "none": "no specific rule in the sources",
}

LEVEL_RANK: dict[str, int] = {
    "absolute": 4,
    "temporary": 3,
    "doctor_review": 2,
    "caution": 1,
    "none": 0,
}
"""How strictly a condition limits a treatment: higher is stricter."""

SEVERITY_ORDER: dict[str, int] = {"common": 0, "uncommon": 1, "serious": 2}

SEVERITY_WORDS: dict[str, str] = {"common": "Common", "uncommon": "Uncommon", "serious": "Serious"}


def strictest(levels: tuple[ContraindicationLevel, ...]) -> str:
    """The strictest of these contraindication levels; ``none`` when there is none."""
    return max(levels, key=LEVEL_RANK.__getitem__, default="none")


def number(value: float) -> str:
    """A figure as people write it: 2, 0.25, 1,000 (at most two decimals)."""
    if value == int(value):
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def span(low: float, high: float, unit: str = "", *, singular: str = "") -> str:
    """``1–3 days``; one value when low equals high (``singular`` unit when it is 1)."""
    core = number(low) if low == high else f"{number(low)}–{number(high)}"
    word = singular if singular and low == high == 1 else unit
    return f"{core} {word}".strip()


def range_span(value: Range, unit: str = "", *, singular: str = "") -> str:
    """A sourced range as a span with its unit."""
    return span(value.min, value.max, unit, singular=singular)


def sentence(*parts: str) -> str:
    """Non-empty parts joined with spaces, each ending with a full stop."""
    out = []
    for part in parts:
        text = part.strip()
        if text:
            out.append(text if text[-1] in ".!?" else f"{text}.")
    return " ".join(out)
