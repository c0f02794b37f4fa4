"""Articles of a batch or a job: decode each raw item, enrich them together, one outcome per item."""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from service.api.decode import decode_raw_item
from service.api.problems import problem_for
from service.api.schemas import RawBatchItem
from service.engine import EnrichmentEngine, PreparedArticle
from service.errors import EnrichmentError
from service.jobs import Processor, job_path

__all__ = ["enrich_items", "job_processor"]

_encoder = msgspec.json.Encoder()


async def enrich_items(
    engine: EnrichmentEngine, raws: Sequence[bytes], indexes: Sequence[int], instance: str
) -> list[RawBatchItem]:
    """Enrich raw articles (JSON enrich requests) numbered by `indexes`; a bad article fails alone.

    `instance` is the problem instance of the request, each item's problem adds `#/articles/<index>`.
    Raises only when the engine refuses the whole call (overloaded, deadline).
    """
    items: list[PreparedArticle | EnrichmentError] = []
    for index, raw in zip(indexes, raws, strict=True):
        try:
            request = decode_raw_item(msgspec.Raw(raw), index)
            items.append(engine.prepare(request.text, request.title, request.options, request.html))
        except EnrichmentError as exc:
            items.append(exc)
    outcomes = await engine.enrich_batch(items)
    results = []
    for index, outcome in zip(indexes, outcomes, strict=True):
        if isinstance(outcome, bytes):
            results.append(RawBatchItem(index=index, status=200, result=msgspec.Raw(outcome)))
        else:
            problem = problem_for(outcome, instance=f"{instance}#/articles/{index}")
            results.append(RawBatchItem(index=index, status=problem.status, error=problem))
    return results


def job_processor(engine: EnrichmentEngine) -> Processor:
    """The job worker's processor over this engine: items encoded one by one, with their success."""

    async def process(job_id: str, indexes: Sequence[int], raws: Sequence[bytes]) -> list[tuple[bytes, bool]]:
        items = await enrich_items(engine, raws, indexes, job_path(job_id))
        return [(_encoder.encode(item), item.error is None) for item in items]

    return process
