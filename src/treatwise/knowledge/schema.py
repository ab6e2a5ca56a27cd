"""The shape of the knowledge base: frozen pydantic models for every data file.

Rule: every medical statement is a model that carries ``references`` (at least
one bibliography id). The loader (``loader.py``) resolves those ids and checks
the vocabulary; this module only describes the shape.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", min_length=2, max_length=64)]
RefId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", min_length=2)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
References = Annotated[tuple[RefId, ...], Field(min_length=1)]

EvidenceLevel = Literal["high", "moderate", "low", "very_low", "not_indicated", "advised_against"]
"""GRADE-style certainty for a (treatment, concern) pair; the last two say it is not a use."""

EVIDENCE_LEVELS: tuple[EvidenceLevel, ...] = (
    "high",
    "moderate",
    "low",
    "very_low",
    "not_indicated",
    "advised_against",
)

ContraindicationLevel = Literal["absolute", "temporary", "doctor_review", "caution", "none"]
"""How strongly a condition limits a treatment: absolute ⇒ not offered; temporary ⇒ wait;
``none`` ⇒ decided: no known restriction (the row's text says why)."""

Invasiveness = Literal["topical", "non-wounding-device", "needling", "injection", "ablative"]
"""How invasive a treatment is, least first: ties in the decision aid break by this order."""
INVASIVENESS: tuple[Invasiveness, ...] = (
    "topical",
    "non-wounding-device",
    "needling",
    "injection",
    "ablative",
)

StudyDesign = Literal[
    "systematic-review",
    "rct",
    "controlled",
    "uncontrolled",
    "case-reports",
    "expert-opinion",
    "none",
]
"""The best design behind an evidence grade (``knowledge/grading.py`` turns it into a level)."""

StudyType = Literal[
    "regulatory",
    "guideline",
    "systematic-review",
    "rct",
    "observational",
    "case-report",
    "review",
    "consensus",
    "consumer-health",
    "clinic-page",
    "news",
]
Quality = Literal["high", "moderate", "low"]
Setting = Literal["medical", "salon", "home"]
SETTINGS: tuple[Setting, ...] = ("medical", "salon", "home")


class Model(BaseModel):
    """Base for every knowledge-base model: immutable and strict about unknown keys."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Cited(Model):
    """A statement in plain language with the bibliography entries that support it."""

    text: Text
    references: References


Verified = Literal["pubmed", "pmc", "publisher", "crossref", "regulator", "maker", "none"]
"""Where a reference's record was read to confirm it (``none``: no record found; say why)."""

JOURNAL_TYPES: frozenset[StudyType] = frozenset(
    {"guideline", "systematic-review", "rct", "observational", "case-report", "review", "consensus"}
)
"""Study types published in journals: each needs a DOI or PMID, or a recorded reason."""
PRACTICE_TYPES: frozenset[StudyType] = frozenset({"clinic-page", "consumer-health", "news"})
"""Pages that may say what clinics do, never alone support a medical statement."""


class Reference(Model):
    """One entry of the bibliography.

    ``publisher`` is best the journal, publisher, regulator or website alone,
    with the year, volume, issue and pages in their own fields (citations
    print each once either way: ``render/bibliography.py``).
    """

    id: RefId
    authors: str | None = None
    title: Text
    publisher: Text = Field(description="Journal, publisher, regulator or website")
    year: int | None = Field(default=None, ge=1900, le=2100)
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    pmid: Annotated[str, StringConstraints(pattern=r"^[0-9]+$")] | None = None
    pmcid: Annotated[str, StringConstraints(pattern=r"^PMC[0-9]+$")] | None = None
    doi: Annotated[str, StringConstraints(pattern=r"^10\.\S+$")] | None = None
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None
    study_type: StudyType
    quality: Quality
    verified: Verified | None = Field(
        default=None, description="Where the record was read to confirm identifiers and details"
    )
    unverified: Text | None = Field(
        default=None, description="Why no DOI or PMID could be confirmed (with verified: none)"
    )
    note: str | None = None

    @model_validator(mode="after")
    def _locatable(self) -> Reference:
        if not (self.pmid or self.doi or self.url or self.unverified):
            raise ValueError(
                "a reference needs at least one of pmid, doi or url, "
                "or an 'unverified' reason saying why it cannot be located"
            )
        if self.verified == "none" and not self.unverified:
            raise ValueError("verified: none needs an 'unverified' reason")
        return self

    @property
    def journal_type(self) -> bool:
        """Published in a journal: needs a DOI or PMID, or a recorded reason."""
        return self.study_type in JOURNAL_TYPES

    @property
    def practice_page(self) -> bool:
        """A clinic, seller, consumer or news page: says what clinics do, not what works."""
        return self.study_type in PRACTICE_TYPES


class Concern(Model):
    """Something a person wants treated (acne scars, melasma, hair loss...)."""

    id: Id
    name: Text
    description: Text = Field(description="One sentence a layperson understands")
    area: Literal["face", "body", "face-or-body", "scalp", "chin"] = "face-or-body"


class RedFlag(Model):
    """What to tell a person with this condition before any treatment."""

    action: Literal["see_doctor", "wait"]
    text: Text
    references: References


class AskIf(Model):
    """When the decision aid asks a condition's question; every given field must hold."""

    sex: tuple[Literal["female", "male", "other"], ...] = Field(
        default=(), description="Ask only people of these sexes (a person who gave none is asked)"
    )
    concerns_any: tuple[Id, ...] = Field(
        default=(), description="Ask only people with one of these concerns"
    )


class Condition(Model):
    """A health condition the decision aid screens for."""

    id: Id
    name: Text
    description: Text
    question: Text = Field(description="The yes/no question the decision aid asks")
    ask_if: AskIf = Field(default_factory=AskIf, description="Empty: always asked")
    red_flag: RedFlag | None = None


class Range(Model):
    """A sourced numeric range (min ≤ max) with an optional typical value."""

    min: float = Field(ge=0)
    max: float = Field(ge=0)
    typical: float | None = Field(default=None, ge=0)
    text: str | None = None
    references: References

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.min > self.max:
            raise ValueError(f"min ({self.min}) is greater than max ({self.max})")
        if self.typical is not None and not self.min <= self.typical <= self.max:
            raise ValueError(f"typical ({self.typical}) lies outside {self.min}..{self.max}")
        return self


class Modality(Model):
    """What the treatment does to the body: used for preferences and setting rules."""

    needles: bool = Field(description="Needles pierce the skin")
    injection: bool = Field(description="A substance is injected")
    blood_product: bool = False
    energy: bool = Field(default=False, description="Radiofrequency, laser or cold energy")
    topical: bool = Field(default=False, description="Applied on the skin by the person")
    home_use: bool = Field(default=False, description="Versions exist for use at home")


class Layer(Model):
    """The skin layer reached, with depth in millimetres."""

    text: Text
    depth_mm: Range | None = None
    references: References


class Basis(Model):
    """The studies behind an evidence grade, as the grading rule reads them."""

    design: StudyDesign = Field(description="The best study design behind the grade")
    trials: int = Field(default=0, ge=0, description="Randomized or split-face controlled trials")
    participants: int | None = Field(
        default=None, ge=0, description="People in the best-design studies; None when unknown"
    )
    direct: bool = Field(
        default=True, description="The studies treated this concern, not a neighbouring one"
    )
    settings: tuple[Setting, ...] = Field(
        default=("medical",), min_length=1, description="Settings the studies were done in"
    )
    consistent: bool = Field(default=True, description="The results point the same way")
    negative: bool = Field(
        default=False, description="The evidence is negative, or regulators warn against this use"
    )


class Indication(Model):
    """The evidence for one concern."""

    concern: Id
    evidence: EvidenceLevel
    basis: Basis | None = None
    summary: Text = Field(description="What the studies show: study type and size")
    uncertainty: Text = Field(description="What is not known (IPDAS)")
    references: References


class Procedure(Model):
    """How a course of treatment runs."""

    preparation: tuple[Cited, ...] = ()
    anaesthesia: Cited | None = None
    session_minutes: Range | None = None
    sessions: Range = Field(description="Number of sessions in a course")
    interval_weeks: Range | None = Field(default=None, description="None for daily topicals")
    maintenance: Cited | None = None
    results_weeks: Range = Field(description="Weeks until results are visible")
    steps: tuple[Cited, ...] = ()


class Pain(Model):
    """How much it hurts, on a 0–10 scale where studies measured it."""

    score: Range | None = None
    text: Text
    references: References


class SideEffect(Model):
    """A harm, graded like the benefits."""

    name: Text
    severity: Literal["common", "uncommon", "serious"]
    frequency: str | None = Field(
        default=None, description="A sourced figure, e.g. '21.9% in one series'"
    )
    text: Text
    references: References


class Contraindication(Model):
    """What a condition means for this treatment; ``rule`` ties it to the R01–R32 table."""

    condition: Id
    level: ContraindicationLevel
    text: Text
    rule: Annotated[str, StringConstraints(pattern=r"^R[0-9]{2}[a-z]?$")] | None = None
    settings: tuple[Setting, ...] = Field(
        default=SETTINGS, description="Where this applies; defaults to every setting"
    )
    references: tuple[RefId, ...] = Field(
        default=(), description="Required, except on a ``none`` row with no source to cite"
    )

    @model_validator(mode="after")
    def _cited(self) -> Contraindication:
        if self.level != "none" and not self.references:
            raise ValueError(f"a {self.level!r} row needs at least one reference")
        return self


class Combination(Model):
    """Another treatment this one is combined with, for given concerns."""

    with_: Id = Field(alias="with")
    concerns: tuple[Id, ...] = Field(min_length=1)
    evidence: EvidenceLevel
    text: Text
    references: References

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class AftercareStep(Model):
    """What to do or expect between two days after a session (day 0 is the session day)."""

    day_from: int = Field(ge=-30)
    day_to: int = Field(ge=-30)
    title: Text
    text: Text
    references: References

    @model_validator(mode="after")
    def _ordered(self) -> AftercareStep:
        if self.day_from > self.day_to:
            raise ValueError(f"day_from ({self.day_from}) is after day_to ({self.day_to})")
        return self


class Cost(Model):
    """Price per session (or per month for topicals) in US dollars, with when it was seen."""

    min_usd: float = Field(ge=0)
    max_usd: float = Field(ge=0)
    per: Literal["session", "month", "course"] = "session"
    as_of: Annotated[str, StringConstraints(pattern=r"^[0-9]{4}(-[0-9]{2})?$")]
    text: Text
    references: References

    @model_validator(mode="after")
    def _ordered(self) -> Cost:
        if self.min_usd > self.max_usd:
            raise ValueError(f"min_usd ({self.min_usd}) is greater than max_usd ({self.max_usd})")
        return self


class Disagreement(Model):
    """Where sources disagree, and the safer reading Treatwise takes."""

    topic: Text
    text: Text
    safer_reading: Text
    references: References


class Review(Model):
    """The IPDAS items: who wrote and reviewed it, when, how it is kept current, who paid."""

    last_reviewed: dt.date
    authors: tuple[Text, ...] = Field(min_length=1)
    reviewer: Text
    update_policy: Text
    funding: Text


class Treatment(Model):
    """One treatment, in the depth a person needs to weigh it."""

    id: Id
    name: Text
    aliases: tuple[Text, ...] = ()
    category: Literal["procedure", "injectable", "device", "topical", "medicine"]
    summary: Cited = Field(description="What it is, in two or three sentences")
    mechanism: Cited
    layer: Layer
    application: Cited = Field(description="How it is applied: devices and techniques")
    what_enters_skin: Cited
    modality: Modality
    invasiveness: Invasiveness | None = Field(
        default=None, description="Least invasive first: breaks ties in the decision aid"
    )
    practitioners: Cited = Field(description="Who may perform it")
    regulation: tuple[Cited, ...] = Field(min_length=1)
    benefits: tuple[Cited, ...] = Field(min_length=1)
    indications: tuple[Indication, ...] = Field(min_length=1)
    procedure: Procedure
    downtime_days: Range
    pain: Pain
    side_effects: tuple[SideEffect, ...] = Field(min_length=1)
    contraindications: tuple[Contraindication, ...] = ()
    skin_of_colour: tuple[Cited, ...] = ()
    combinations: tuple[Combination, ...] = ()
    aftercare: tuple[AftercareStep, ...] = ()
    warning_signs: tuple[Cited, ...] = Field(default=(), description="When to call the clinic")
    cost: Cost | None = None
    disagreements: tuple[Disagreement, ...] = ()
    review: Review

    @property
    def restrictions(self) -> tuple[Contraindication, ...]:
        """The contraindication rows that restrict (every level but ``none``)."""
        return tuple(row for row in self.contraindications if row.level != "none")

    def evidence_for(self, concern: str) -> EvidenceLevel:
        """The evidence level for a concern; ``not_indicated`` when the data is silent."""
        for indication in self.indications:
            if indication.concern == concern:
                return indication.evidence
        return "not_indicated"


RuleStatus = Literal["not_suitable", "wait", "doctor_review", "caution"]


class RuleTrigger(Model):
    """When a cross-cutting rule fires; every given field must hold (logical AND)."""

    age_below: int | None = Field(default=None, ge=1, le=120)
    concerns_any: tuple[Id, ...] = ()
    conditions_any: tuple[Id, ...] = ()
    conditions_none: tuple[Id, ...] = Field(
        default=(), description="Fires only when none of these conditions is stated"
    )
    sex: tuple[Literal["female", "male", "other"], ...] = ()
    fitzpatrick_at_least: int | None = Field(default=None, ge=1, le=6)
    settings: tuple[Setting, ...] = ()
    avoid_needles: bool | None = None
    avoid_injections: bool | None = None


class TreatmentSelector(Model):
    """Which treatments a rule's effect applies to: listed ids, or every one with a modality."""

    ids: tuple[Id, ...] = ()
    needles: bool | None = None
    injection: bool | None = None
    blood_product: bool | None = None
    energy: bool | None = None
    home_use: bool | None = None
    all: bool = False
    indicated_for: tuple[Id, ...] = Field(
        default=(),
        description="Every treatment with evidence other than not_indicated for one of these",
    )


class RuleEffect(Model):
    """What a rule does to the selected treatments."""

    treatments: TreatmentSelector
    status: RuleStatus | None = None
    evidence: EvidenceLevel | None = Field(
        default=None, description="Caps the evidence for the triggering concerns"
    )
    kind: Literal["contraindication", "caution", "note", "preference"] = "caution"
    fit_factor: float | None = Field(
        default=None, gt=0, le=1, description="Multiplies the fit: ranks the treatment lower"
    )
    text: Text
    references: tuple[RefId, ...] = Field(
        default=(), description="Sources for this effect's text; default: the rule's references"
    )


class Rule(Model):
    """A cross-cutting screening rule of the R01–R32 table that is not a per-treatment row."""

    id: Annotated[str, StringConstraints(pattern=r"^R[0-9]{2}[a-z]?$")]
    title: Text
    when: RuleTrigger
    effects: tuple[RuleEffect, ...] = ()
    red_flag: RedFlag | None = None
    references: References


class Rules(Model):
    """The file ``rules.yaml``: cross-cutting rules and the disclaimer every result carries."""

    disclaimer: Text
    rules: tuple[Rule, ...]
