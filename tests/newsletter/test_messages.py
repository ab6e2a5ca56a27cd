"""Composed messages: structure, encodings, headers and links, parsed back by the email package."""

from __future__ import annotations

import pytest

from treatwise.newsletter import campaigns
from treatwise.newsletter.context import Newsletter
from treatwise.newsletter.messages import Composer
from treatwise.store.outbox import Claimed

KEY = "0123456789abcdef0123456789abcdef"


def _row(kind: str, campaign_id: int | None = None, email: str = "ann@example.org") -> Claimed:
    status = "pending" if kind == "confirm" else "active"
    return Claimed(7, kind, campaign_id, 1, 3, KEY, email, status)


@pytest.mark.parametrize(
    ("subject", "body", "encoding"),
    [
        ("Plain subject", "# Plain\n\nJust ASCII.\n\n.a line starting with a dot", "7bit"),
        ("Naïve subject – ok", "# Plain body", "quoted-printable"),  # the HTML <title>
        ("Plain", "# Crème – über\n\n" + "Long line " * 120, "quoted-printable"),
    ],
)
def test_campaign_parts_round_trip(nl: Newsletter, subject: str, body: str, encoding: str) -> None:
    created = campaigns.create(nl, subject=subject, body_markdown=body)
    outgoing = Composer(nl).compose(_row("campaign", created.id), created)
    message = outgoing.message
    assert message["Subject"] == subject
    assert message["Message-ID"] == "<outbox.7@treatwise.test>"
    text, html = message.get_body(("plain",)), message.get_body(("html",))
    assert text is not None and html is not None
    assert text["Content-Transfer-Encoding"] == encoding
    assert body.strip() in text.get_content()
    assert "unsubscribe?token=" in text.get_content() and "&middot;" in html.get_content()
    assert outgoing.data.isascii()


def test_confirmation_has_a_confirm_link_and_no_preferences(nl: Newsletter) -> None:
    outgoing = Composer(nl).compose(_row("confirm"))
    text = outgoing.message.get_body(("plain",))
    assert text is not None
    assert outgoing.action_url is not None and outgoing.action_url in text.get_content()
    assert "/newsletter/preferences" not in text.get_content()
    assert outgoing.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_links_in_html_are_escaped_and_tokens_differ_per_purpose(nl: Newsletter) -> None:
    outgoing = Composer(nl).compose(_row("welcome"))
    html = outgoing.message.get_body(("html",))
    assert html is not None
    content = html.get_content()
    unsubscribe = content.split('href="https://treatwise.test/newsletter/unsubscribe?token=')[1]
    preferences = content.split('href="https://treatwise.test/newsletter/preferences?token=')[1]
    assert unsubscribe.split('"')[0] != preferences.split('"')[0]
