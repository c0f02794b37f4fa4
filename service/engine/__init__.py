"""The engine of one worker: cache, single flight and deadline (service), NLP micro-batches (batcher)."""

from service.engine.batcher import Batcher
from service.engine.service import EnrichmentEngine, PreparedArticle, Served

__all__ = ["Batcher", "EnrichmentEngine", "PreparedArticle", "Served"]
