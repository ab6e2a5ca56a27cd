"""The shared test kit, importable from any test as ``support`` (pytest puts ``tests/`` on the
path: ``pythonpath`` in pyproject.toml).

- ``support.require``: skip on a laptop, fail under CI, when a system part is missing.
- ``support.intake``: the example intake of docs/design.md, and ``make_intake(**overrides)``.
- ``support.app``: settings for a test app and a client for it.
"""
