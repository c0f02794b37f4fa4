"""French news sentence segmentation: spaCy's parser sentences repaired for quotes and titles."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from spacy.attrs import SENT_START
from spacy.tokens import Doc

from service.model import Paragraph
from service.pipeline.text.doc import doc_text, token_texts

# Courtesy titles and short abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    {
        "m.",
        "mm.",
        "mme",
        "mme.",
        "mmes",
        "mmes.",
        "mlle",
        "mlle.",
        "mlles",
        "dr",
        "dr.",
        "pr",
        "pr.",
        "me",
        "me.",
        "mgr",
        "mgr.",
        "st.",
        "ste.",
        "av.",
        "bd.",
        "n°",
        "no.",
        "p.",
        "cf.",
        "gal.",
        "gén.",
        "col.",
        "lt.",
        "cdt.",
        "j.-c.",
    }
)
_OPENING = frozenset({"«", "“", "\u2039"})
_CLOSING = frozenset({"»", "”", "\u203a"})
_STRAIGHT = '"'
_TERMINAL = frozenset(".!?…")
# Punctuation that cannot start a sentence: a split before it belongs to the previous one.
_CONTINUATION = frozenset({",", ";", ":", ")", "]", "»", "”", "\u203a", "%", "-", "\u2013", "\u2014"})
# Parts of speech that can open a sentence after a heading glued to it without punctuation
# ("... à ses frontières Le chef de la diplomatie ..."); names and nouns are left alone.
_OPENER_POS = frozenset({"DET", "PRON", "ADP", "SCONJ", "CCONJ", "ADV", "VERB", "AUX"})
# A heading glued to the block's first sentence is this many tokens long.
_MIN_HEADING_TOKENS = 2
_MAX_HEADING_TOKENS = 14
# A quote merged across the parser's splits stops growing past this many tokens, so an
# unbalanced quotation mark cannot swallow a whole paragraph.
_MAX_MERGED_TOKENS = 90


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of the body: token and character span, its block, and its shape."""

    start: int
    end: int
    token_start: int
    token_end: int
    block: int
    index_in_block: int
    heading: bool
    terminal: bool


def _blocks(text: str, paragraphs: list[Paragraph]) -> list[tuple[int, int, bool]]:
    """Character spans of the kept blocks, with whether each is a heading."""
    if paragraphs:
        return [(p.start, p.end, p.kind == "heading") for p in paragraphs]
    spans: list[tuple[int, int, bool]] = []
    offset = 0
    for part in text.split("\n"):
        stripped = part.strip()
        if stripped:
            start = offset + part.index(stripped)
            spans.append((start, start + len(stripped), False))
        offset += len(part) + 1
    return spans


def _quote_depths(doc: Doc, first: int, last: int) -> list[int]:
    """Open-quotation depth before each token of [first, last)."""
    texts, spaces = token_texts(doc)
    depths: list[int] = []
    depth = 0
    straight_open = False
    for i in range(first, last):
        depths.append(depth + int(straight_open))
        text = texts[i]
        if text in _OPENING:
            depth += 1
        elif text in _CLOSING:
            depth = max(0, depth - 1)
        elif text == _STRAIGHT:
            if straight_open:
                straight_open = False
            # An opening straight quote: space (or the block's start) before it, none after.
            elif (i == first or spaces[i - 1]) and not spaces[i] and i + 1 < len(texts):
                straight_open = True
    return depths


def _closes_later(doc: Doc, first: int, last: int) -> list[bool]:
    """For each token of [first, last), whether a closing quotation mark is at or after it in the block.

    One backward pass: asking it per token would make an unclosed « quadratic in the block.
    """
    texts = token_texts(doc)[0]
    out = [False] * (last - first)
    seen = False
    for j in range(last - 1, first - 1, -1):
        text = texts[j]
        seen = seen or text in _CLOSING or text == _STRAIGHT
        out[j - first] = seen
    return out


def _glued_start(doc: Doc, k: int, first: int, last: int) -> bool:
    """Whether token `k` opens a sentence glued to a short punctuation-less heading at block start."""
    if not _MIN_HEADING_TOKENS <= k - first <= _MAX_HEADING_TOKENS:
        # Asked of every word of a block's first sentence: the cheap test first, no Token made.
        return False
    token = doc[k]
    previous = doc[k - 1]
    following = doc[k + 1] if k + 1 < last else None
    return (
        token.ent_iob_ == "O"
        and token.pos_ in _OPENER_POS
        and token.text[:1].isupper()
        and token.text[1:].islower()
        # "la députée La République en marche": a capitalized word after it is a name.
        and (following is None or not following.text[:1].isupper())
        and previous.is_alpha
        and previous.text[:1].islower()
        and bool(previous.whitespace_)
    )


# Capitalized articles and particles inside a name: "Marine Le Pen", "Jean de La Fontaine".
_NAME_PARTICLES = frozenset({"Le", "La", "Les", "De", "Du", "Des"})


def _name_continues(doc: Doc, k: int) -> bool:
    """Whether a split at `k` would cut a name: a capitalized word, then a name's next part.

    The next part is an entity token, or a capitalized particle followed by a capitalized word
    ("Marine | Le Pen", whatever the NER says).
    """
    previous = doc[k - 1]
    if not (previous.is_alpha and previous.text[:1].isupper()):
        return False
    if doc[k].ent_iob_ in {"B", "I"}:
        return True
    following = doc[k + 1] if k + 1 < len(doc) else None
    return (
        doc[k].text in _NAME_PARTICLES
        and following is not None
        and following.is_alpha
        and following.text[:1].isupper()
    )


def _parsed_split(
    doc: Doc, k: int, first: int, last: int, *, depths: list[int], closes: list[bool], current: int
) -> int | None:
    """Where the parser's split before token `k` really falls, or None to merge it away."""
    token = doc[k]
    previous = doc[k - 1]
    if previous.lower_ in _ABBREVIATIONS:
        return None
    if token.text in _CLOSING or (token.text == _STRAIGHT and depths[k - first] > 0):
        # The closing mark belongs to the sentence before; split after it, if at all.
        following = doc[k + 1] if k + 1 < last else None
        return k + 1 if following is not None and following.text[:1].isupper() else None
    if token.text in _CONTINUATION or token.text[:1].islower():
        return None
    if depths[k - first] > 0 and closes[k - first] and k - current < _MAX_MERGED_TOKENS:
        return None
    return k


def _starts(doc: Doc, first: int, last: int, sent_starts: list[int] | None) -> list[int]:
    """Repaired sentence starts (token indices) within the block [first, last).

    `sent_starts` holds the parser's SENT_START per token (1 opens a sentence), or None
    without a parse.
    """
    depths = _quote_depths(doc, first, last)
    closes = _closes_later(doc, first, last)
    texts, spaces = token_texts(doc)
    starts = [first]
    for k in range(first + 1, last):
        text = texts[k]
        if text.isspace():
            continue
        start: int | None = k
        if not ("\n" in texts[k - 1] or "\n" in spaces[k - 1]):
            if sent_starts is not None:
                split = sent_starts[k] == 1 and not _name_continues(doc, k)
            else:
                split = texts[k - 1] in _TERMINAL and text[:1].isupper()
            if split:
                start = _parsed_split(doc, k, first, last, depths=depths, closes=closes, current=starts[-1])
            elif not (starts[-1] == first and _glued_start(doc, k, first, last)):
                start = None
        if start is not None and start > starts[-1]:
            starts.append(start)
    return starts


def _trim(doc: Doc, first: int, last: int) -> tuple[int, int]:
    """Drop white-space tokens at both ends of a token span."""
    while first < last and doc[first].is_space:
        first += 1
    while last > first and doc[last - 1].is_space:
        last -= 1
    return first, last


_SENTENCES = "service.sentences"


def split_sentences(doc: Doc, paragraphs: list[Paragraph]) -> list[Sentence]:
    """Sentences of every kept block in body order; none crosses a block boundary."""
    # The quotes and summary stages both ask for the body's sentences: split once per doc.
    key = (_SENTENCES, tuple((p.start, p.end, p.kind) for p in paragraphs))
    cached = doc.user_data.get(_SENTENCES)
    if isinstance(cached, tuple) and cached[0] == key:
        return list(cached[1])
    sentences: list[Sentence] = []
    body = doc_text(doc)
    blocks = _blocks(body, paragraphs)
    # Without a parser (or sentencizer) the splits fall back to terminal punctuation.
    sent_starts: list[int] | None = None
    if doc.has_annotation("SENT_START"):
        sent_starts = doc.to_array(SENT_START).tolist()
    for block_index, (char_start, char_end, heading) in enumerate(blocks):
        span = doc.char_span(char_start, char_end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        first, last = _trim(doc, span.start, span.end)
        if first >= last:
            continue
        starts = _starts(doc, first, last, sent_starts)
        bounds = [*starts, last]
        index = 0
        for a, b in itertools.pairwise(bounds):
            a2, b2 = _trim(doc, a, b)
            if a2 >= b2:
                continue
            start = max(doc[a2].idx, char_start)
            end = min(doc[b2 - 1].idx + len(doc[b2 - 1].text), char_end)
            text = body[start:end].rstrip(' »"”)')
            terminal = bool(text) and text[-1] in _TERMINAL
            sentences.append(
                Sentence(
                    start=start,
                    end=end,
                    token_start=a2,
                    token_end=b2,
                    block=block_index,
                    index_in_block=index,
                    heading=heading,
                    terminal=terminal,
                )
            )
            index += 1
    doc.user_data[_SENTENCES] = (key, sentences)
    return list(sentences)
