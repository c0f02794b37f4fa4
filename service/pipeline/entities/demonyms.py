"""Countries named only through adjectives: "russo-turque" speaks of Russia and Turkey."""

from __future__ import annotations

import bisect

from spacy.tokens import Doc

from service.model import Mention
from service.pipeline.entities.lexicon import Lexicon
from service.pipeline.text.doc import doc_text
from service.pipeline.text.fold import LETTER_WORD, fold

__all__ = ["demonym_countries"]

# Letters joined by hyphens: the tokenizer splits "russo-turque" but keeps "Sud-Coréens".


# Words met are remembered up to this many (about 2 MB a process), then forgotten all at once.
_MEMO_WORDS = 20_000


def _memoized_countries(word: str, lexicon: Lexicon) -> tuple[str, ...]:
    """`_countries`, remembered per word.

    The words of the news repeat, and folding each one was a tenth of the entities stage.
    """
    memo = lexicon.demonym_memo
    countries = memo.get(word)
    if countries is None:
        if len(memo) >= _MEMO_WORDS:
            memo.clear()
        countries = memo[word] = tuple(_countries(word, lexicon))
    return countries


def _countries(word: str, lexicon: Lexicon) -> list[str]:
    whole = lexicon.demonym_country.get(fold(word))
    if whole is not None:
        # "sud-coréens" is one demonym, not "sud" + "coréens".
        return [whole]
    parts = word.split("-")
    last = lexicon.demonym_country.get(fold(parts[-1])) if len(parts) > 1 else None
    if last is None:
        return []
    countries = []
    for part in parts[:-1]:
        country = lexicon.combining_forms.get(fold(part)) or lexicon.demonym_country.get(fold(part))
        if country is None:
            return []
        countries.append(country)
    countries.append(last)
    return list(dict.fromkeys(countries))


def demonym_countries(doc: Doc, lexicon: Lexicon) -> dict[str, list[Mention]]:
    """Country name -> the adjective or noun mentions that refer to it, in body order."""
    text = doc_text(doc)
    # Words inside a person's or organisation's name ("Le Parisien", "Air France") do not count.
    named = sorted((e.start_char, e.end_char) for e in doc.ents if e.label_ in {"PER", "ORG"})
    named_starts = [s for s, _ in named]
    found: dict[str, list[Mention]] = {}
    for match in LETTER_WORD.finditer(text):
        start, end = match.span()
        # Entities do not overlap: only the last one starting before the word's end can cover it.
        k = bisect.bisect_left(named_starts, end) - 1
        if k >= 0 and start < named[k][1]:
            continue
        for country in _memoized_countries(match.group(), lexicon):
            found.setdefault(country, []).append(Mention(start=start, end=end, text=match.group()))
    return found
