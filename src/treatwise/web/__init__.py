"""The web layer: ``create_app(settings)`` builds the ASGI app; handlers stay thin."""

from treatwise.web.app import create_app

__all__ = ["create_app"]
