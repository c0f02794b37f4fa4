"""Stage 2: split the normalized text into lines, keep the article, explain every removal."""

from __future__ import annotations

from dataclasses import dataclass, field

from service.api.schemas import Metadata, Paragraph, Removal
from service.pipeline.normalize import NormalizedText

__all__ = ["Cleaned", "clean"]

PARAGRAPH_SEPARATOR = "\n\n"


@dataclass(frozen=True, slots=True)
class Cleaned:
    """The cleaned article: body text, its paragraphs, and what was removed from the input."""

    title: str | None
    body: str
    paragraphs: list[Paragraph]
    removed: list[Removal] = field(default_factory=list)
    metadata: Metadata = field(default_factory=Metadata)


def clean(text: NormalizedText, title: str | None = None) -> Cleaned:
    """Keep every non-blank line as a paragraph, stripped of surrounding blanks."""
    parts: list[str] = []
    paragraphs: list[Paragraph] = []
    offset = 0
    for line in text.text.split("\n"):
        stripped = line.strip()
        if not stripped:
            continue
        if parts:
            offset += len(PARAGRAPH_SEPARATOR)
        parts.append(stripped)
        paragraphs.append(Paragraph(start=offset, end=offset + len(stripped), kind="paragraph"))
        offset += len(stripped)
    return Cleaned(title=title, body=PARAGRAPH_SEPARATOR.join(parts), paragraphs=paragraphs)
