"""The decision aid: a pipeline of pure functions over the knowledge base, with a trail.

Pipeline (each step is a pure function; no clock, no randomness, no I/O)::

    parse_intake(kb, data) -> Intake            intake.py     strict validation, ids from the KB
    screen(kb, intake, treatment) -> Screening  screening.py  status + evidence + reasons
    score(intake, treatment, screening) -> Fit  scoring.py    fit in 0..1 + preference reasons
    assess(kb, intake) -> Assessment            assess.py     rank, best, red flags, combinations

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

Every rule is data (``knowledge/data/rules.yaml`` and the treatment files);
this package only evaluates it. The intake is health data: nothing here logs
or stores it, and error messages name fields, never values.
"""

from treatwise.domain.decide.assess import (
    Assessment,
    CombinationOut,
    ConcernEvidence,
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
from treatwise.domain.decide.scoring import Fit, score
from treatwise.domain.decide.screening import Reason, RedFlagOut, Screening, screen

__all__ = [
    "Assessment",
    "CombinationOut",
    "ConcernEvidence",
    "FieldError",
    "Fit",
    "Intake",
    "IntakeError",
    "Option",
    "Preferences",
    "Reason",
    "RedFlagOut",
    "Screening",
    "assess",
    "decode_intake",
    "parse_intake",
    "score",
    "screen",
]
