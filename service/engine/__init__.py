"""The engine of one worker: cache, single flight and deadline (service), NLP micro-batches (batcher)."""

from service.engine.batcher import Batcher, NlpQueue
from service.engine.remote import HubCache, HubConnection, RemoteBatcher
from service.engine.service import EnrichmentEngine, PreparedArticle, Served

__all__ = [
    "Batcher",
    "EnrichmentEngine",
    "HubCache",
    "HubConnection",
    "NlpQueue",
    "PreparedArticle",
    "RemoteBatcher",
    "Served",
]
