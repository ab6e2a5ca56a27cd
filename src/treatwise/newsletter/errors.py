"""What the newsletter refuses, named so that callers can answer clearly (never a 500)."""

from __future__ import annotations


class NewsletterError(Exception):
    """Base of every refusal the newsletter package raises."""


class InvalidInput(NewsletterError):
    """A field's value is not acceptable; ``field`` names it, the message says what is valid."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class InvalidToken(NewsletterError):
    """A link token is forged, damaged, for another purpose, or expired (``reason``)."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"this link is {reason}")
        self.reason = reason


class NotFound(NewsletterError):
    """The thing asked for does not exist (a campaign id, an address in the CLI)."""
