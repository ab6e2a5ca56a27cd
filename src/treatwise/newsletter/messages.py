"""Compose each kind of email from ``emails/<kind>/`` (subject, text and HTML parts).

Every message carries the one-click unsubscribe headers of RFC 8058
(``List-Unsubscribe`` with an HTTPS URL and a mailto, ``List-Unsubscribe-Post``),
a visible unsubscribe link, a preferences link and the postal address, and a
``Message-ID`` derived from its outbox row: the idempotency key a receiver
(or a test) can use to spot a repeat after a crash.

Speed: the templates are rendered once per kind and campaign with marker strings
where the per-recipient links go; each message is then the rendered parts with
the links substituted, quoted-printable encoded and framed by hand (the
``email`` package's header machinery costs about 1 ms a message). Addresses that
are not plain ASCII take the ``email`` package path, with SMTPUTF8 headers.
"""

from __future__ import annotations

import binascii
import secrets
from dataclasses import dataclass, replace
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, parseaddr
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from treatwise.newsletter import addresses
from treatwise.newsletter.context import Newsletter
from treatwise.newsletter.mailers import Outgoing
from treatwise.store.campaigns import Campaign
from treatwise.store.outbox import Claimed

EMAILS = Path(__file__).resolve().parent / "emails"
# Long unfoldable tokens (the unsubscribe URL) must stay plain text, not RFC 2047 words.
POLICY = policy.default.clone(max_line_length=998)
LINKS = {  # marker in the rendered template -> (path, token purpose)
    "TWLINKUNSUBSCRIBE": ("/newsletter/unsubscribe", "unsubscribe"),
    "TWLINKPREFERENCES": ("/newsletter/preferences", "manage"),
    "TWLINKCONFIRM": ("/newsletter/confirm", "confirm"),
    "TWLINKDATA": ("/newsletter/data", "data"),
}


@dataclass(frozen=True, slots=True)
class Rendered:
    """One kind (and campaign) rendered with link markers, plus its fixed headers."""

    subject: str
    text: str
    html: str
    markers: tuple[str, ...]  # the LINKS markers this kind uses
    fixed_headers: str  # Subject, From, MIME headers, already folded
    boundary: str
    encoding: str  # "7bit" when the parts are short-lined ASCII, else "quoted-printable"


class Composer:
    """Renders outbox rows into messages; templates are rendered once per kind and campaign."""

    def __init__(self, nl: Newsletter) -> None:
        self.nl = nl
        self.env = Environment(
            loader=FileSystemLoader(EMAILS),
            autoescape=select_autoescape(["html"]),
            undefined=StrictUndefined,
            keep_trailing_newline=True,
        )
        self._markdown = MarkdownIt("js-default")  # raw HTML in Markdown is escaped
        self._rendered: dict[tuple[str, int | None], Rendered] = {}
        name, address = parseaddr(nl.mail_from)
        self.sender = address
        self.domain = address.rpartition("@")[2] or "localhost"
        self.from_header = str(Address(display_name=name, addr_spec=address)) if name else address

    def compose(self, row: Claimed, campaign: Campaign | None = None) -> Outgoing:
        """The message for one claimed outbox row."""
        row = replace(row, email=addresses.for_smtp(row.email))  # an ASCII domain for SMTP
        rendered = self._render(row.kind, campaign)
        links = {
            marker: self.nl.link(LINKS[marker][0], LINKS[marker][1], key=row.subscriber_key)
            for marker in rendered.markers
        }
        text, html = rendered.text, rendered.html
        for marker, url in links.items():
            text = text.replace(marker, url)
            html = html.replace(marker, str(escape(url)))
        unsubscribe = links["TWLINKUNSUBSCRIBE"]
        if row.email.isascii():
            data = self._frame(row, rendered, text, html, unsubscribe)
        else:
            data = self._email_package(row, rendered, text, html, unsubscribe)
        return Outgoing(
            data=data,
            sender=self.sender,
            recipient=row.email,
            kind=row.kind,
            action_url=links.get("TWLINKCONFIRM"),
        )

    def _render(self, kind: str, campaign: Campaign | None) -> Rendered:
        key = (kind, campaign.id if kind == "campaign" and campaign else None)
        cached = self._rendered.get(key)
        if cached is None:
            cached = self._rendered[key] = self._render_once(kind, campaign)
        return cached

    def _render_once(self, kind: str, campaign: Campaign | None) -> Rendered:
        context: dict[str, Any] = {
            "postal_address": self.nl.postal_address,
            "unsubscribe_url": "TWLINKUNSUBSCRIBE",
            "preferences_url": None if kind == "confirm" else "TWLINKPREFERENCES",
            "confirm_url": "TWLINKCONFIRM" if kind == "confirm" else None,
            "data_url": "TWLINKDATA" if kind == "data-link" else None,
        }
        if kind == "campaign":
            assert campaign is not None, "a campaign row needs its campaign"
            context["campaign"] = {
                "subject": campaign.subject,
                "body_text": campaign.body_markdown.strip(),
                "body_html": Markup(self._markdown.render(campaign.body_markdown)),
            }

        def part(name: str) -> str:
            return self.env.get_template(f"{kind}/{name}").render(context)

        subject = " ".join(part("subject.txt").split())
        text, html = part("body.txt"), part("body.html")
        markers = tuple(m for m in LINKS if m in text or m in html)
        boundary = _boundary(text + html)
        plain = all(
            body.isascii() and max(map(len, body.splitlines()), default=0) < 700
            for body in (text, html)
        )  # links add under 300 characters to a line; 7-bit lines must stay under 998
        fixed = "".join(  # header_factory encodes non-ASCII as RFC 2047 words
            POLICY.header_factory(name, value).fold(policy=POLICY)
            for name, value in (
                ("Subject", subject),
                ("From", self.from_header),
                ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
                ("X-Treatwise-Kind", kind),
                ("MIME-Version", "1.0"),
                ("Content-Type", f'multipart/alternative; boundary="{boundary}"'),
            )
        )
        encoding = "7bit" if plain else "quoted-printable"
        return Rendered(subject, text, html, markers, fixed, boundary, encoding)

    def _headers(self, row: Claimed, unsubscribe: str) -> list[tuple[str, str]]:
        return [
            ("To", row.email),
            ("Date", formatdate(self.nl.now().timestamp(), usegmt=True)),
            ("Message-ID", f"<outbox.{row.id}@{self.domain}>"),
            ("List-Unsubscribe", f"<{unsubscribe}>, <mailto:{self.sender}?subject=unsubscribe>"),
        ]

    def _frame(self, row: Claimed, r: Rendered, text: str, html: str, unsubscribe: str) -> bytes:
        own = "".join(f"{name}: {value}\n" for name, value in self._headers(row, unsubscribe))
        encode = _qp if r.encoding == "quoted-printable" else _as_is
        parts = "".join(
            f'--{r.boundary}\nContent-Type: text/{subtype}; charset="utf-8"\n'
            f"Content-Transfer-Encoding: {r.encoding}\n\n{encode(body)}\n"
            for subtype, body in (("plain", text), ("html", html))
        )
        return f"{r.fixed_headers}{own}\n{parts}--{r.boundary}--\n".encode("ascii")

    def _email_package(
        self, row: Claimed, r: Rendered, text: str, html: str, unsubscribe: str
    ) -> bytes:
        message = EmailMessage(policy=POLICY)
        message["Subject"] = r.subject
        message["From"] = self.from_header
        for name, value in self._headers(row, unsubscribe):
            message[name] = value
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        message["X-Treatwise-Kind"] = row.kind
        message.set_content(text)
        message.add_alternative(html, subtype="html")
        return message.as_bytes(policy=POLICY.clone(utf8=True))


def _as_is(body: str) -> str:
    return body


def _qp(body: str) -> str:
    return binascii.b2a_qp(body.encode("utf-8"), istext=True).decode("ascii")


def _boundary(content: str) -> str:
    while True:
        boundary = f"=_tw_{secrets.token_hex(12)}"
        if boundary not in content:
            return boundary
