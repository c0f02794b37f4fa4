"""Which line is the headline: the short line above the article whose words the lede repeats.

Phrase lists cannot know every site's furniture (view counters, follow prompts, author names,
photo captions), but the article itself tells its headline: a headline announces what the first
paragraphs say, so it shares their content words; a byline, a counter or a share prompt does not.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from spacy.lang.fr.stop_words import STOP_WORDS

from service.pipeline.clean.line import FULL_STOP, LETTER_WORDS, Line
from service.pipeline.text.fold import WORD, fold
from service.pipeline.text.names import is_author_line, looks_like_names, signed

__all__ = ["find_title"]

_LOOKBACK = 40
"""How many lines above the article's first line may hold its headline."""
_LEDE_LINES = 6
"""The article lines whose words a headline is compared with."""
_MAX_WORDS = 30
_MIN_WORDS = 3
_MIN_LETTER_WORDS = 2
_MIN_CONTENT_WORDS = 3
_FEW_WORDS_PENALTY = 0.5
_MIN_CONTENT_CHARS = 4
# Words sharing their first five letters count as one (a crude French stem).
_STEM = 5
_MIN_SCORE = 0.15
"""Least share of a line's content words the lede repeats for the line to be the headline."""
_SHORT_PENALTY = 0.3
_NAME_PENALTY = 1.0
_FULL_STOP_PENALTY = 0.3
_ABOVE_BYLINE_BONUS = 0.3
_SIGNATURE_REACH = 2
_DIGITS_PENALTY = 0.5
_DIGIT_SHARE = 0.3
_DISTANCE_PENALTY = 0.01

# A photo credit in a line makes it a caption: "©", "Photo :", "… Belga / Nicolas Maeterlinck".
_CREDIT = re.compile(
    r"©|\b(?:photos?|crédits?|credits?)\s*:|[.)]\s+[\w.-]+(?:\s+[\w.-]+){0,2}\s*/\s*[A-Z][\w.-]+(?:\s+[A-Z][\w.-]+){0,3}\s*$",
    re.IGNORECASE,
)
# A line ending as a sentence ends (a headline may end with "?" or a quotation mark).
_ENDED = re.compile(r"[.!…;]\s*$")
# A sentence ends inside the line: "…au-dessus d'Arolla. Police cantonale valaisanne".
_SENTENCE_INSIDE = re.compile(r"[^\W\d_]{2}\.\s+[(«\"“]?\s*[A-ZÀ-Ý]")


def _content(text: str) -> set[str]:
    """Stems of the content words: folded, cut to their first letters ("confinés", "confinement")."""
    return {
        fold(w)[:_STEM]
        for w in WORD.findall(text)
        if len(w) >= _MIN_CONTENT_CHARS and not w.isdigit() and w.lower() not in STOP_WORDS
    }


def _score(line: Line, lede: set[str], start: int) -> float | None:
    # A headline under a "Résultats" menu may have been swept into that block as `related`.
    if line.label not in (None, "related") or line.rule is not None or line.listy:
        return None
    too_few = len(LETTER_WORDS.findall(line.text)) < _MIN_LETTER_WORDS
    if line.words > _MAX_WORDS or too_few or line.text.endswith((":", ",")):
        return None
    words = _content(line.text)
    if not words:
        return None
    score = len(words & lede) / len(words)
    if len(words) < _MIN_CONTENT_WORDS:
        # Two names and a score ("Raja CA 2-1 Wydad AC") repeat the lede fully, yet say nothing.
        score -= _FEW_WORDS_PENALTY
    if line.words < _MIN_WORDS:
        score -= _SHORT_PENALTY
    if looks_like_names(line.text) or signed(line.text) or _CREDIT.search(line.text):
        score -= _NAME_PENALTY
    if FULL_STOP.search(line.text):
        score -= _FULL_STOP_PENALTY
    digits = sum(c.isdigit() for c in line.text)
    if digits > _DIGIT_SHARE * sum(c.isalnum() for c in line.text):
        score -= _DIGITS_PENALTY
    return score - _DISTANCE_PENALTY * (start - line.index)


def _signed_below(lines: Sequence[Line], index: int, start: int) -> bool:
    """Whether a byline, date or author line follows line `index` within two lines, above the article."""
    return any(
        (line.rule is not None and line.rule.reason == "byline")
        or (line.rule is None and is_author_line(line.text))
        for line in lines[index + 1 : min(index + 1 + _SIGNATURE_REACH, start + 1)]
    )


def _lede(lines: Sequence[Line], after: int, end: int, but: str, content: dict[int, set[str]]) -> set[str]:
    """Content words of the first prose lines of the article below line `after` (copies of `but` aside).

    `content` memoizes each line's content words across calls.
    """
    words: set[str] = set()
    prose = (
        line
        for line in itertools.islice(lines, after + 1, end)
        if line.label is None and (line.strong or (line.sentence and line.rule is None)) and line.key != but
    )
    for _, line in zip(range(_LEDE_LINES), prose, strict=False):
        if line.index not in content:
            content[line.index] = _content(line.text)
        words |= content[line.index]
    return words


def find_title(lines: Sequence[Line], start: int, end: int) -> int | None:
    """Index of the headline: above the article region [start, end) or its first line; None when none fits.

    A long headline reads like prose and may open the region itself, so the region's first
    line is a candidate too, compared with the prose below it.
    """
    best: Line | None = None
    best_score = _MIN_SCORE
    fitting: list[Line] = []
    content: dict[int, set[str]] = {}
    below_byline = False
    for line in lines[max(0, start - _LOOKBACK) : min(start + 1, end)]:
        if line.rule is not None and line.rule.reason == "byline":
            below_byline = True
        if line.index == start and _ENDED.search(line.text):
            continue  # the article's first sentence, not a headline
        if below_byline and (FULL_STOP.search(line.text) or _SENTENCE_INSIDE.search(line.text)):
            # Under the byline, a sentence is the lead photo's caption or the standfirst: both
            # retell the lede, so they would outscore the headline on shared words.
            continue
        # A line repeated in the article (a standfirst printed twice) is no evidence for itself.
        lede = _lede(lines, max(start - 1, line.index), end, line.key, content)
        score = _score(line, lede, start)
        if score is None:
            continue
        if not FULL_STOP.search(line.text) and _signed_below(lines, line.index, start):
            # Headlines stand above their byline and date; captions and teasers below them.
            score += _ABOVE_BYLINE_BONUS
        if score >= _MIN_SCORE:
            fitting.append(line)
            if score >= best_score:
                best, best_score = line, score
    if best is None:
        return _opening_line(lines, start)
    # "Nantes - Lens : 0-2" and "Nantes - Lens : 0-2, les Sang et Or enfoncent…": the line that
    # goes on is the headline, the one it starts with a score line or a kicker.
    longer = [line for line in fitting if line.key.startswith(best.key + " ")]
    return (longer[0] if longer else best).index


def _opening_line(lines: Sequence[Line], start: int) -> int | None:
    """The text's only free line above the article, when it is headline-shaped.

    A brief sent as "headline, then text" may share no word with its text: its first line is
    still its title.
    """
    free = [line for line in lines[:start] if line.rule is None and line.label is None]
    if len(free) != 1 or free[0].index != start - 1:
        return None
    line = free[0]
    shaped = _MIN_WORDS <= line.words <= _MAX_WORDS and not line.listy and not FULL_STOP.search(line.text)
    return line.index if shaped and not looks_like_names(line.text) and not signed(line.text) else None
