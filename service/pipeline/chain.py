"""The chain: the ordered stages, and the Pipeline that runs them over batches of articles.

normalize (when the article is prepared) -> markup (HTML input) -> clean -> language | nlp |
sentences -> entities -> quotes -> topics -> keyphrases -> summary. The stages before `nlp` run when an
article is admitted, before it takes a place in the NLP queue, so a refused text never waits for
the model.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import structlog
from spacy.language import Language as SpacyLanguage

from service.errors import EmptyTextError, EnrichmentError, StageFailedError, TextTooLargeError
from service.model import EnrichOptions, EnrichResult, Stats
from service.pipeline.article import Article, Stage, StageResources, need
from service.pipeline.clean import CleanStage
from service.pipeline.entities import EntitiesStage
from service.pipeline.keyphrases import KeyphrasesStage
from service.pipeline.language import LanguageStage
from service.pipeline.markup import MarkupStage
from service.pipeline.nlp import NlpStage, load_pipeline, model_id
from service.pipeline.normalize import NormalizedText, normalize
from service.pipeline.quotes import QuotesStage
from service.pipeline.sentences import SentencesStage
from service.pipeline.summary import SummaryStage
from service.pipeline.topics import TopicsStage

__all__ = ["Pipeline", "Prepared", "build_stages", "prepare_input", "prepare_page"]

log = structlog.get_logger("service.pipeline")

DEFAULT_OPTIONS = EnrichOptions()


def build_stages() -> tuple[tuple[Stage, ...], NlpStage, tuple[Stage, ...]]:
    """Fresh, unloaded stages in chain order: before the NLP pass, the pass, after it.

    Adding a stage means adding its package and one line here.
    """
    before: tuple[Stage, ...] = (MarkupStage(), CleanStage(), LanguageStage())
    after: tuple[Stage, ...] = (
        SentencesStage(),
        EntitiesStage(),
        QuotesStage(),
        TopicsStage(),
        KeyphrasesStage(),
        SummaryStage(),
    )
    return before, NlpStage(), after


@dataclass(frozen=True, slots=True)
class Prepared:
    """A request's normalized text and title, checked against the limits (no model needed)."""

    text: NormalizedText
    title: str | None


def prepare_input(text: str, title: str | None, max_text_chars: int) -> Prepared:
    """Check the size and emptiness of a text and normalize it and its title."""
    if len(text) > max_text_chars:
        msg = f"text has {len(text)} characters; the limit is {max_text_chars}"
        raise TextTooLargeError(msg)
    normalized = normalize(text)
    if not normalized.text.strip():
        msg = "text is empty or holds only white space"
        raise EmptyTextError(msg)
    clean_title = None
    if title is not None:
        clean_title = " ".join(normalize(title).text.split()) or None
    return Prepared(normalized, clean_title)


def prepare_page(html: str, title: str | None) -> Prepared:
    """Check that an HTML input is not blank and normalize its title; the markup stage reads it."""
    if not html.strip():
        msg = "html is empty or holds only white space"
        raise EmptyTextError(msg)
    clean_title = None
    if title is not None:
        clean_title = " ".join(normalize(title).text.split()) or None
    return Prepared(NormalizedText("", "", (0,)), clean_title)


@contextmanager
def _timed(article: Article, name: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        elapsed = (time.perf_counter() - started) * 1000
        article.timings_ms[name] = round(article.timings_ms.get(name, 0.0) + elapsed, 3)


class Pipeline:
    """Runs the chain for articles; owns the spaCy model and every stage's data, loaded once."""

    def __init__(
        self,
        nlp: SpacyLanguage,
        version: str,
        stages: tuple[tuple[Stage, ...], NlpStage, tuple[Stage, ...]],
    ) -> None:
        self.nlp = nlp
        self.model = model_id(nlp)
        self.version = version
        self._before, self._nlp_stage, self._after = stages
        # memory_zone() is not thread-safe: two zones open at once on one vocab free each
        # other's strings. One article batch at a time holds the model.
        self._nlp_lock = threading.Lock()

    @classmethod
    def load(cls, model: str, min_french_confidence: float, version: str, max_text_chars: int) -> Pipeline:
        """Load the spaCy model `model`, then every stage's data."""
        nlp = load_pipeline(model)
        stages = build_stages()
        resources = StageResources(
            nlp=nlp, min_french_confidence=min_french_confidence, max_text_chars=max_text_chars
        )
        before, nlp_stage, after = stages
        for stage in (*before, nlp_stage, *after):
            stage.load(resources)
        return cls(nlp, version, stages)

    def admit(self, article: Article) -> None:
        """Run the stages before the NLP pass (cleaning, language); raises a refusal."""
        for stage in self._before:
            try:
                with _timed(article, stage.name):
                    stage(article)
            except EnrichmentError:
                raise
            except Exception as exc:  # a bug on one article fails that article only
                log.exception("stage_failed", stage=stage.name, article=article.id)
                msg = f"the {stage.name} stage failed: {type(exc).__name__}"
                raise StageFailedError(msg) from exc

    def enrich_many(
        self, articles: Sequence[Article], between: Callable[[], None] | None = None
    ) -> list[EnrichResult | EnrichmentError]:
        """Finish admitted articles with one `nlp.pipe` pass; an article that fails, fails alone.

        `between`, when given, is called after each piece of a long body and after each later
        stage: it may call `enrich_within` for other articles, which then wait one piece, not
        the whole long article.
        """
        # memory_zone frees the strings spaCy interns for these docs once we leave it, so a
        # long-running worker does not grow with every new article; nothing holding a Doc or
        # a Token may escape the block.
        with self._nlp_lock:
            # Ahead of the zone, so that the words met stay known (bounded: see `tokenize`).
            self._nlp_stage.tokenize(list(articles))
            with self.nlp.memory_zone():
                return self._enrich(articles, between)

    def enrich_within(self, articles: Sequence[Article]) -> list[EnrichResult | EnrichmentError]:
        """`enrich_many` for a call made from `between`: the caller's pass holds the model and its zone."""
        return self._enrich(articles, None)

    def _enrich(
        self, articles: Sequence[Article], between: Callable[[], None] | None
    ) -> list[EnrichResult | EnrichmentError]:
        outcomes: list[EnrichResult | EnrichmentError | None] = [None] * len(articles)
        parsed = self._parse(list(articles), outcomes, between)
        for i in parsed:
            outcomes[i] = self._finish(articles[i], between)
            articles[i].doc = None
        for article in articles:
            article.tokens = None
        return [o if o is not None else StageFailedError("the article was not processed") for o in outcomes]

    def _parse(
        self,
        articles: list[Article],
        outcomes: list[EnrichResult | EnrichmentError | None],
        between: Callable[[], None] | None,
    ) -> list[int]:
        """Parse every article in one pass; when the pass fails, parse each alone to find the culprit."""
        started = time.perf_counter()
        try:
            self._nlp_stage.pipe(articles, between)
        except Exception:  # one bad text must not fail the articles batched with it
            log.exception("nlp_pass_failed", articles=len(articles))
            parsed = []
            for i, article in enumerate(articles):
                try:
                    self._nlp_stage(article)
                    parsed.append(i)
                except Exception as exc:
                    log.exception("stage_failed", stage=self._nlp_stage.name, article=article.id)
                    outcomes[i] = StageFailedError(
                        f"the {self._nlp_stage.name} stage failed: {type(exc).__name__}"
                    )
            return parsed
        per_doc = (time.perf_counter() - started) * 1000 / max(len(articles), 1)
        for article in articles:
            article.timings_ms[self._nlp_stage.name] = round(per_doc, 3)
        return list(range(len(articles)))

    def _finish(self, article: Article, between: Callable[[], None] | None) -> EnrichResult | EnrichmentError:
        for stage in self._after:
            if between is not None:
                between()
            try:
                with _timed(article, stage.name):
                    stage(article)
            except EnrichmentError as exc:
                return exc
            except Exception as exc:  # a bug on one article fails that article, not its batch
                log.exception("stage_failed", stage=stage.name, article=article.id)
                return StageFailedError(f"the {stage.name} stage failed: {type(exc).__name__}")
        return self.result(article)

    def result(self, article: Article) -> EnrichResult:
        """The finished article as the result Struct."""
        cleaned = need(article.cleaned, "the cleaned body")
        doc = need(article.doc, "the parsed body")
        return EnrichResult(
            id=article.id,
            pipeline_version=self.version,
            model=self.model,
            language=need(article.language, "the language"),
            title=cleaned.title,
            body=cleaned.body,
            body_html=cleaned.body_html,
            paragraphs=cleaned.paragraphs,
            removed=cleaned.removed,
            metadata=cleaned.metadata,
            entities=article.entities,
            countries_from_demonyms=article.countries_from_demonyms,
            topics=article.topics,
            keyphrases=article.keyphrases,
            summary=article.summary,
            quotes=article.quotes,
            source_text=article.text.text if article.html is not None else None,
            stats=Stats(
                input_chars=len(article.html) if article.html is not None else len(article.text.text),
                body_chars=len(cleaned.body),
                tokens=len(doc),
                timings_ms=article.timings_ms,
            ),
        )
