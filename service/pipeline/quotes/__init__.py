"""The quotes stage: direct quotations and reported speech with their speakers."""

from service.pipeline.quotes.stage import QuotesStage, extract_quotes

__all__ = ["QuotesStage", "extract_quotes"]
