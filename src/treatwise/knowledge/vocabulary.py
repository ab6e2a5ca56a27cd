"""The fixed vocabulary of docs/design.md: the ids clients depend on (the data may add more),
and the one order of each ordered vocabulary with its comparisons.

Orders, stated once: evidence levels rank so that higher is better supported (``high`` top,
``advised_against`` bottom); statuses run strictest first; contraindication levels rank so that
higher is stricter. Human words for these ids live in ``treatwise.render.words``.
"""

from __future__ import annotations

from typing import Literal

from treatwise.knowledge.schema import EVIDENCE_LEVELS, ContraindicationLevel, EvidenceLevel

CONCERN_IDS: tuple[str, ...] = (
    "acne-scars",
    "scars",
    "stretch-marks",
    "fine-lines",
    "skin-laxity",
    "enlarged-pores",
    "uneven-texture",
    "hyperpigmentation",
    "melasma",
    "dull-dehydrated-skin",
    "hair-loss",
    "cellulite",
    "localized-fat",
    "double-chin",
)

CONDITION_IDS: tuple[str, ...] = (
    "pregnant",
    "breastfeeding",
    "active-skin-infection",
    "active-cold-sore",
    "cold-sore-history",
    "active-inflammatory-acne",
    "isotretinoin-current",
    "isotretinoin-recent",
    "keloid-tendency",
    "anticoagulants",
    "bleeding-disorder",
    "immunosuppressed",
    "recent-radiation",
    "uncontrolled-diabetes",
    "active-dermatitis",
    "suspicious-lesion",
    "nickel-allergy",
    "lidocaine-allergy",
    "injectable-ingredient-allergy",
    "pacemaker",
    "metal-implant-in-area",
    "autoimmune-disease",
    "recent-sunburn",
    "hair-loss-diagnosed",
    # contract v2
    "cold-sensitivity",
    "trouble-swallowing",
    "neck-surgery-history",
    "heart-disease",
    "trying-to-conceive",
)

TREATMENT_IDS: tuple[str, ...] = (
    "microneedling",
    "mesotherapy",
    "prp",
    "chemical-peel",
    "fractional-laser",
    "deoxycholic-acid",
    "cryolipolysis",
    "topical-minoxidil",
    "topical-retinoid",
    "rf-microneedling",
    # contract v2
    "non-ablative-laser",
)

SETTING_IDS: tuple[str, ...] = ("medical", "salon", "home")


# Evidence levels -------------------------------------------------------------------------------

EVIDENCE_RANK: dict[str, int] = {
    level: len(EVIDENCE_LEVELS) - 1 - i for i, level in enumerate(EVIDENCE_LEVELS)
}
"""How well supported a use is: higher is better supported (``advised_against`` is 0)."""

NOT_A_USE: frozenset[str] = frozenset({"not_indicated", "advised_against"})
"""Evidence levels that say the treatment is not used for the concern."""

USES: frozenset[str] = frozenset(EVIDENCE_LEVELS) - NOT_A_USE
"""Evidence levels that mean the treatment is used for the concern (``high`` … ``very_low``)."""

SUPPORTED: frozenset[str] = frozenset({"high", "moderate", "low"})
"""Evidence levels strong enough for the decision aid to call a use supported."""


def stronger(a: EvidenceLevel, b: EvidenceLevel) -> EvidenceLevel:
    """The better supported of two evidence levels (``a`` on a tie)."""
    return a if EVIDENCE_RANK[a] >= EVIDENCE_RANK[b] else b


def weaker(a: EvidenceLevel, b: EvidenceLevel) -> EvidenceLevel:
    """The less supported of two evidence levels (``a`` on a tie)."""
    return a if EVIDENCE_RANK[a] <= EVIDENCE_RANK[b] else b


def at_least(level: str, floor: str) -> bool:
    """Whether ``level`` is as well supported as ``floor`` or better."""
    return EVIDENCE_RANK[level] >= EVIDENCE_RANK[floor]


def strongest_first(level: str) -> int:
    """A sort key that puts the best supported evidence level first."""
    return -EVIDENCE_RANK[level]


# Statuses --------------------------------------------------------------------------------------

Status = Literal["not_suitable", "wait", "doctor_review", "caution", "suitable"]
STATUSES: tuple[Status, ...] = ("not_suitable", "wait", "doctor_review", "caution", "suitable")
"""Safety statuses, strictest first."""

STRICTNESS: dict[str, int] = {status: len(STATUSES) - i for i, status in enumerate(STATUSES)}
"""How strict a status is: higher is stricter (``not_suitable`` 5 … ``suitable`` 1)."""


def stricter(a: Status, b: Status) -> Status:
    """The stricter of two statuses (``a`` on a tie)."""
    return a if STRICTNESS[a] >= STRICTNESS[b] else b


# Contraindication levels -----------------------------------------------------------------------

CONTRAINDICATION_LEVELS: tuple[ContraindicationLevel, ...] = (
    "absolute",
    "temporary",
    "doctor_review",
    "caution",
    "none",
)
"""How strongly a condition limits a treatment, strictest first (``none``: decided, no limit)."""

LEVEL_RANK: dict[str, int] = {
    level: len(CONTRAINDICATION_LEVELS) - 1 - i for i, level in enumerate(CONTRAINDICATION_LEVELS)
}
"""How strictly a condition limits a treatment: higher is stricter (``none`` is 0)."""


def strictest(levels: tuple[ContraindicationLevel, ...]) -> str:
    """The strictest of these contraindication levels; ``none`` when there is none."""
    return max(levels, key=LEVEL_RANK.__getitem__, default="none")


# Side-effect severities ------------------------------------------------------------------------

SEVERITY_ORDER: dict[str, int] = {"common": 0, "uncommon": 1, "serious": 2}
"""Side-effect severities, mildest first."""
