"""The engine over a small real chain and the embedded cache.

The chain is a blank French spaCy with the real clean and language stages. Pinned: single
flight, micro-batching, overload, deadline, early refusal, and a failing article failing alone.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable

import pytest
import spacy

from service.cache.memory import MemoryCache
from service.engine import Batcher, EnrichmentEngine
from service.errors import (
    DeadlineExceededError,
    OverloadedError,
    StageFailedError,
    UnsupportedLanguageError,
)
from service.metrics import Metrics
from service.pipeline.article import Article, Stage, StageResources
from service.pipeline.chain import Pipeline
from service.pipeline.clean import CleanStage
from service.pipeline.language import LanguageStage
from service.pipeline.nlp import NlpStage
from service.settings import LimitSettings

pytestmark = pytest.mark.anyio

FRENCH = (
    "Le conseil municipal a voté jeudi soir la création d'une piste cyclable reliant la gare au "
    "centre-ville, un projet attendu depuis plus de dix ans par les habitants du quartier nord."
)
ENGLISH = (
    "The city council voted on Thursday evening to build a cycle lane linking the station to the "
    "town centre, a project that residents of the northern district have awaited for ten years."
)
FAIL = "échec"


class _CountingNlp(NlpStage):
    """The real nlp stage, recording the size of every `nlp.pipe` pass."""

    def __init__(self) -> None:
        super().__init__()
        self.passes: list[int] = []

    def pipe(self, articles: list[Article], between: Callable[[], None] | None = None) -> None:
        """Record the pass size, then parse."""
        self.passes.append(len(articles))
        super().pipe(articles, between)


class _Gate:
    """An after-NLP stage that waits for `open` and fails on articles that contain FAIL."""

    name = "gate"
    version = "1"
    data_files: tuple[str, ...] = ()

    def __init__(self) -> None:
        self.open = threading.Event()
        self.open.set()
        self.entered = threading.Event()
        self.calls = 0

    def load(self, resources: StageResources) -> None:
        """Nothing to load."""

    def __call__(self, article: Article) -> None:
        """Block while the gate is shut; raise on the marker."""
        self.calls += 1
        self.entered.set()
        assert self.open.wait(10)
        if FAIL in article.text.text:
            msg = "boom"
            raise RuntimeError(msg)


class _Tail:
    """A last stage that does nothing: the pass takes a break before it."""

    name = "tail"
    version = "1"
    data_files: tuple[str, ...] = ()

    def load(self, resources: StageResources) -> None:
        """Nothing to load."""

    def __call__(self, article: Article) -> None:
        """Nothing to do."""


class _Chain:
    """A loaded pipeline and the stages a test drives."""

    def __init__(self) -> None:
        self.nlp_stage = _CountingNlp()
        self.gate = _Gate()
        before: tuple[Stage, ...] = (CleanStage(), LanguageStage())
        after: tuple[Stage, ...] = (self.gate, _Tail())
        nlp = spacy.blank("fr")
        resources = StageResources(nlp=nlp, min_french_confidence=0.5)
        for stage in (*before, self.nlp_stage, *after):
            stage.load(resources)
        self.pipeline = Pipeline(nlp, "test.0", (before, self.nlp_stage, after))


@pytest.fixture
def chain() -> _Chain:
    """A fresh small chain."""
    return _Chain()


def _engine(chain: _Chain, **limits: float) -> EnrichmentEngine:
    metrics = Metrics()
    batcher = Batcher(lambda: chain.pipeline, metrics, chain.pipeline)
    return EnrichmentEngine(
        LimitSettings(**limits),  # type: ignore[arg-type]
        "test.0",
        MemoryCache(100, 10_000_000, 0),
        batcher,
        metrics,
    )


@pytest.fixture
async def engine(chain: _Chain) -> AsyncIterator[EnrichmentEngine]:
    """An engine over the chain with default limits."""
    engine = _engine(chain)
    engine.start()
    yield engine
    chain.gate.open.set()
    await engine.close()


def _article(n: int) -> str:
    return f"{FRENCH} Article numéro {n}."


async def test_concurrent_requests_for_one_text_share_one_computation(
    engine: EnrichmentEngine, chain: _Chain
) -> None:
    """Two concurrent requests for the same text run the chain once; a third is a cache hit."""
    first, second = await asyncio.gather(
        engine.enrich(engine.prepare(FRENCH, None, None)), engine.enrich(engine.prepare(FRENCH, None, None))
    )
    third = await engine.enrich(engine.prepare(FRENCH, None, None))
    assert (1, first.body, False, True) == (chain.gate.calls, second.body, first.cache_hit, third.cache_hit)


async def test_articles_queued_during_a_pass_share_the_next_pass(
    engine: EnrichmentEngine, chain: _Chain
) -> None:
    """While one pass runs, the articles that arrive go through the next `nlp.pipe` together."""
    chain.gate.open.clear()
    chain.gate.entered.clear()
    first = asyncio.create_task(engine.enrich(engine.prepare(_article(0), None, None)))
    await asyncio.to_thread(chain.gate.entered.wait, 5)
    rest = [asyncio.create_task(engine.enrich(engine.prepare(_article(i), None, None))) for i in range(1, 6)]
    while engine.pending < 6:
        await asyncio.sleep(0.01)
    chain.gate.open.set()
    await asyncio.gather(first, *rest)
    assert [1, 5] == chain.nlp_stage.passes


async def test_a_full_queue_refuses_at_once(chain: _Chain) -> None:
    """Past MAX_QUEUE articles queued or running, a new article gets 503 overloaded."""
    engine = _engine(chain, max_queue=2)
    engine.start()
    chain.gate.open.clear()
    try:
        held = [asyncio.create_task(engine.enrich(engine.prepare(_article(i), None, None))) for i in range(2)]
        while engine.pending < 2:
            await asyncio.sleep(0.01)
        with pytest.raises(OverloadedError):
            await engine.enrich(engine.prepare(_article(9), None, None))
        chain.gate.open.set()
        await asyncio.gather(*held)
    finally:
        chain.gate.open.set()
        await engine.close()


async def test_the_deadline_answers_503_timeout(chain: _Chain) -> None:
    """A computation slower than REQUEST_TIMEOUT_SECONDS answers 503 timeout."""
    engine = _engine(chain, request_timeout_seconds=0.2)
    engine.start()
    chain.gate.open.clear()
    try:
        with pytest.raises(DeadlineExceededError):
            await engine.enrich(engine.prepare(_article(1), None, None))
    finally:
        chain.gate.open.set()
        await engine.close()


async def test_a_refused_language_never_takes_a_queue_slot(engine: EnrichmentEngine, chain: _Chain) -> None:
    """English text is refused by the admission stages: no queue slot, no NLP pass."""
    with pytest.raises(UnsupportedLanguageError):
        await engine.enrich(engine.prepare(ENGLISH, None, None))
    assert (0, [], 0) == (engine.pending, chain.nlp_stage.passes, chain.gate.calls)


async def test_an_article_that_fails_fails_alone(engine: EnrichmentEngine, chain: _Chain) -> None:
    """In one batch, the article a stage fails on gets its error; the others get results."""
    items = [engine.prepare(_article(1), None, None), engine.prepare(f"{FRENCH} {FAIL}.", None, None)]
    items.append(engine.prepare(_article(2), None, None))
    outcomes = await engine.enrich_batch(items)
    kinds = [type(o).__name__ if not isinstance(o, bytes) else "bytes" for o in outcomes]
    assert ["bytes", StageFailedError.__name__, "bytes"] == kinds


async def test_work_past_the_deadline_finishes_and_fills_the_cache(chain: _Chain) -> None:
    """A computation already running when the deadline strikes completes; the retry is a cache hit."""
    engine = _engine(chain, request_timeout_seconds=0.3)
    engine.start()
    chain.gate.open.clear()
    chain.gate.entered.clear()
    try:
        with pytest.raises(DeadlineExceededError):
            await engine.enrich(engine.prepare(_article(7), None, None))
        assert chain.gate.entered.is_set()
        chain.gate.open.set()
        while engine.pending:
            await asyncio.sleep(0.01)
        retry = await engine.enrich(engine.prepare(_article(7), None, None))
        assert (True, 1) == (retry.cache_hit, chain.gate.calls)
    finally:
        chain.gate.open.set()
        await engine.close()


async def test_a_short_article_goes_through_while_a_long_one_is_parsed(chain: _Chain) -> None:
    """A short article sent during a long article's pass is answered before the long one."""
    engine = _engine(chain)
    engine.start()
    long_text = " ".join(f"{FRENCH} Paragraphe {i}.\n\n" for i in range(150))
    chain.gate.open.clear()
    chain.gate.entered.clear()
    try:
        long_task = asyncio.create_task(engine.enrich(engine.prepare(long_text, None, None)))
        await asyncio.to_thread(chain.gate.entered.wait, 5)  # the long pass is in its later stages
        short = asyncio.create_task(engine.enrich(engine.prepare(_article(3), None, None)))
        await asyncio.sleep(0.2)
        assert not short.done()  # waiting for the next break of the long pass
        chain.gate.open.set()
        done, _ = await asyncio.wait({long_task, short}, return_when=asyncio.FIRST_COMPLETED)
        assert short in done
        await long_task
    finally:
        chain.gate.open.set()
        await engine.close()


async def test_a_body_answered_before_is_found_by_its_bytes(engine: EnrichmentEngine) -> None:
    """A repeated body finds its result by its bytes; another media type or a spoiled entry does not."""
    body = f'{{"text": "{FRENCH}"}}'.encode()
    digest = engine.body_digest(body, "application/json")
    prepared = engine.prepare(FRENCH, None, None)
    assert engine.known(digest) is None
    served = await engine.enrich(prepared)
    engine.remember(digest, prepared)
    known = engine.known(digest)
    assert known is not None
    assert (known.id, known.key, known.etag) == (prepared.article.id, prepared.key, prepared.etag)
    assert await engine.cached_known(known) == served.body
    assert engine.known(engine.body_digest(body, "text/plain")) is None
    await engine.cache.set(prepared.key, b'{"id":"truncated')
    assert await engine.cached_known(known) is None


async def test_a_text_that_normalizes_differently_is_not_remembered(engine: EnrichmentEngine) -> None:
    """A raw text unlike its normal form gets its removals mapped into it, so it takes the full path."""
    raw = FRENCH.replace(" ", "\r\n", 1)
    prepared = engine.prepare(raw, None, None)
    await engine.enrich(prepared)
    digest = engine.body_digest(raw.encode(), "text/plain")
    engine.remember(digest, prepared)
    assert engine.known(digest) is None
