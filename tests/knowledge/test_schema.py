"""The schema models refuse inconsistent values on their own."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from treatwise.knowledge.schema import AftercareStep, Cited, Cost, Range, Reference

REFS = ("s01",)


def test_range_checks_order_and_typical() -> None:
    assert Range(min=1, max=3, typical=2, references=REFS).typical == 2
    with pytest.raises(ValidationError, match="greater than max"):
        Range(min=3, max=1, references=REFS)
    with pytest.raises(ValidationError, match="outside"):
        Range(min=1, max=3, typical=5, references=REFS)


def test_aftercare_and_cost_check_order() -> None:
    with pytest.raises(ValidationError, match="after day_to"):
        AftercareStep(day_from=3, day_to=1, title="t", text="x", references=REFS)
    with pytest.raises(ValidationError, match="greater than max_usd"):
        Cost(min_usd=500, max_usd=100, as_of="2026", text="x", references=REFS)


def test_cited_needs_a_reference_and_forbids_unknown_keys() -> None:
    with pytest.raises(ValidationError, match="at least 1"):
        Cited(text="Needles make micro-injuries.", references=())
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        Cited.model_validate({"text": "x", "references": ["s01"], "source": "me"})


def test_reference_needs_a_locator_and_valid_identifiers() -> None:
    base = {"id": "s01", "title": "T", "publisher": "J", "study_type": "rct", "quality": "moderate"}
    with pytest.raises(ValidationError, match="at least one of pmid, doi or url"):
        Reference.model_validate(base)
    with pytest.raises(ValidationError):
        Reference.model_validate({**base, "doi": "not-a-doi"})
    assert Reference.model_validate({**base, "pmid": "33376377"}).pmid == "33376377"


def test_models_are_frozen() -> None:
    cited = Cited(text="x", references=REFS)
    with pytest.raises(ValidationError):
        cited.text = "y"  # type: ignore[misc]


def test_evidence_for_defaults_to_not_indicated(kb) -> None:  # type: ignore[no-untyped-def]
    mesotherapy = kb.treatment("mesotherapy")
    assert mesotherapy.evidence_for("no-such-concern") == "not_indicated"
    first = mesotherapy.indications[0]
    assert mesotherapy.evidence_for(first.concern) == first.evidence
