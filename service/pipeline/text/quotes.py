"""Quotation marks: which characters of a text stand inside a quotation."""

from __future__ import annotations

__all__ = ["QUOTE_MARKS", "is_pure_quote", "quoted_mask"]

QUOTE_MARKS = frozenset({"«", "»", "“", "”", '"'})
"""Opening and closing quotation marks of French news text (guillemets, curly and straight quotes)."""


def quoted_mask(text: str) -> list[bool]:
    """For each character, whether it sits inside a quotation (« », “ ” or straight quotes)."""
    mask: list[bool] = []
    depth = 0
    straight = False
    for ch in text:
        if ch in "«“":
            depth += 1
            mask.append(True)
        elif ch in "»”":
            mask.append(True)
            depth = max(0, depth - 1)
        elif ch == '"':
            mask.append(True)
            straight = not straight
        else:
            mask.append(depth > 0 or straight)
    return mask


def is_pure_quote(text: str, mask: list[bool]) -> bool:
    """A sentence that is only a quotation: nothing but punctuation outside the quotes."""
    if not text or text[0] not in QUOTE_MARKS:
        return False
    outside = "".join(ch for ch, inside in zip(text, mask, strict=True) if not inside)
    return not any(ch.isalnum() for ch in outside)
