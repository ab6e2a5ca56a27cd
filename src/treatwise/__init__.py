"""Treatwise: an open, evidence-graded guide and decision aid for aesthetic skin treatments."""

__version__ = "0.1.0"
