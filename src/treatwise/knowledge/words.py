"""Human words for the vocabulary ids: the one place every page, template, PDF, text output and
email takes its labels from (templates reach them through the Jinja globals in
``web/templating.py``). The ids and their order are in ``treatwise.knowledge.vocabulary``.

Each id has a few forms because it is said in a few places: a *label* (a badge or heading,
capitalised), a *phrase* (inside a sentence) and, for statuses, a *sentence* ending. Safety is
never said as "suitable" alone, which reads as a recommendation.
"""

from __future__ import annotations

# Evidence levels -------------------------------------------------------------------------------

EVIDENCE_LABELS: dict[str, str] = {
    "high": "High certainty",
    "moderate": "Moderate certainty",
    "low": "Low certainty",
    "very_low": "Very low certainty",
    "not_indicated": "Not a use",
    "advised_against": "Advised against",
}
"""Badges and table cells: "Moderate certainty"."""

EVIDENCE_SHORT: dict[str, str] = {
    "high": "high",
    "moderate": "moderate",
    "low": "low",
    "very_low": "very low",
    "not_indicated": "not a use",
    "advised_against": "advised against",
}
"""The grade alone, inside a sentence: "moderate" (the comparison and the pair guide)."""

EVIDENCE_PHRASES: dict[str, str] = {
    "high": "strong evidence",
    "moderate": "moderate evidence",
    "low": "limited evidence",
    "very_low": "very weak evidence",
    "not_indicated": "no evidence (not a use of it)",
    "advised_against": "evidence against it",
}
"""What the studies show, inside a sentence (the decision aid's answer)."""

# Statuses --------------------------------------------------------------------------------------

STATUS_LABELS: dict[str, str] = {
    "suitable": "No safety problem found",
    "caution": "Possible with precautions",
    "doctor_review": "Doctor must assess first",
    "wait": "Wait: not now",
    "not_suitable": "Not suitable for you",
}
"""Safety for you as a badge, shown apart from the evidence."""

STATUS_PHRASES: dict[str, str] = {
    "suitable": "no safety problem found for you",
    "caution": "possible with precautions",
    "doctor_review": "only after a doctor has assessed you",
    "wait": "not now: wait",
    "not_suitable": "not suitable for you",
}
"""Safety for you inside a sentence (the text, PDF and email answers)."""

STATUS_SENTENCES: dict[str, str] = {
    "suitable": "no safety problem was found for you",
    "caution": "it is possible for you, with precautions",
    "doctor_review": "a doctor must assess you before it",
    "wait": "it is not for you now: wait",
    "not_suitable": "it is not suitable for you",
}
"""Safety for you as the end of a sentence ("… ranks 1 of 4 for you: <this>.")."""

# Contraindication levels -----------------------------------------------------------------------

LEVEL_LABELS: dict[str, str] = {
    "absolute": "Do not have it",
    "temporary": "Wait",
    "doctor_review": "Doctor must assess first",
    "caution": "Possible with precautions",
}
"""What a condition means for a treatment, as a badge (``none`` rows are not badged)."""

LEVEL_STATUS: dict[str, str] = {
    "absolute": "not_suitable",
    "temporary": "wait",
    "doctor_review": "doctor_review",
    "caution": "caution",
}
"""The status a contraindication level leads to (its badge takes that status's colour)."""

LEVEL_PHRASES: dict[str, str] = {
    "absolute": "ruled out",
    "temporary": "wait until it has resolved",
    "doctor_review": "only after a doctor's review",
    "caution": "possible with precautions",
    "none": "no specific rule in the sources",
}
"""What a condition means for a treatment, inside a sentence (the comparison)."""

# Side effects, kinds and categories ------------------------------------------------------------

SEVERITY_WORDS: dict[str, str] = {"common": "Common", "uncommon": "Uncommon", "serious": "Serious"}

KIND_LABELS: dict[str, str] = {"article": "Articles", "tip": "Tips", "news": "News"}
"""Hand-written article kinds, as section headings."""

CATEGORY_LABELS: dict[str, str] = {
    "procedure": "Procedures",
    "injectable": "Injections",
    "device": "Devices",
    "topical": "Creams and solutions",
    "medicine": "Medicines",
}
"""Treatment categories, as section headings (in this order)."""

STUDY_LABELS: dict[str, str] = {
    "regulatory": "Regulator's or maker's document",
    "guideline": "Clinical guideline",
    "systematic-review": "Systematic review",
    "rct": "Randomised controlled trial",
    "observational": "Observational study",
    "case-report": "Case report",
    "review": "Narrative review",
    "consensus": "Expert consensus",
    "consumer-health": "Consumer health page",
    "clinic-page": "Clinic or seller page",
    "news": "News report",
}
"""Plain words for each study type (never "Rct")."""

QUALITY_LABELS: dict[str, str] = {
    "high": "high quality",
    "moderate": "moderate quality",
    "low": "low quality",
}

CLINIC_NOTE = "from clinics' own lists, not from studies"
"""Shown next to a statement whose only support is a clinic, seller, consumer or news page."""

VERIFIED_LABELS: dict[str, str] = {
    "pubmed": "Checked against its PubMed record",
    "pmc": "Checked against its PubMed Central record",
    "publisher": "Checked against the publisher's page",
    "crossref": "Checked against its Crossref record",
    "regulator": "Read on the regulator's site",
    "maker": "Read on the maker's site",
}

# Next steps ------------------------------------------------------------------------------------

ACTION_WORDS: dict[str, str] = {"see_doctor": "See a doctor first", "wait": "Wait"}

NEXT_STEP_HEADLINES: dict[str, str] = {
    "see_doctor": "See a doctor before any treatment",
    "wait": "Wait: no treatment for now",
    "choose": "You can choose: one pick for each concern",
    "no_supported_option": "No option is both open to you now and supported by evidence",
}
"""The decision aid's answer in one line, by its next step."""


def evidence_label(level: str) -> str:
    """Plain words for an evidence level (``very_low`` → "Very low certainty")."""
    return EVIDENCE_LABELS.get(level, level.replace("_", " ").capitalize())


WORDS: dict[str, dict[str, str]] = {
    "evidence_labels": EVIDENCE_LABELS,
    "evidence_short": EVIDENCE_SHORT,
    "evidence_phrases": EVIDENCE_PHRASES,
    "status_labels": STATUS_LABELS,
    "status_phrases": STATUS_PHRASES,
    "status_sentences": STATUS_SENTENCES,
    "level_labels": LEVEL_LABELS,
    "level_status": LEVEL_STATUS,
    "level_phrases": LEVEL_PHRASES,
    "severity_words": SEVERITY_WORDS,
    "kind_labels": KIND_LABELS,
    "category_labels": CATEGORY_LABELS,
    "action_words": ACTION_WORDS,
    "next_step_headlines": NEXT_STEP_HEADLINES,
}
"""Every table above by the name templates use (each is a Jinja global)."""
