"""Compose each kind of email from ``emails/<kind>/`` (subject, text and HTML parts).

Every message carries the one-click unsubscribe headers of RFC 8058
(``List-Unsubscribe`` with an HTTPS URL and a mailto, ``List-Unsubscribe-Post``),
a visible unsubscribe link, a preferences link and the postal address, and a
``Message-ID`` derived from its outbox row: the idempotency key a receiver
(or a test) can use to spot a repeat after a crash.
"""

from __future__ import annotations

from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, parseaddr
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markdown_it import MarkdownIt
from markupsafe import Markup

from treatwise.newsletter.context import Newsletter
from treatwise.newsletter.mailers import Outgoing
from treatwise.store.campaigns import Campaign
from treatwise.store.outbox import Claimed

EMAILS = Path(__file__).resolve().parent / "emails"
# Long unfoldable tokens (the unsubscribe URL) must stay plain text, not RFC 2047 words.
POLICY = policy.default.clone(max_line_length=998)


class Composer:
    """Renders outbox rows into messages; campaign bodies are rendered once and cached."""

    def __init__(self, nl: Newsletter) -> None:
        self.nl = nl
        self.env = Environment(
            loader=FileSystemLoader(EMAILS),
            autoescape=select_autoescape(["html"]),
            undefined=StrictUndefined,
            keep_trailing_newline=True,
        )
        self._markdown = MarkdownIt("js-default")  # raw HTML in Markdown is escaped
        self._campaigns: dict[int, dict[str, Any]] = {}
        name, address = parseaddr(nl.mail_from)
        self.sender = address
        self.domain = address.rpartition("@")[2] or "localhost"
        self.from_header = str(Address(display_name=name, addr_spec=address)) if name else address

    def _campaign(self, campaign: Campaign) -> dict[str, Any]:
        cached = self._campaigns.get(campaign.id)
        if cached is None:
            cached = {
                "subject": campaign.subject,
                "body_text": campaign.body_markdown.strip(),
                "body_html": Markup(self._markdown.render(campaign.body_markdown)),
            }
            self._campaigns[campaign.id] = cached
        return cached

    def compose(self, row: Claimed, campaign: Campaign | None = None) -> Outgoing:
        """The message for one claimed outbox row."""
        key = row.subscriber_key
        context: dict[str, Any] = {
            "postal_address": self.nl.postal_address,
            "unsubscribe_url": self.nl.link("/newsletter/unsubscribe", "unsubscribe", key=key),
            "preferences_url": self.nl.link("/newsletter/preferences", "manage", key=key),
            "confirm_url": None,
        }
        if row.kind == "confirm":
            context["confirm_url"] = self.nl.link("/newsletter/confirm", "confirm", key=key)
            context["preferences_url"] = None  # nothing to manage before confirming
        if row.kind == "campaign":
            assert campaign is not None, "a campaign row needs its campaign"
            context["campaign"] = self._campaign(campaign)
        message = self._message(row, context)
        return Outgoing(
            message=message, recipient=row.email, kind=row.kind, action_url=context["confirm_url"]
        )

    def _render(self, kind: str, part: str, context: dict[str, Any]) -> str:
        return self.env.get_template(f"{kind}/{part}").render(context)

    def _message(self, row: Claimed, context: dict[str, Any]) -> EmailMessage:
        message = EmailMessage(policy=POLICY)
        message["Subject"] = " ".join(self._render(row.kind, "subject.txt", context).split())
        message["From"] = self.from_header
        message["To"] = row.email
        message["Date"] = formatdate(self.nl.now().timestamp(), usegmt=True)
        message["Message-ID"] = f"<outbox.{row.id}@{self.domain}>"
        unsubscribe = context["unsubscribe_url"]
        message["List-Unsubscribe"] = f"<{unsubscribe}>, <mailto:{self.sender}?subject=unsubscribe>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        message["X-Treatwise-Kind"] = row.kind
        message.set_content(self._render(row.kind, "body.txt", context))
        message.add_alternative(self._render(row.kind, "body.html", context), subtype="html")
        return message
