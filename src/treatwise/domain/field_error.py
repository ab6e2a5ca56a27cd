"""A field error: one problem with some input, named by field, with the valid values.

Shared by every part of the domain that validates input (the intake, plan requests),
so that the CLI, the API and the pages can report any of them the same way. The
message never repeats the submitted value: inputs may be health data.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    """One problem with an input: the field, what is wrong, and the valid values."""

    field: str
    message: str
    valid: tuple[str, ...] = ()

    def __str__(self) -> str:
        text = f"{self.field}: {self.message}"
        return f"{text}; valid values: {', '.join(self.valid)}" if self.valid else text
