"""The article being built and the shape every stage shares (in the spirit of spaCy components)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, TypeVar

from service.model import (
    DemonymCountry,
    EnrichOptions,
    Entity,
    Keyphrase,
    Language,
    Metadata,
    Paragraph,
    Quote,
    Removal,
    RemovalReason,
    SummarySentence,
    Topic,
)
from service.pipeline.normalize import NormalizedText

if TYPE_CHECKING:
    from spacy.language import Language as SpacyLanguage
    from spacy.tokens import Doc

__all__ = ["Article", "Cleaned", "PageBlock", "PageEvidence", "Stage", "StageResources", "need"]

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class StageResources:
    """What stages may load their data with: the spaCy pipeline and the NLP settings' values."""

    nlp: SpacyLanguage
    min_french_confidence: float
    max_text_chars: int = 200_000


@dataclass(frozen=True, slots=True)
class Cleaned:
    """The cleaned article: body text, its paragraphs, and what was removed from the input."""

    title: str | None
    body: str
    paragraphs: list[Paragraph]
    removed: list[Removal] = field(default_factory=list)
    metadata: Metadata = field(default_factory=Metadata)
    body_html: str = ""
    kept: list[tuple[int, int]] = field(default_factory=list)
    """The input span of each paragraph, in body order."""


@dataclass(frozen=True, slots=True)
class PageBlock:
    """One block of an HTML page: its line in the page's text and what the markup says of it."""

    start: int
    end: int
    kind: str
    """`p`, `h1`..`h6`, `li`, `quote`, `row`, `pre` or `text`."""
    markup: str
    """Inline HTML of the block (links, emphasis), for `body_html`."""
    reason: RemovalReason | None
    """Set when the markup alone says the block is furniture."""
    group: int
    """Blocks of one list, table or quotation share a group."""
    ordered: bool = False


@dataclass(frozen=True, slots=True)
class PageEvidence:
    """What an HTML input's markup says: its blocks and the metadata the page states."""

    blocks: tuple[PageBlock, ...]
    metadata: Metadata
    title: str | None = None


@dataclass(slots=True)
class Article:
    """One article on its way through the chain: the prepared input, then each stage's output."""

    id: str
    text: NormalizedText
    title: str | None
    options: EnrichOptions
    html: str | None = None
    """The page as sent, for HTML input; the markup stage turns it into `text` and `page`."""
    page: PageEvidence | None = None
    timings_ms: dict[str, float] = field(default_factory=dict)
    cleaned: Cleaned | None = None
    language: Language | None = None
    tokens: Doc | None = None
    """The body tokenized ahead of the NLP pass's memory zone (`NlpStage.tokenize`), else None."""
    doc: Doc | None = None
    entities: list[Entity] = field(default_factory=list)
    countries_from_demonyms: list[DemonymCountry] = field(default_factory=list)
    topics: list[Topic] = field(default_factory=list)
    keyphrases: list[Keyphrase] = field(default_factory=list)
    summary: list[SummarySentence] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)


def need(value: _T | None, what: str) -> _T:
    """`value`, which an earlier stage must have set; a stage ordered wrongly fails loudly here."""
    if value is None:
        msg = f"{what} is not set: a stage runs before the stage that builds it"
        raise RuntimeError(msg)
    return value


class Stage(Protocol):
    """One step of the chain: named and versioned, owns its data, fills its part of the article."""

    @property
    def name(self) -> str:
        """Short name, used in timings and in the pipeline version."""
        ...

    @property
    def version(self) -> str:
        """Bumped when the stage's output changes for the same input and data."""
        ...

    @property
    def data_files(self) -> tuple[str, ...]:
        """Files of service/data/ the stage reads; their hashes are part of the pipeline version."""
        ...

    def load(self, resources: StageResources) -> None:
        """Read the stage's data once per process."""
        ...

    def __call__(self, article: Article) -> None:
        """Compute the stage's output for `article` and store it there."""
        ...
