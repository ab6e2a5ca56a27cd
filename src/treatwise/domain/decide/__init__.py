"""The decision aid: a pipeline of pure functions over the knowledge base, with a trail.

Pipeline (each step is a pure function; no clock, no randomness, no I/O)::

    parse_intake(kb, data) -> Intake            intake.py     strict validation, ids from the KB
    screen(kb, intake, treatment) -> Screening  screening.py  status + evidence + reasons
    settle_unsure(...) -> Screening             unsure.py     "not sure": at least doctor_review
    score(intake, treatment, screening) -> Fit  scoring.py    fit in 0..1 + preference reasons
    assess(kb, intake) -> Assessment            assess.py     rank, best, next step, picks

``questions(kb, sex=..., concerns=...)`` (questions.py) says which health
questions to ask a person (``Condition.ask_if``); the form and the CLI use it.

Order of evaluation for one treatment (``screen``):

1. the treatment's contraindication rows for the stated conditions, in the
   intake's setting (default ``medical``);
2. the cross-cutting rules of ``rules.yaml`` whose trigger holds, in file
   order: statuses, evidence caps for the triggering concerns, notes;
3. the evidence for each concern (after caps); ``not_suitable`` when every
   concern is ``not_indicated`` or ``advised_against``.

The strictest status wins: ``not_suitable`` > ``wait`` > ``doctor_review`` >
``caution`` > ``suitable``. Then ``score`` computes the fit, and ``assess``
ranks every treatment: groups (suitable and caution, then doctor_review, then
wait, then not_suitable), fit descending within a group, ties by treatment id.
``best`` is the first ranked option whose status is suitable, caution or
doctor_review and whose evidence is at least ``low`` for one concern.
Red flags come from the stated conditions and from rules; ``see_doctor_first``
is true exactly when one says ``see_doctor``.

Contract v2: a condition in ``unsure`` is screened as if stated; every treatment
it would restrict becomes at least ``doctor_review`` with an ``unsure`` reason.
``next_step`` is ``see_doctor`` when a red flag says so, else ``wait`` when one
says wait, else ``choose`` when ``best`` is set, else ``no_supported_option``.
``best_by_concern`` applies the ``best`` rule to each concern alone (fit for
that concern); ``considered`` says where the treatment asked about stands.

Every rule is data (``knowledge/data/rules.yaml`` and the treatment files);
this package only evaluates it. The intake is health data: nothing here logs
or stores it, and error messages name fields, never values.
"""

from treatwise.domain.decide.assess import (
    NEXT_STEPS,
    Assessment,
    CombinationOut,
    ConcernEvidence,
    Considered,
    NextStep,
    Option,
    assess,
)
from treatwise.domain.decide.intake import (
    FieldError,
    Intake,
    IntakeError,
    Preferences,
    decode_intake,
    parse_intake,
)
from treatwise.domain.decide.questions import asks, questions
from treatwise.domain.decide.scoring import Fit, score
from treatwise.domain.decide.screening import Reason, RedFlagOut, Screening, screen

__all__ = [
    "NEXT_STEPS",
    "Assessment",
    "CombinationOut",
    "ConcernEvidence",
    "Considered",
    "FieldError",
    "Fit",
    "Intake",
    "IntakeError",
    "NextStep",
    "Option",
    "Preferences",
    "Reason",
    "RedFlagOut",
    "Screening",
    "asks",
    "assess",
    "decode_intake",
    "parse_intake",
    "questions",
    "score",
    "screen",
]
