"""The clean stage: split the normalized text into lines, keep the article, explain every removal."""

from __future__ import annotations

from typing import cast

from service.errors import NoArticleError
from service.model import Paragraph, ParagraphKind, Removal, RemovalReason
from service.pipeline.article import Article, Cleaned, StageResources, need
from service.pipeline.clean.lines import HEADING, classify, split_lines
from service.pipeline.clean.meta import MetaLine, extract_metadata
from service.pipeline.clean.rules import RuleSet, load_rules
from service.pipeline.normalize import NormalizedText
from service.pipeline.text.runs import break_symbol_runs

__all__ = ["PARAGRAPH_SEPARATOR", "CleanStage", "Cleaned", "clean"]

PARAGRAPH_SEPARATOR = "\n\n"
# Metadata lines are read only this close to the article, so dates and bylines of the
# related-article lists around it are not mistaken for the article's own.
_METADATA_REACH = 15


def clean(text: NormalizedText, rules: RuleSet, title: str | None = None) -> Cleaned:
    """Keep the article's body and headings; list every other line with the reason it went."""
    lines = split_lines(text.text, rules)
    title_at = classify(lines, rules, title)
    parts: list[str] = []
    paragraphs: list[Paragraph] = []
    removed: list[Removal] = []
    offset = 0
    kept_at = [line.index for line in lines if line.kept]
    first = kept_at[0] if kept_at else (title_at or 0)
    last = kept_at[-1] if kept_at else first
    low = min(first, title_at if title_at is not None else first) - _METADATA_REACH
    meta_lines: list[MetaLine] = []
    for line in lines:
        if line.kept:
            if parts:
                offset += len(PARAGRAPH_SEPARATOR)
            # Only white space is added, so body and removals still rebuild the input.
            kept = break_symbol_runs(line.text)
            parts.append(kept)
            kind: ParagraphKind = "heading" if line.label == HEADING else "paragraph"
            paragraphs.append(Paragraph(start=offset, end=offset + len(kept), kind=kind))
            offset += len(kept)
            continue
        reason = cast(RemovalReason, line.label)
        # Offsets into the normalized text: the cached result is shared by every input that
        # normalizes to it, and the engine maps them into each caller's own input.
        removed.append(
            Removal(start=line.start, end=line.end, reason=reason, text=text.text[line.start : line.end])
        )
        if low <= line.index <= last + _METADATA_REACH:
            meta_lines.append((reason, line.text, max(0, line.index - last)))
    found_title = title
    if found_title is None and title_at is not None:
        found_title = lines[title_at].text
    if found_title is not None:
        found_title = break_symbol_runs(found_title)
    return Cleaned(
        title=found_title,
        body=PARAGRAPH_SEPARATOR.join(parts),
        paragraphs=paragraphs,
        removed=removed,
        metadata=extract_metadata(meta_lines, rules),
    )


class CleanStage:
    """Stage: the cleaned body, its paragraphs, the removals and the metadata of the page."""

    name = "clean"
    version = "2"
    data_files = ("boilerplate.json",)

    def __init__(self) -> None:
        self._rules: RuleSet | None = None

    def load(self, resources: StageResources) -> None:
        """Compile the phrase rules."""
        self._rules = load_rules()

    def __call__(self, article: Article) -> None:
        """Clean the article's normalized text."""
        cleaned = clean(article.text, need(self._rules, "the phrase rules"), article.title)
        if not any(ch.isalnum() for ch in cleaned.body):
            msg = "every line is page furniture (menus, share bars, captions...): no article to enrich"
            raise NoArticleError(msg)
        article.cleaned = cleaned
