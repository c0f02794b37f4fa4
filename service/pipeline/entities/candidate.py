"""A mention candidate: one repaired span of the body, from the model or from a rule."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Candidate"]


@dataclass(slots=True)
class Candidate:
    """One repaired mention: body offsets, surface text, the model's label and its evidence."""

    start: int
    end: int
    text: str
    label: str
    ruler: bool = False
    honorific: bool = False
    forced_label: str | None = None
    initial: bool = False

    @property
    def words(self) -> int:
        """Number of blank-separated words, hyphenated names counting once."""
        return len(self.text.split())
