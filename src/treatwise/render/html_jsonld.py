"""schema.org JSON-LD for content pages (MedicalWebPage about a MedicalProcedure)."""

from __future__ import annotations

from typing import Any

from treatwise.knowledge import KnowledgeBase
from treatwise.knowledge.schema import Treatment

_PROCEDURE_TYPE = {
    "procedure": "https://schema.org/NoninvasiveProcedure",
    "device": "https://schema.org/NoninvasiveProcedure",
    "injectable": "https://schema.org/PercutaneousProcedure",
    "topical": "https://schema.org/NoninvasiveProcedure",
    "medicine": "https://schema.org/NoninvasiveProcedure",
}


def procedure(kb: KnowledgeBase, treatment: Treatment, url: str) -> dict[str, Any]:
    """A MedicalProcedure describing one treatment (its uses, harms and contraindications)."""
    procedure_type = _PROCEDURE_TYPE[treatment.category]
    if treatment.modality.needles or treatment.modality.injection:
        procedure_type = "https://schema.org/PercutaneousProcedure"
    indicated = [
        kb.concerns[i.concern].name
        for i in treatment.indications
        if i.evidence not in ("not_indicated", "advised_against") and i.concern in kb.concerns
    ]
    return {
        "@type": "MedicalProcedure",
        "@id": f"{url}#procedure",
        "name": treatment.name,
        "alternateName": list(treatment.aliases),
        "description": treatment.summary.text,
        "procedureType": procedure_type,
        "howPerformed": treatment.application.text,
        "bodyLocation": treatment.layer.text,
        "followup": treatment.procedure.maintenance.text
        if treatment.procedure.maintenance
        else None,
        "indication": [{"@type": "MedicalIndication", "name": name} for name in indicated],
        "contraindication": [
            kb.conditions[c.condition].name
            for c in treatment.contraindications
            if c.level == "absolute" and c.condition in kb.conditions
        ],
        "adverseOutcome": [
            {"@type": "MedicalEntity", "name": s.name} for s in treatment.side_effects
        ],
    }


def page(
    *,
    url: str,
    name: str,
    description: str,
    about: list[dict[str, Any]],
    last_reviewed: str | None = None,
) -> dict[str, Any]:
    """A MedicalWebPage wrapping the given entities (None values are dropped)."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "@id": url,
        "url": url,
        "name": name,
        "description": description,
        "audience": {"@type": "MedicalAudience", "audienceType": "Patient"},
        "lastReviewed": last_reviewed,
        "about": about,
    }
    cleaned: dict[str, Any] = _drop_none(data)
    return cleaned


def _drop_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_none(v) for v in value]
    return value
