"""Quotation marks: which characters of a text stand inside a quotation."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "CLOSING_MARKS",
    "OPENING_MARKS",
    "QUOTE_MARKS",
    "STRAIGHT_MARK",
    "Quotation",
    "is_pure_quote",
    "quotation_spans",
    "quoted_mask",
]

QUOTE_MARKS = frozenset({"«", "»", "“", "”", '"'})
"""Opening and closing quotation marks of French news text (guillemets, curly and straight quotes)."""
_MASK_MARKS = re.compile('[«“»”"]')


def quoted_mask(text: str) -> list[bool]:
    """For each character, whether it sits inside a quotation (« », “ ” or straight quotes)."""
    # From mark to mark: the characters between two marks share one state.
    mask: list[bool] = []
    depth = 0
    straight = False
    done = 0
    for mark in _MASK_MARKS.finditer(text):
        i = mark.start()
        mask.extend([depth > 0 or straight] * (i - done))
        mask.append(True)
        ch = mark.group()
        if ch in "«“":
            depth += 1
        elif ch in "»”":
            depth = max(0, depth - 1)
        else:
            straight = not straight
        done = i + 1
    mask.extend([depth > 0 or straight] * (len(text) - done))
    return mask


def is_pure_quote(text: str, mask: list[bool]) -> bool:
    """A sentence that is only a quotation: nothing but punctuation outside the quotes."""
    if not text or text[0] not in QUOTE_MARKS:
        return False
    outside = "".join(ch for ch, inside in zip(text, mask, strict=True) if not inside)
    return not any(ch.isalnum() for ch in outside)


OPENING_MARKS = frozenset({"«", "“", "\u2039", "„"})
"""Marks that open a quotation (guillemets, curly quotes, single guillemet, low-9 quote)."""
CLOSING_MARKS = frozenset({"»", "”", "\u203a"})
"""Marks that close a quotation; any of them closes any opening mark (typographic variants mix)."""
STRAIGHT_MARK = '"'
# Every mark above: the scans below jump from one to the next instead of reading each character.
_ANY_MARK = re.compile('[«“\u2039„»”\u203a"]')


@dataclass(frozen=True, slots=True)
class Quotation:
    """The inside of one outermost pair of quotation marks in a block; offsets into the text.

    `opened` is False when the block starts inside a quotation whose opening mark is in an
    earlier block (the closing mark only is here); `closed` is False when the block ends before
    the closing mark (an unbalanced mark runs to the end of its block).
    """

    start: int
    end: int
    opened: bool = True
    closed: bool = True


def _straight_opens(text: str, i: int, start: int) -> bool:
    """A straight quote opens when it follows a space or an opening bracket and precedes a word."""
    before = text[i - 1] if i > start else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "([{'\u2019-\u2013\u2014/:") and not after.isspace()


def _first_mark_closes(text: str, start: int, end: int) -> bool:
    first = _ANY_MARK.search(text, start, end)
    return first is not None and first.group() in CLOSING_MARKS


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def quotation_spans(text: str, start: int, end: int, *, continued: bool = False) -> list[Quotation]:
    """Outermost quotations of the block text[start:end], marks excluded, in order.

    Nested pairs stay inside their outer quotation; any closing mark closes any opening mark;
    a closing mark with nothing open is ignored, except that a block `continued` from an
    unclosed quotation of the previous block is inside it up to its first closing mark.
    An unclosed quotation runs to the end of the block. One linear pass, from mark to mark.
    """
    spans: list[Quotation] = []
    stack: list[str] = []
    inner = start
    opened = True
    # A continued quotation reopens with a mark at the block's start, by French convention;
    # without one, the block is inside it only when its first mark closes (a stray closer).
    if continued and _first_mark_closes(text, start, end):
        stack.append("«")
        opened = False
    for mark in _ANY_MARK.finditer(text, start, end):
        i = mark.start()
        ch = mark.group()
        if ch in OPENING_MARKS:
            if not stack:
                inner, opened = i + 1, True
            stack.append(ch)
        elif ch in CLOSING_MARKS or (ch == STRAIGHT_MARK and stack and stack[-1] == STRAIGHT_MARK):
            if not stack:
                continue
            stack.pop()
            if not stack:
                a, b = _trimmed(text, inner, i)
                if a < b:
                    spans.append(Quotation(a, b, opened=opened, closed=True))
        elif ch == STRAIGHT_MARK and _straight_opens(text, i, start):
            if not stack:
                inner, opened = i + 1, True
            stack.append(ch)
    if stack:
        a, b = _trimmed(text, inner, end)
        if a < b:
            spans.append(Quotation(a, b, opened=opened, closed=False))
    return spans
