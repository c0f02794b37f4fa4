"""One line of the page as the clean stage sees it: its span, its shape and its label."""

from __future__ import annotations

import re
from dataclasses import dataclass

from service.pipeline.clean.rules import Rule

__all__ = ["BODY", "FULL_STOP", "HEADING", "LETTER_WORDS", "Line"]

BODY = "body"
HEADING = "heading"

FULL_STOP = re.compile('[^.]\\.\\s*[»"”\u2019)]*$')
"""A line ending with one full stop (not an ellipsis): a sentence, seldom a headline."""
LETTER_WORDS = re.compile(r"[^\W\d_]{2,}")
"""A word of two letters or more."""


@dataclass(slots=True)
class Line:
    """One non-blank input line: its span in the normalized text, shape, and decided label."""

    index: int
    start: int
    end: int
    text: str
    key: str
    words: int
    rule: Rule | None = None
    strong: bool = False
    sentence: bool = False
    listy: bool = False
    label: str | None = None

    @property
    def kept(self) -> bool:
        """Whether the line stays in the body."""
        return self.label in (BODY, HEADING)
