"""A small, complete fake knowledge base for web tests (independent of the real data's progress)."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

import yaml

from treatwise.knowledge import KnowledgeBase
from treatwise.knowledge.loader import default_data_dir
from treatwise.knowledge.schema import Concern, Condition, Reference, Rules, Treatment

REFS = ("r-trial", "r-review", "r-fda")


def _ref(i: str, title: str, **extra: Any) -> Reference:
    base = {
        "id": i,
        "title": title,
        "publisher": "Journal of Tests",
        "year": 2021,
        "study_type": "systematic-review",
        "quality": "high",
        "pmid": "12345",
    }
    return Reference.model_validate({**base, **extra})


def _range(lo: float, hi: float, **extra: Any) -> dict[str, Any]:
    return {"min": lo, "max": hi, "references": ["r-trial"], **extra}


def _cited(text: str, *refs: str) -> dict[str, Any]:
    return {"text": text, "references": list(refs or ["r-review"])}


def treatment(tid: str, name: str, **overrides: Any) -> Treatment:
    """A treatment with every field filled (override any of them)."""
    data: dict[str, Any] = {
        "id": tid,
        "name": name,
        "aliases": [f"{name} alias"],
        "category": "procedure",
        "summary": _cited(f"{name} summary sentence."),
        "mechanism": _cited(f"{name} mechanism text."),
        "layer": {
            "text": f"{name} reaches the dermis.",
            "references": ["r-review"],
            "depth_mm": _range(0.5, 2.0, typical=1.0),
        },
        "application": _cited(f"{name} application text."),
        "what_enters_skin": _cited(f"{name} what enters."),
        "modality": {"needles": True, "injection": tid == "mesotherapy"},
        "practitioners": _cited(f"{name} practitioners text."),
        "regulation": [_cited(f"{name} regulation text.", "r-fda")],
        "benefits": [_cited(f"{name} benefit one.")],
        "indications": [
            {
                "concern": "acne-scars",
                "evidence": "moderate" if tid == "microneedling" else "very_low",
                "summary": f"{name} acne-scar studies.",
                "uncertainty": f"{name} unknowns.",
                "references": ["r-trial"],
            },
            {
                "concern": "cellulite",
                "evidence": "advised_against",
                "summary": f"{name} cellulite summary.",
                "uncertainty": "Unclear.",
                "references": ["r-fda"],
            },
        ],
        "procedure": {
            "preparation": [_cited(f"{name} preparation step.")],
            "anaesthesia": _cited(f"{name} numbing cream."),
            "session_minutes": _range(30, 60),
            "sessions": _range(3, 6, typical=4),
            "interval_weeks": _range(4, 6),
            "maintenance": _cited(f"{name} maintenance yearly."),
            "results_weeks": _range(6, 12),
            "steps": [_cited(f"{name} step one.")],
        },
        "downtime_days": _range(1, 3),
        "pain": {"text": f"{name} pain text.", "references": ["r-trial"], "score": _range(2, 4)},
        "side_effects": [
            {
                "name": f"{name} redness",
                "severity": "common",
                "frequency": "most people",
                "text": f"{name} redness text.",
                "references": ["r-trial"],
            },
            {
                "name": f"{name} infection",
                "severity": "serious",
                "text": f"{name} infection text.",
                "references": ["r-fda"],
            },
        ],
        "contraindications": [
            {
                "condition": "pregnant",
                "level": "absolute",
                "text": f"{name} not in pregnancy.",
                "rule": "R01",
                "references": ["r-review"],
            },
            {
                "condition": "keloid-tendency",
                "level": "doctor_review",
                "text": f"{name} keloid.",
                "settings": ["medical"],
                "references": ["r-review"],
            },
        ],
        "skin_of_colour": [_cited(f"{name} darker skin note.")],
        "combinations": [
            {
                "with": "mesotherapy" if tid == "microneedling" else "microneedling",
                "concerns": ["acne-scars"],
                "evidence": "low",
                "text": f"{name} combined text.",
                "references": ["r-trial"],
            },
        ],
        "aftercare": [
            {
                "day_from": 0,
                "day_to": 2,
                "title": "Keep it clean",
                "text": f"{name} aftercare text.",
                "references": ["r-review"],
            }
        ],
        "warning_signs": [_cited(f"{name} warning sign.")],
        "cost": {
            "min_usd": 200,
            "max_usd": 700,
            "as_of": "2025-06",
            "text": f"{name} cost text.",
            "references": ["r-review"],
        },
        "disagreements": [
            {
                "topic": f"{name} disagreement topic",
                "text": f"{name} sources differ.",
                "safer_reading": f"{name} safer reading.",
                "references": ["r-fda"],
            }
        ],
        "review": {
            "last_reviewed": "2025-11-01",
            "authors": ["Test Author"],
            "reviewer": "Dr Test Reviewer",
            "update_policy": "Reviewed yearly.",
            "funding": "No funding.",
        },
    }
    data.update(overrides)
    return Treatment.model_validate(data)


def fake_kb() -> KnowledgeBase:
    """Two treatments, three concerns, three conditions (one with a red flag)."""
    concerns = [
        Concern(id="acne-scars", name="Acne scars", description="Marks left by acne."),
        Concern(id="cellulite", name="Cellulite", description="Dimpled skin.", area="body"),
        Concern(id="melasma", name="Melasma", description="Brown patches."),
    ]
    conditions = [
        Condition.model_validate(
            {
                "id": "pregnant",
                "name": "Pregnancy",
                "description": "Being pregnant.",
                "question": "Are you pregnant or trying to become pregnant?",
                "red_flag": {
                    "action": "wait",
                    "text": "Wait until after pregnancy.",
                    "references": ["r-review"],
                },
            }
        ),
        Condition(
            id="keloid-tendency",
            name="Keloid scars",
            description="Raised scars.",
            question="Have you ever had raised, thick scars (keloids)?",
        ),
        Condition.model_validate(
            {
                "id": "suspicious-lesion",
                "name": "Suspicious spot",
                "description": "A changing spot.",
                "question": "Do you have a new, changing or bleeding spot in the area?",
                "red_flag": {
                    "action": "see_doctor",
                    "text": "Have the spot checked by a doctor first.",
                    "references": ["r-fda"],
                },
            }
        ),
    ]
    references = [
        _ref("r-trial", "A randomised trial of needling"),
        _ref("r-review", "A review of skin treatments", doi="10.1000/xyz"),
        _ref(
            "r-fda",
            "Regulator warning",
            publisher="FDA",
            url="https://www.fda.gov/x",
            study_type="regulatory",
            pmid=None,
        ),
    ]
    own = yaml.safe_load((default_data_dir() / "references" / "web.yaml").read_text("utf-8"))
    references += [Reference.model_validate(r) for r in own["references"]]
    treatments = [
        treatment("microneedling", "Microneedling"),
        treatment("mesotherapy", "Mesotherapy", category="injectable"),
    ]
    return KnowledgeBase(
        treatments=MappingProxyType({t.id: t for t in treatments}),
        concerns=MappingProxyType({c.id: c for c in concerns}),
        conditions=MappingProxyType({c.id: c for c in conditions}),
        references=MappingProxyType({r.id: r for r in references}),
        rules=Rules(disclaimer="Test disclaimer: see a clinician.", rules=()),
        version="testversion1",
    )
