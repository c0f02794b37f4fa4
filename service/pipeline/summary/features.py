"""Sentence features for the extractive summary: position, centrality, coverage, title and shape."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from spacy.attrs import IS_ALPHA, IS_STOP, LEMMA, LIKE_NUM, LOWER, ORTH, POS
from spacy.lang.fr.stop_words import STOP_WORDS
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.strings import get_string_id
from spacy.tokens import Doc

from service.model import Entity, Keyphrase, Paragraph
from service.pipeline.text.doc import doc_text
from service.pipeline.text.fold import WORD
from service.pipeline.text.quotes import is_pure_quote, quoted_mask
from service.pipeline.text.sentences import Sentence, split_sentences
from service.pipeline.text.vectors import mean_vector, vector_width

FEATURES: tuple[str, ...] = (
    "lede",
    "first_in_block",
    "after_heading",
    "position",
    "position_inverse",
    "block_inverse",
    "centroid",
    "lexrank",
    "lemma_coverage",
    "entity_coverage",
    "keyphrase_coverage",
    "length",
    "short",
    "quoted_share",
    "pure_quote",
    "attribution",
    "anaphora",
    "digits",
    "unterminated",
    "title_overlap",
    "title_similarity",
    "title_overlap_best",
    "title_similarity_best",
    "long",
)
"""Feature names in the column order of the matrix `features()` returns; the weights file uses them."""

_CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "NUM", "X"})
_CONTENT_POS_IDS = frozenset(POS_IDS[pos] for pos in _CONTENT_POS)
_SPEECH_POS = frozenset({POS_IDS["VERB"], POS_IDS["AUX"]})
_CLOSERS = ' »"”'
MAX_CANDIDATES = 400
"""Most sentences scored for the summary, in body order."""
_MIN_WORDS = 6
# Under this many words a sentence is short (a feature of its own).
_SHORT_WORDS = 10
# Title words shorter than this are ignored, and numbers shorter than a year.
_MIN_TITLE_WORD = 2
_YEAR_DIGITS = 4
# Past this many words a sentence is longer than a news abstract: ROUGE F1 drops with its precision.
_LONG_WORDS = 40
_LEXRANK_DAMPING = 0.85
_LEXRANK_ITERATIONS = 30
# Title words are matched on this many leading letters too, so that "réforme" meets "réformer".
_STEM = 5


@dataclass(frozen=True, slots=True)
class SummaryVocabulary:
    """Word lists the features need, loaded from the data file."""

    attribution_lemmas: frozenset[str]
    anaphora_starts: frozenset[str]


@dataclass(slots=True)
class Candidates:
    """Body sentences with their features, eligibility and pairwise lexical similarity."""

    sentences: list[Sentence]
    matrix: NDArray[np.float64]
    eligible: NDArray[np.bool_]
    lede: int | None
    similarity: NDArray[np.float64]


def _normalize_rows(vectors: NDArray[np.float64]) -> NDArray[np.float64]:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0.0] = 1.0
    result: NDArray[np.float64] = vectors / norms
    return result


def _by_max(values: NDArray[np.float64]) -> NDArray[np.float64]:
    """Scale non-negative values so that the largest is 1 (all zeros stay zeros)."""
    top = float(values.max()) if values.size else 0.0
    if top <= 0.0:
        return np.zeros_like(values)
    result: NDArray[np.float64] = values / top
    return result


def _lexrank(similarity: NDArray[np.float64]) -> NDArray[np.float64]:
    """PageRank over the sentence similarity graph (LexRank with continuous weights)."""
    n = similarity.shape[0]
    if n == 0:
        return np.zeros(0)
    weights = np.clip(similarity, 0.0, None).copy()
    np.fill_diagonal(weights, 0.0)
    sums = weights.sum(axis=1, keepdims=True)
    sums[sums == 0.0] = 1.0
    transition = weights / sums
    rank = np.full(n, 1.0 / n)
    for _ in range(_LEXRANK_ITERATIONS):
        rank = (1.0 - _LEXRANK_DAMPING) / n + _LEXRANK_DAMPING * (transition.T @ rank)
    return _by_max(rank)


@dataclass(slots=True)
class _TokenStats:
    """What one pass over each sentence's tokens collects."""

    lemmas: list[Counter[str]]
    vectors: NDArray[np.float64]
    words: NDArray[np.float64]
    attribution: NDArray[np.float64]
    anaphora: NDArray[np.float64]


def _token_stats(doc: Doc, sentences: list[Sentence], vocabulary: SummaryVocabulary) -> _TokenStats:
    """Content lemmas, mean content-word vector, word count and speech cues of each sentence.

    The Doc is read as arrays (one row of ints per token) rather than token by token: the same
    values, a third of the time.
    """
    n = len(sentences)
    # Reuse the model's static vectors by row lookup: no second pass of the pipeline.
    width = max(vector_width(doc.vocab), 1)
    stats = _TokenStats([], np.zeros((n, width)), np.zeros(n), np.zeros(n), np.zeros(n))
    rows: list[list[int]] = doc.to_array([IS_ALPHA, LIKE_NUM, POS, IS_STOP, LEMMA, ORTH, LOWER]).tolist()
    strings = doc.vocab.strings
    lemma_text: dict[int, str] = {}
    for i, sentence in enumerate(sentences):
        lemmas: Counter[str] = Counter()
        keys: list[int] = []
        count = 0
        for alpha, num, pos, stop, lemma, orth, _lower in rows[sentence.token_start : sentence.token_end]:
            wordlike = alpha or num
            count += int(bool(wordlike))
            text = lemma_text.get(lemma)
            if text is None:
                text = lemma_text[lemma] = strings[lemma]
            if pos in _SPEECH_POS and text in vocabulary.attribution_lemmas:
                stats.attribution[i] = 1.0
            if wordlike and pos in _CONTENT_POS_IDS and not stop:
                lemmas[text.lower()] += 1
                keys.append(orth)
        stats.anaphora[i] = float(strings[rows[sentence.token_start][6]] in vocabulary.anaphora_starts)
        stats.words[i] = count
        stats.lemmas.append(lemmas)
        mean = mean_vector(doc.vocab, keys)
        if mean is not None:
            stats.vectors[i] = mean
    return stats


def _lexical(lemma_sets: list[Counter[str]]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Coverage of the article's repeated lemmas per sentence, and lemma-bag cosine similarity."""
    index: dict[str, int] = {}
    for lemmas in lemma_sets:
        for lemma in lemmas:
            index.setdefault(lemma, len(index))
    bags = np.zeros((len(lemma_sets), max(len(index), 1)))
    for i, lemmas in enumerate(lemma_sets):
        for lemma, c in lemmas.items():
            bags[i, index[lemma]] = c
    totals = bags.sum(axis=0)
    presence = (bags > 0).astype(float)
    elsewhere = presence @ totals - (presence * bags).sum(axis=1)
    coverage = _by_max(elsewhere / np.sqrt(np.maximum(presence.sum(axis=1), 1.0)))
    unit = _normalize_rows(bags)
    return coverage, unit @ unit.T


def _entity_coverage(sentences: list[Sentence], entities: list[Entity]) -> NDArray[np.float64]:
    """Sum of the salience of the distinct entities each sentence mentions, scaled to the best."""
    coverage = np.zeros(len(sentences))
    starts = np.array([s.start for s in sentences])
    for entity in entities:
        hit: set[int] = set()
        for mention in entity.mentions:
            i = int(np.searchsorted(starts, mention.start, side="right")) - 1
            if i >= 0 and mention.end <= sentences[i].end:
                hit.add(i)
        for i in hit:
            coverage[i] += entity.salience
    return _by_max(coverage)


def _keyphrase_coverage(
    text: str, sentences: list[Sentence], keyphrases: list[Keyphrase]
) -> NDArray[np.float64]:
    """Sum of the scores of the keyphrases each sentence contains, scaled to the best."""
    phrases = [(k.text.lower(), k.score) for k in keyphrases if k.text.strip()]
    coverage = np.zeros(len(sentences))
    for i, sentence in enumerate(sentences):
        lowered = text[sentence.start : sentence.end].lower()
        coverage[i] = sum(score for phrase, score in phrases if phrase in lowered)
    return _by_max(coverage)


def _title_keys(doc: Doc, title: str) -> tuple[set[str], NDArray[np.float64] | None]:
    """The title's content words as body lemmas where the body has them, and their mean vector.

    The title is not parsed (no second pipeline pass): its words are cut by regex, looked up
    among the body's own tokens for a lemma, and in the static vector table for a vector.
    """
    # The lemma of each title word's first word-like occurrence in the body, found by hash.
    wanted = {get_string_id(word.lower()) for word in WORD.findall(title)}
    lemma_of: dict[str, str] = {}
    strings = doc.vocab.strings
    for alpha, num, lower, lemma in doc.to_array([IS_ALPHA, LIKE_NUM, LOWER, LEMMA]).tolist():
        if (alpha or num) and lower in wanted:
            lemma_of.setdefault(strings[lower], strings[lemma].lower())
    keys: set[str] = set()
    table = doc.vocab.vectors
    rows: list[int] = []
    for word in WORD.findall(title):
        lower = word.lower()
        if (
            lower in STOP_WORDS
            or len(lower) < _MIN_TITLE_WORD
            or (lower.isdigit() and len(lower) < _YEAR_DIGITS)
        ):
            continue
        keys.add(lemma_of.get(lower, lower))
        if table.shape[0] > 0:
            row = table.find(key=word)
            if row < 0:
                row = table.find(key=lower)
            if row >= 0:
                rows.append(int(row))
    if not rows:
        return keys, None
    return keys, np.asarray(table.data)[rows].mean(axis=0)


def _title_overlap(keys: set[str], lemma_sets: list[Counter[str]]) -> NDArray[np.float64]:
    """Share of the title's content words each sentence repeats, by lemma or by word stem."""
    overlap = np.zeros(len(lemma_sets))
    if not keys:
        return overlap
    for i, lemmas in enumerate(lemma_sets):
        stems = {lemma[:_STEM] for lemma in lemmas}
        hits = sum(key in lemmas or (len(key) > _STEM and key[:_STEM] in stems) for key in keys)
        overlap[i] = hits / len(keys)
    return overlap


def _title_columns(
    doc: Doc, title: str, stats: _TokenStats, unit: NDArray[np.float64], matrix: NDArray[np.float64]
) -> None:
    """Fill the title columns: word overlap and vector similarity, and which sentence is closest."""
    column = {name: i for i, name in enumerate(FEATURES)}
    keys, vector = _title_keys(doc, title)
    overlap = _title_overlap(keys, stats.lemmas)
    similarity = np.zeros(len(stats.lemmas))
    norm = float(np.linalg.norm(vector)) if vector is not None else 0.0
    if vector is not None and norm > 0:
        similarity = unit @ (vector / norm)
    matrix[:, column["title_overlap"]] = overlap
    matrix[:, column["title_similarity"]] = similarity
    # The headline's own sentence: the body sentence that repeats or echoes it most.
    matrix[:, column["title_overlap_best"]] = (overlap >= overlap.max()) & (overlap > 0)
    matrix[:, column["title_similarity_best"]] = (similarity >= similarity.max()) & (similarity > 0)


def _shape(
    text: str,
    sentences: list[Sentence],
    stats: _TokenStats,
    heading_blocks: set[int],
    matrix: NDArray[np.float64],
) -> NDArray[np.bool_]:
    """Fill the position and form columns; return which sentences may be picked at all."""
    n = len(sentences)
    column = {name: i for i, name in enumerate(FEATURES)}
    block_rank = {b: r for r, b in enumerate(sorted({s.block for s in sentences}))}
    block_sizes = Counter(s.block for s in sentences)
    eligible = np.zeros(n, dtype=bool)
    for i, sentence in enumerate(sentences):
        body = text[sentence.start : sentence.end]
        mask = quoted_mask(body)
        pure = is_pure_quote(body, mask)
        first = sentence.index_in_block == 0
        matrix[i, column["first_in_block"]] = float(first)
        # A section's first sentence states its point, as the lede does for the article.
        matrix[i, column["after_heading"]] = float(first and sentence.block - 1 in heading_blocks)
        matrix[i, column["position"]] = 1.0 - i / n
        matrix[i, column["position_inverse"]] = 1.0 / (1.0 + i)
        matrix[i, column["block_inverse"]] = 1.0 / (1.0 + block_rank[sentence.block])
        matrix[i, column["length"]] = math.log1p(stats.words[i]) / math.log1p(50.0)
        matrix[i, column["short"]] = float(stats.words[i] < _SHORT_WORDS)
        matrix[i, column["long"]] = float(stats.words[i] > _LONG_WORDS)
        matrix[i, column["quoted_share"]] = sum(mask) / max(len(body), 1)
        matrix[i, column["pure_quote"]] = float(pure)
        matrix[i, column["attribution"]] = stats.attribution[i]
        matrix[i, column["anaphora"]] = stats.anaphora[i]
        matrix[i, column["digits"]] = float(any(ch.isdigit() for ch in body))
        matrix[i, column["unterminated"]] = float(not sentence.terminal)
        glued_heading = not sentence.terminal and first and block_sizes[sentence.block] > 1
        question = body.rstrip(_CLOSERS).endswith("?")
        # A bare quotation whose attribution follows in the next sentence of the same block:
        # the attributed sentence says who speaks, so the bare one is never picked.
        orphan_quote = (
            pure and i + 1 < n and sentences[i + 1].block == sentence.block and stats.attribution[i + 1] > 0
        )
        eligible[i] = stats.words[i] >= _MIN_WORDS and not (glued_heading or question or orphan_quote)
    return eligible


def features(
    doc: Doc,
    paragraphs: list[Paragraph],
    entities: list[Entity],
    keyphrases: list[Keyphrase],
    vocabulary: SummaryVocabulary,
    *,
    title: str | None = None,
) -> Candidates:
    """Split the body into sentences and describe each with the `FEATURES` columns."""
    every = split_sentences(doc, paragraphs)
    heading_blocks = {s.block for s in every if s.heading}
    # Key sentences come early: past this many, a sentence is not a candidate. The similarity
    # matrices are quadratic in the candidates, so a 200,000-character list of short lines
    # must not make them all candidates (time and memory).
    sentences = [s for s in every if not s.heading][:MAX_CANDIDATES]
    n = len(sentences)
    matrix = np.zeros((n, len(FEATURES)))
    if n == 0:
        return Candidates(sentences, matrix, np.zeros(0, dtype=bool), None, np.zeros((0, 0)))
    column = {name: i for i, name in enumerate(FEATURES)}
    text = doc_text(doc)
    stats = _token_stats(doc, sentences, vocabulary)

    # Centrality on word vectors; the document vector weighs sentences by their length.
    unit = _normalize_rows(stats.vectors)
    centroid = (stats.vectors * np.maximum(stats.words, 1.0)[:, None]).sum(axis=0)
    norm = float(np.linalg.norm(centroid))
    if norm > 0:
        matrix[:, column["centroid"]] = unit @ (centroid / norm)
    matrix[:, column["lexrank"]] = _lexrank(unit @ unit.T)
    matrix[:, column["lemma_coverage"]], similarity = _lexical(stats.lemmas)
    # The other stages' outputs are optional signals: an empty list leaves a zero column.
    if entities:
        matrix[:, column["entity_coverage"]] = _entity_coverage(sentences, entities)
    if keyphrases:
        matrix[:, column["keyphrase_coverage"]] = _keyphrase_coverage(text, sentences, keyphrases)
    if title and title.strip():
        _title_columns(doc, title, stats, unit, matrix)
    eligible = _shape(text, sentences, stats, heading_blocks, matrix)

    lede = next((i for i in range(n) if eligible[i]), None)
    first_blocks = sorted({s.block for s in sentences})[:2]
    if lede is not None and sentences[lede].block in first_blocks:
        matrix[lede, column["lede"]] = 1.0
    else:
        lede = None
    return Candidates(sentences, matrix, eligible, lede, similarity)
