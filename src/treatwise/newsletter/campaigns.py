"""Campaigns: create one from Markdown, queue it for active subscribers, count what happened."""

from __future__ import annotations

from dataclasses import dataclass

from treatwise.newsletter.context import Newsletter
from treatwise.newsletter.errors import InvalidInput, NotFound
from treatwise.store import campaigns, outbox, subscribers
from treatwise.store.campaigns import Campaign

MAX_SUBJECT = 200
MAX_BODY = 200_000


def create(
    nl: Newsletter, *, subject: str, body_markdown: str, interest: str | None = None
) -> Campaign:
    """Store a new campaign; the subject is one line, the body Markdown, the interest known."""
    subject = " ".join(subject.split())
    if not subject or len(subject) > MAX_SUBJECT:
        raise InvalidInput("subject", f"one line of 1 to {MAX_SUBJECT} characters")
    if not body_markdown.strip() or len(body_markdown) > MAX_BODY:
        raise InvalidInput("body", f"Markdown text of 1 to {MAX_BODY} characters")
    if interest is not None and interest not in nl.interests:
        valid = ", ".join(sorted(nl.interests)) or "(none configured)"
        raise InvalidInput("interest", f"unknown {interest!r}; valid: {valid}")
    with nl.db.begin() as tx:
        return campaigns.insert(
            tx, subject=subject, body_markdown=body_markdown, interest=interest, now=nl.now()
        )


def queue(nl: Newsletter, *, campaign_id: int) -> int:
    """Queue the campaign for every active subscriber not yet queued; return how many were added.

    Idempotent: the outbox holds one row per campaign and subscriber, so a second call
    adds only people who became active since the first.
    """
    now = nl.now()
    with nl.db.begin() as tx:
        campaign = campaigns.get(tx, campaign_id)
        if campaign is None:
            raise NotFound(f"no campaign with id {campaign_id}")
        added = outbox.enqueue_campaign(
            tx, campaign_id=campaign_id, interest=campaign.interest, now=now
        )
        campaigns.mark_queued(tx, campaign_id, now=now)
    return added


@dataclass(frozen=True, slots=True)
class Stats:
    """Subscriber counts by status, and outbox counts by campaign (or mail kind) and status."""

    subscribers: dict[str, int]
    messages: dict[str, dict[str, int]]
    campaigns: list[Campaign]


def stats(nl: Newsletter) -> Stats:
    """Counts for the ``stats`` command and dashboards."""
    with nl.db.begin() as tx:
        by_status = subscribers.count_by_status(tx)
        messages: dict[str, dict[str, int]] = {}
        for campaign_id, kind, status, count in outbox.counts(tx):
            label = f"campaign {campaign_id}" if campaign_id is not None else kind
            messages.setdefault(label, {})[status] = count
        every = campaigns.all_campaigns(tx)
    return Stats(subscribers=by_status, messages=messages, campaigns=every)
