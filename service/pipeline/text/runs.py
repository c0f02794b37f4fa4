"""Long runs of symbols broken up, so that no tokenizer call is quadratic in a run's length."""

from __future__ import annotations

import re

__all__ = ["MAX_SYMBOL_RUN", "break_symbol_runs"]

MAX_SYMBOL_RUN = 32
"""Longest run of punctuation, symbols or emoji kept whole.

spaCy's tokenizer peels prefixes and suffixes one at a time off a space-free string, so its cost
grows with the square of such a run (10,000 emoji took 22 s). A space every this many characters
makes it linear, and no word of real text is that long a run of symbols.
"""

_SYMBOL_RUN = re.compile(rf"[^\w\s]{{{MAX_SYMBOL_RUN + 1},}}")


def _split(match: re.Match[str]) -> str:
    run = match.group()
    return " ".join(run[i : i + MAX_SYMBOL_RUN] for i in range(0, len(run), MAX_SYMBOL_RUN))


def break_symbol_runs(text: str) -> str:
    """`text` with a space inserted every MAX_SYMBOL_RUN characters of each long symbol run."""
    return _SYMBOL_RUN.sub(_split, text)
