"""The pipeline chain: normalize -> clean -> nlp -> entities -> topics/keyphrases -> summary."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from spacy.language import Language as SpacyLanguage
from spacy.tokens import Doc

from service.api.schemas import (
    EnrichOptions,
    EnrichRequest,
    EnrichResult,
    Language,
    Stats,
)
from service.errors import (
    EmptyTextError,
    EnrichmentError,
    TextTooLargeError,
    UnsupportedLanguageError,
)
from service.pipeline.clean import Cleaned, clean
from service.pipeline.clean import warm_up as warm_up_cleaning
from service.pipeline.entities import extract_demonym_countries, extract_entities, load_lexicon
from service.pipeline.keyphrases import extract_keyphrases, load_stoplist
from service.pipeline.language import LanguageDetector
from service.pipeline.nlp import load_pipeline, model_id
from service.pipeline.normalize import NormalizedText, normalize
from service.pipeline.summary import load_summary_model, summarize
from service.pipeline.topics import TopicClassifier
from service.settings import NlpSettings

__all__ = ["PIPELINE_VERSION", "Enricher", "PreparedArticle", "content_digest", "prepare"]

PIPELINE_VERSION = "1.0.1"
"""Names the behaviour of the whole chain; part of every cache key. Bump it when output changes."""

_DEFAULT_OPTIONS = EnrichOptions()
_LANGUAGE_SAMPLE_CHARS = 3_000


def content_digest(text: str, title: str | None, options: EnrichOptions) -> str:
    """SHA-256 hex digest of everything that determines a result: text, title and options."""
    h = hashlib.sha256()
    h.update(text.encode("utf-8", "surrogatepass"))
    h.update(b"\x00title\x00")
    h.update(b"\x01" if title is None else title.encode("utf-8", "surrogatepass"))
    h.update(
        f"\x00options\x00{options.summary_sentences}:{options.max_topics}:{options.max_keyphrases}".encode()
    )
    return h.hexdigest()


@dataclass(frozen=True, slots=True)
class PreparedArticle:
    """A validated, normalized request with its identity, ready for the NLP executor."""

    text: NormalizedText
    title: str | None
    options: EnrichOptions
    digest: str
    timings_ms: dict[str, float] = field(default_factory=dict)

    @property
    def id(self) -> str:
        """The public result id, `sha256:<hex>`."""
        return f"sha256:{self.digest}"


def prepare(request: EnrichRequest, max_text_chars: int) -> PreparedArticle:
    """Check limits, normalize text and title, and compute the content identity."""
    if len(request.text) > max_text_chars:
        msg = f"text has {len(request.text)} characters; the limit is {max_text_chars}"
        raise TextTooLargeError(msg)
    started = time.perf_counter()
    text = normalize(request.text)
    if not text.text.strip():
        msg = "text is empty or holds only white space"
        raise EmptyTextError(msg)
    title = None
    if request.title is not None:
        title = " ".join(normalize(request.title).text.split()) or None
    options = request.options or _DEFAULT_OPTIONS
    digest = content_digest(text.text, title, options)
    elapsed = round((time.perf_counter() - started) * 1000, 3)
    return PreparedArticle(
        text=text, title=title, options=options, digest=digest, timings_ms={"normalize": elapsed}
    )


class _Clock:
    """Collects per-stage wall times in milliseconds."""

    def __init__(self, initial: dict[str, float]) -> None:
        self.timings = dict(initial)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = round(
                self.timings.get(name, 0.0) + (time.perf_counter() - started) * 1000, 3
            )


class Enricher:
    """Runs every stage for prepared articles; owns the model and data loaded once per worker."""

    def __init__(
        self,
        nlp: SpacyLanguage,
        detector: LanguageDetector,
        topics: TopicClassifier,
        min_french_confidence: float,
    ) -> None:
        self.nlp = nlp
        self.model = model_id(nlp)
        self._detector = detector
        self._topics = topics
        self._min_french = min_french_confidence
        # memory_zone() is not thread-safe: two zones open at once on one vocab free each
        # other's strings. One article batch at a time holds the model.
        self._nlp_lock = threading.Lock()

    @classmethod
    def load(cls, settings: NlpSettings) -> Enricher:
        """Load the spaCy model, the language identifier and the stage data files."""
        nlp = load_pipeline(settings.model)
        warm_up_cleaning()
        load_lexicon()
        load_summary_model()
        load_stoplist()
        return cls(
            nlp=nlp,
            detector=LanguageDetector(),
            topics=TopicClassifier.load(nlp),
            min_french_confidence=settings.min_french_confidence,
        )

    def enrich(self, article: PreparedArticle) -> EnrichResult:
        """Enrich one article; raises an EnrichmentError for a refused input."""
        result = self.enrich_many([article])[0]
        if isinstance(result, EnrichmentError):
            raise result
        return result

    def enrich_many(self, articles: Sequence[PreparedArticle]) -> list[EnrichResult | EnrichmentError]:
        """Enrich several articles with one `nlp.pipe` pass; a refused article gets its error."""
        clocks = [_Clock(a.timings_ms) for a in articles]
        outcomes: list[EnrichResult | EnrichmentError | None] = [None] * len(articles)
        accepted: list[tuple[int, Cleaned, Language]] = []
        for i, (article, clock) in enumerate(zip(articles, clocks, strict=True)):
            with clock.stage("clean"):
                cleaned = clean(article.text, article.title)
            with clock.stage("language"):
                language = self._language(cleaned.body)
            if isinstance(language, EnrichmentError):
                outcomes[i] = language
            else:
                accepted.append((i, cleaned, language))
        # memory_zone frees the strings spaCy interns for these docs once we leave it, so a
        # long-running worker does not grow with every new article; nothing holding a Doc or
        # a Token may escape the block.
        with self._nlp_lock, self.nlp.memory_zone():
            started = time.perf_counter()
            docs = list(self.nlp.pipe(c.body for _, c, _ in accepted))
            per_doc = (time.perf_counter() - started) * 1000 / max(len(docs), 1)
            for (i, cleaned, language), doc in zip(accepted, docs, strict=True):
                clocks[i].timings["nlp"] = round(per_doc, 3)
                outcomes[i] = self._finish(articles[i], cleaned, language, doc, clocks[i])
        return [o for o in outcomes if o is not None]

    def _language(self, body: str) -> Language | EnrichmentError:
        # A few paragraphs identify the language as well as the whole article, at a fraction of the cost.
        guess = self._detector.detect(body[:_LANGUAGE_SAMPLE_CHARS])
        if guess.decisive and guess.code != "fr" and guess.french < self._min_french:
            return UnsupportedLanguageError(
                f"the text looks like '{guess.code}' (p={guess.confidence:.2f}); only French is supported",
                language=guess.code,
                confidence=guess.confidence,
            )
        return Language(code="fr", confidence=round(guess.french, 4))

    def _finish(
        self,
        article: PreparedArticle,
        cleaned: Cleaned,
        language: Language,
        doc: Doc,
        clock: _Clock,
    ) -> EnrichResult:
        options = article.options
        with clock.stage("entities"):
            entities = extract_entities(doc, cleaned.title)
            demonym_countries = extract_demonym_countries(doc)
        with clock.stage("topics"):
            topics = self._topics.classify(doc, cleaned.title, options.max_topics)
        with clock.stage("keyphrases"):
            keyphrases = extract_keyphrases(doc, entities, options.max_keyphrases)
        with clock.stage("summary"):
            summary = summarize(
                doc, cleaned.paragraphs, entities, keyphrases, options.summary_sentences, title=cleaned.title
            )
        return EnrichResult(
            id=article.id,
            pipeline_version=PIPELINE_VERSION,
            model=self.model,
            language=language,
            title=cleaned.title,
            body=cleaned.body,
            paragraphs=cleaned.paragraphs,
            removed=cleaned.removed,
            metadata=cleaned.metadata,
            entities=entities,
            countries_from_demonyms=demonym_countries,
            topics=topics,
            keyphrases=keyphrases,
            summary=summary,
            stats=Stats(
                input_chars=len(article.text.raw),
                body_chars=len(cleaned.body),
                tokens=len(doc),
                timings_ms=clock.timings,
            ),
        )
