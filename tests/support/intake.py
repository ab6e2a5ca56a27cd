"""The example intake of docs/design.md, as the decision aid's JSON takes it."""

from __future__ import annotations

import copy
from typing import Any

EXAMPLE_INTAKE: dict[str, Any] = {
    "age": 34,
    "sex": "female",
    "fitzpatrick": 4,
    "concerns": ["acne-scars", "enlarged-pores"],
    "conditions": ["isotretinoin-recent"],
    "setting": "medical",
    "preferences": {
        "max_downtime_days": 3,
        "avoid_needles": False,
        "avoid_injections": False,
        "budget_per_session_usd": 300,
        "max_sessions": 6,
    },
}


def make_intake(**overrides: Any) -> dict[str, Any]:
    """A fresh copy of the example intake with these top-level fields replaced."""
    return {**copy.deepcopy(EXAMPLE_INTAKE), **overrides}


ASSESSMENT_KEYS = frozenset(
    {
        "best",
        "see_doctor_first",
        "next_step",
        "red_flags",
        "options",
        "best_by_concern",
        "considered",
        "combinations",
        "disclaimer",
    }
)
"""The top-level keys of an assessment (docs/design.md, Assessment v2)."""
