"""Treatment plans: session dates, preparation, a dated aftercare timeline, reviews and cost.

``plan(kb, treatment, *, start, sessions=None, interval_weeks=None, today=None)``
builds a :class:`Plan` from the knowledge-base protocol of one treatment. It is
pure: the start date (and ``today``, where a past start matters) come in as
arguments, so the edges (CLI, web) decide what "today" is.

Two kinds of plan, chosen by the data (``procedure.interval_weeks``):

- ``sessions``: a course of sessions ``interval_weeks`` apart, starting on
  ``start``. The number of sessions and the interval must lie in the sourced
  ranges (``procedure.sessions``, ``procedure.interval_weeks``). Defaults: the
  typical value, else the fewest sessions and the longest interval (more time
  to heal between sessions is the safer reading).
- ``daily``: a daily topical (no interval in the data). ``sessions`` then
  counts months of daily use, as the knowledge base does; monthly check-ins.

Every item carries the references of the knowledge-base entries it comes
from. Review points are counted from the last session (trials assess results
"after the course"), or from the start for daily topicals. Invalid input raises
:class:`PlanError` listing every problem, each naming its field and the allowed
(sourced) values; messages never repeat the submitted value.

Every edge reads a request through ``parse_plan`` (``request.py``), so the API,
the page and the CLI check the same fields the same way.
"""

from treatwise.domain.plan.build import (
    add_months,
    allowed_counts,
    allowed_intervals,
    default_count,
    default_interval,
    parse_date,
    plan,
)
from treatwise.domain.plan.request import PLAN_FIELDS, parse_plan
from treatwise.domain.plan.values import (
    REVIEW_LABELS,
    CheckIn,
    CostEstimate,
    Milestone,
    Plan,
    PlanError,
    PlanFieldError,
    PlanKind,
    ReviewKind,
    ReviewPoint,
    Session,
    cited_references,
)

__all__ = [
    "PLAN_FIELDS",
    "REVIEW_LABELS",
    "CheckIn",
    "CostEstimate",
    "Milestone",
    "Plan",
    "PlanError",
    "PlanFieldError",
    "PlanKind",
    "ReviewKind",
    "ReviewPoint",
    "Session",
    "add_months",
    "allowed_counts",
    "allowed_intervals",
    "cited_references",
    "default_count",
    "default_interval",
    "parse_date",
    "parse_plan",
    "plan",
]
