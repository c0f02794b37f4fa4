"""Stage 1: Unicode and white-space normalization that keeps a map back to the raw input."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from service.model import Removal

__all__ = ["MAX_MARKS", "NormalizedText", "normalize", "removals_in_input"]

# Spaces that scrapers and CMS exports leave behind; all become a plain space so that
# tokenization and phrase matching see one kind of blank.
_SPACES = "\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t"
# Invisible characters that split words for the tokenizer without showing anything.
_DROPPED = "\u00ad\u200b-\u200d\u2060\ufeff\u180e\x00-\x08\x0e-\x1f\x7f"
_LINE_BREAKS = "\u2028\u2029\x0b\x0c\x85"
# Combining marks: a base letter followed by them is recomposed by NFC.
_COMBINING = (
    "\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u05bf-\u05c7\u0610-\u061a\u064b-\u065f"
    "\u0670\u06d6-\u06ed\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
)
# No real text stacks more marks than this on one letter; NFC sorts a run of marks in quadratic
# time, so longer runs ("Zalgo" text, an attack) are cut to this before recomposition.
MAX_MARKS = 16
# One character class finds, fast, whether a text needs any work at all.
_ANY_SPECIAL = re.compile(f"[\r{_SPACES}{_DROPPED}{_LINE_BREAKS}{_COMBINING}]")
_SPECIAL = re.compile(f"\r\n?|[{_SPACES}]+|[{_DROPPED}]+|[{_LINE_BREAKS}]|.[{_COMBINING}]+", re.DOTALL)


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """Normalized text plus, for every character and the end, its offset in the raw input."""

    text: str
    raw: str
    origin: Sequence[int]

    def to_input(self, offset: int) -> int:
        """Map an offset in `text` (0..len) to the matching offset in the raw input."""
        return self.origin[offset]

    def span_to_input(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of `text` to the raw input span holding the same characters."""
        return self.origin[start], self.origin[end]


def _replacement(match: str) -> str:
    first = match[0]
    if first == "\r" or first in _LINE_BREAKS:
        return "\n"
    if first == " " or re.match(f"[{_SPACES}]", first):
        return " " * len(match)
    if re.match(f"[{_DROPPED}]", first):
        return ""
    return unicodedata.normalize("NFC", match[: MAX_MARKS + 1])


def normalize(raw: str) -> NormalizedText:
    """NFC-normalize `raw`, unify spaces and line endings, drop invisible characters."""
    if _ANY_SPECIAL.search(raw) is None and unicodedata.is_normalized("NFC", raw):
        return NormalizedText(text=raw, raw=raw, origin=range(len(raw) + 1))
    parts: list[str] = []
    origin: list[int] = []
    last = 0
    for match in _SPECIAL.finditer(raw):
        start, end = match.span()
        if start > last:
            parts.append(raw[last:start])
            origin.extend(range(last, start))
        replaced = _replacement(match.group())
        parts.append(replaced)
        if len(replaced) == end - start:
            origin.extend(range(start, end))
        else:
            # A changed length (\r\n, a recomposed letter, dropped marks): every output
            # character of the group maps to the group's start.
            origin.extend([start] * len(replaced))
        last = end
    parts.append(raw[last:])
    origin.extend(range(last, len(raw) + 1))
    text = "".join(parts)
    if not unicodedata.is_normalized("NFC", text):
        # Rare singletons NFC rewrites on their own (e.g. U+212B ANGSTROM SIGN): fix them
        # only where the length stays, so the offset map stays exact.
        chars = [unicodedata.normalize("NFC", c) for c in text]
        if all(len(c) == 1 for c in chars):
            text = "".join(chars)
    return NormalizedText(text=text, raw=raw, origin=origin)


def removals_in_input(removed: Sequence[Removal], text: NormalizedText) -> list[Removal]:
    """Removals with offsets into the normalized text, mapped to the raw input and its characters.

    Results are cached by normalized text, so every caller maps the removals into its own input.
    """
    out = []
    for removal in removed:
        start, end = text.span_to_input(removal.start, removal.end)
        out.append(Removal(start=start, end=end, reason=removal.reason, text=text.raw[start:end]))
    return out
