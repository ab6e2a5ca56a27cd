"""Build variants of real treatments and knowledge bases for compare tests (no mocks)."""

from __future__ import annotations

import dataclasses
from types import MappingProxyType
from typing import Any

from treatwise.knowledge import KnowledgeBase
from treatwise.knowledge.schema import Range, Treatment


def variant(treatment: Treatment, **changes: Any) -> Treatment:
    """A copy of ``treatment`` with some fields replaced (nested models as model objects)."""
    return treatment.model_copy(update=changes)


def rng(low: float, high: float, ref: str = "s01") -> Range:
    """A sourced range."""
    return Range(min=low, max=high, references=(ref,))


def with_treatments(kb: KnowledgeBase, *treatments: Treatment) -> KnowledgeBase:
    """The knowledge base with these treatments added or replaced."""
    merged = {**kb.treatments, **{t.id: t for t in treatments}}
    return dataclasses.replace(kb, treatments=MappingProxyType(merged))
