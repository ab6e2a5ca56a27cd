"""Pure functions over a KnowledgeBase.

Rule: no I/O, no clock, no randomness, no settings. Time and choices come in as
arguments; results are plain frozen values that render/, web/ and cli/ present.
"""
