"""``GET /api/v1/treatments`` and ``GET /api/v1/treatments/{id}``: the knowledge base as JSON."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel

from treatwise.knowledge.schema import Treatment
from treatwise.web.dependencies import KB

router = APIRouter(tags=["treatments"])


class TreatmentSummary(BaseModel):
    """One line of the treatment list."""

    id: str
    name: str
    category: str
    summary: str
    url: str


class TreatmentList(BaseModel):
    """Every treatment, and the knowledge-base version they come from."""

    kb_version: str
    treatments: list[TreatmentSummary]


@router.get("/treatments", response_model=TreatmentList)
async def list_treatments(kb: KB) -> TreatmentList:
    """Every treatment, sorted by id."""
    items = [
        TreatmentSummary(
            id=t.id,
            name=t.name,
            category=t.category,
            summary=t.summary.text,
            url=f"/treatments/{t.id}",
        )
        for t in sorted(kb.treatments.values(), key=lambda t: t.id)
    ]
    return TreatmentList(kb_version=kb.version, treatments=items)


@router.get(
    "/treatments/{treatment_id}",
    response_model=Treatment,
    response_model_by_alias=True,
    responses={404: {"description": "No treatment with this id; the message lists valid ids"}},
)
async def get_treatment(treatment_id: str, kb: KB) -> Treatment:
    """One treatment with every field of the knowledge base (references are bibliography ids)."""
    treatment = kb.treatments.get(treatment_id)
    if treatment is None:
        valid = ", ".join(sorted(kb.treatments))
        raise HTTPException(404, f"unknown treatment {treatment_id!r}; valid: {valid}")
    return treatment
