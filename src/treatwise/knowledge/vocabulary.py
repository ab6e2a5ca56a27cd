"""The fixed vocabulary of DESIGN.md: ids that clients depend on (the data may add more)."""

from __future__ import annotations

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
