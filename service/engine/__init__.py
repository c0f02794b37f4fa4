"""The engine of one worker: cache, single flight and deadline (service), NLP micro-batches (batcher).

With several workers, the NLP side is the machine's: the hub's queue (hub) drained by NLP
processes (nlp_process), reached from each HTTP worker through remote.
"""

from service.engine.batcher import Batcher, NlpQueue
from service.engine.remote import HubCache, HubConnection, RemoteBatcher
from service.engine.service import EnrichmentEngine, KnownRequest, PreparedArticle, Served

__all__ = [
    "Batcher",
    "EnrichmentEngine",
    "HubCache",
    "HubConnection",
    "KnownRequest",
    "NlpQueue",
    "PreparedArticle",
    "RemoteBatcher",
    "Served",
]
