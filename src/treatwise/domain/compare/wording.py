"""Readable figures and sentences for rows and contrasts (labels for vocabulary ids are in
``treatwise.knowledge.words``; their order in ``treatwise.knowledge.vocabulary``)."""

from __future__ import annotations

from treatwise.knowledge.schema import Range


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
