"""The result data model: what the pipeline builds, the cache stores and the API returns.

Every layer uses these Structs; none of them knows about HTTP.
"""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from msgspec import Meta, Struct

__all__ = [
    "DemonymCountry",
    "EnrichOptions",
    "EnrichResult",
    "Entity",
    "EntityLabel",
    "Keyphrase",
    "Language",
    "Mention",
    "Metadata",
    "Paragraph",
    "ParagraphKind",
    "Quote",
    "QuoteKind",
    "QuoteSpeaker",
    "Removal",
    "RemovalReason",
    "Stats",
    "Subtopic",
    "SummarySentence",
    "Topic",
]

Offset = Annotated[int, Meta(ge=0, description="Character offset (Python str index, code points).")]
Score = Annotated[float, Meta(ge=0.0, le=1.0)]
EntityLabel = Literal["PER", "ORG", "LOC", "MISC"]
ParagraphKind = Literal["paragraph", "heading"]
QuoteKind = Literal["direct", "indirect"]
RemovalReason = Literal[
    "title",
    "navigation",
    "share",
    "advertisement",
    "caption",
    "related",
    "byline",
    "author_bio",
    "engagement",
    "duplicate",
    "embed",
]


class EnrichOptions(Struct, forbid_unknown_fields=True, kw_only=True, frozen=True):
    """Per-request knobs; they are part of the cache identity."""

    summary_sentences: Annotated[int, Meta(ge=1, le=10)] = 3
    max_topics: Annotated[int, Meta(ge=1, le=17)] = 3
    max_keyphrases: Annotated[int, Meta(ge=1, le=20)] = 10
    max_quotes: Annotated[int, Meta(ge=0, le=50)] = 20


class Language(Struct, kw_only=True):
    """Detected language of the cleaned body."""

    code: str
    confidence: Score


class Paragraph(Struct, kw_only=True):
    """A kept block of the body; offsets into `body`."""

    start: Offset
    end: Offset
    kind: ParagraphKind


class Removal(Struct, kw_only=True):
    """A span of the input dropped by cleaning, with the reason.

    Offsets into the request `text`; for HTML input, into the result's `source_text`.
    """

    start: Offset
    end: Offset
    reason: RemovalReason
    text: str


class Metadata(Struct, kw_only=True):
    """Article metadata found in the clutter lines."""

    byline: str | None = None
    source: str | None = None
    published: str | None = None
    """First publication, ISO 8601 (the update time when only that is printed); None for "il y a 3 heures"."""
    updated: str | None = None
    """Last update printed on the page ("Mis à jour le …"), ISO 8601."""
    credits: list[str] = msgspec.field(default_factory=list)
    sources: dict[str, str] = msgspec.field(default_factory=dict)
    """Where each value came from: `request`, `json-ld`, `open-graph`, `meta`, `time`, `h1`,
    `title-tag` (the page's markup) or `text` (a line of the page); `body` is `json-ld` when a page
    rendering its article by script was read from its JSON-LD `articleBody`."""


class Mention(Struct, kw_only=True):
    """One occurrence of an entity; offsets into `body`."""

    start: Offset
    end: Offset
    text: str


class Entity(Struct, kw_only=True):
    """One real-world entity with every mention of it in the body."""

    name: str
    label: EntityLabel
    salience: Score
    count: int
    mentions: list[Mention]
    aliases: list[str] = msgspec.field(default_factory=list)
    kb_id: str | None = None
    """Wikidata QID (e.g. "Q7747") when the entity is in the shipped knowledge base, else null."""
    kb_url: str | None = None
    """The Wikidata page of `kb_id`, else null."""


class DemonymCountry(Struct, kw_only=True):
    """A country the article names only through demonyms or adjectives ("russo-turque" -> Turquie).

    Kept apart from `entities`: these are inferred references, not named mentions.
    """

    name: str
    mentions: list[Mention]


class Subtopic(Struct, kw_only=True):
    """A level-2 IPTC Media Topic under a returned top-level topic."""

    code: str
    label: str
    label_en: str
    score: Score


class Topic(Struct, kw_only=True):
    """A top-level IPTC Media Topic with a calibrated score."""

    code: str
    label: str
    label_en: str
    score: Score
    subtopics: list[Subtopic] = msgspec.field(default_factory=list)


class Keyphrase(Struct, kw_only=True):
    """A normalized noun phrase saying what the article is about."""

    text: str
    score: Score


class SummarySentence(Struct, kw_only=True):
    """An extractive summary sentence; offsets into `body`."""

    start: Offset
    end: Offset
    text: str
    score: Score


class QuoteSpeaker(Struct, kw_only=True):
    """Who said a quote: an entity of the response, or the words naming an unnamed source."""

    name: str
    entity: int | None
    """Index into the response's `entities`; None for a source that is not one of them."""


class Quote(Struct, kw_only=True):
    """A quotation (words between marks) or a reported statement, with its speaker; offsets into `body`."""

    text: str
    start: Offset
    end: Offset
    kind: QuoteKind
    speaker: QuoteSpeaker | None
    cue: str | None
    """The attribution verb or phrase ("a déclaré", "selon", "a-t-il ajouté"), when there is one."""


class Stats(Struct, kw_only=True):
    """Sizes and per-stage timings of the computation that produced the result."""

    input_chars: int
    body_chars: int
    tokens: int
    timings_ms: dict[str, float]


class EnrichResult(Struct, kw_only=True):
    """The enrichment of one article; also the cached payload."""

    id: str
    pipeline_version: str
    model: str
    language: Language
    title: str | None
    body: str
    body_html: str
    """The cleaned article as safe HTML: paragraphs, headings h2-h4, lists, quotations, tables,
    http(s) links and emphasis; sanitized, never scripts, styles, frames or event handlers."""
    paragraphs: list[Paragraph]
    removed: list[Removal]
    metadata: Metadata
    entities: list[Entity]
    countries_from_demonyms: list[DemonymCountry]
    topics: list[Topic]
    keyphrases: list[Keyphrase]
    summary: list[SummarySentence]
    quotes: list[Quote]
    stats: Stats
    source_text: str | None = None
    """For HTML input: the page's visible text as the service read it, one block a line; the
    offsets of `removed` point into it. Null for text input (they point into `text`)."""
