"""Stage 5a: IPTC Media Topics for the article (issue 5 fills this stage)."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from service.api.schemas import Topic

__all__ = ["TopicClassifier"]


class TopicClassifier:
    """Assigns top-level IPTC Media Topics; loaded once per worker."""

    @classmethod
    def load(cls, nlp: Language) -> TopicClassifier:
        """Load the shipped topic model for use with `nlp`'s vectors."""
        del nlp
        return cls()

    def classify(self, doc: Doc, title: str | None, max_topics: int) -> list[Topic]:
        """Return at most `max_topics` topics, best first (empty until issue 5)."""
        del doc, title, max_topics
        return []
