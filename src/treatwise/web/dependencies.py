"""Dependency aliases for handlers: ``KB`` and ``SettingsDep`` read from ``app.state``."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from treatwise.config import Settings
from treatwise.knowledge import KnowledgeBase
from treatwise.web.csrf import verify_csrf


def get_kb(request: Request) -> KnowledgeBase:
    """The knowledge base loaded at start (read-only)."""
    kb: KnowledgeBase = request.app.state.kb
    return kb


def get_settings(request: Request) -> Settings:
    """The settings the app was built with."""
    settings: Settings = request.app.state.settings
    return settings


KB = Annotated[KnowledgeBase, Depends(get_kb)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
CsrfChecked = Depends(verify_csrf)
"""Use as ``dependencies=[CsrfChecked]`` on every state-changing HTML form POST."""

__all__ = ["KB", "CsrfChecked", "SettingsDep", "get_kb", "get_settings", "verify_csrf"]
