"""The curated knowledge base: data files, their schema, and a loader that cross-checks them.

Rule: every medical statement in ``data/`` cites the bibliography; the loader
refuses data with an unknown id, a missing reference or a gap in the docs/design.md
vocabulary. Nothing here does I/O except ``loader.load``.
"""

from treatwise.knowledge.loader import KnowledgeBase, KnowledgeBaseError, Problem, load

__all__ = ["KnowledgeBase", "KnowledgeBaseError", "Problem", "load"]
