"""The clean stage: split the normalized text into lines, keep the article, explain every removal."""

from __future__ import annotations

import bisect
import dataclasses
from typing import cast

from service.errors import NoArticleError
from service.model import Metadata, Paragraph, ParagraphKind, Removal, RemovalReason
from service.pipeline.article import Article, Cleaned, PageEvidence, StageResources, need
from service.pipeline.clean.lines import HEADING, classify, split_lines
from service.pipeline.clean.meta import MetaLine, extract_metadata
from service.pipeline.clean.render import render_page, render_text
from service.pipeline.clean.rules import RuleSet, load_rules
from service.pipeline.normalize import NormalizedText
from service.pipeline.text.runs import break_symbol_runs

__all__ = ["PARAGRAPH_SEPARATOR", "CleanStage", "Cleaned", "clean", "clean_page"]

PARAGRAPH_SEPARATOR = "\n\n"
_LINE_BREAK = "\n"
# Metadata lines are read only this close to the article, so dates and bylines of the
# related-article lists around it are not mistaken for the article's own.
_METADATA_REACH = 15


def clean(text: NormalizedText, rules: RuleSet, title: str | None = None) -> Cleaned:
    """Keep the article's body and headings; list every other line with the reason it went."""
    lines = split_lines(text.text, rules)
    title_at = classify(lines, rules, title)
    parts: list[str] = []
    paragraphs: list[Paragraph] = []
    kept_spans: list[tuple[int, int]] = []
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
            kept_spans.append((line.start, line.end))
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
        kept=kept_spans,
    )


def clean_page(text: NormalizedText, page: PageEvidence, rules: RuleSet, title: str | None = None) -> Cleaned:
    """Clean an HTML page's text with the evidence of its markup.

    Blocks the markup names as furniture go with that reason, the text cleaner judges the others
    as it judges a scraped text, and `body_html` keeps the kept blocks' own markup.
    """
    source = text.text
    candidates = [block for block in page.blocks if block.reason is None]
    candidate_text = _LINE_BREAK.join(source[block.start : block.end] for block in candidates)
    shifts: list[int] = []  # where each candidate block starts in candidate_text
    at = 0
    for block in candidates:
        shifts.append(at)
        at += block.end - block.start + len(_LINE_BREAK)

    def to_source(offset: int) -> int:
        if not candidates:
            return offset
        i = max(bisect.bisect_right(shifts, offset) - 1, 0)
        return candidates[i].start + offset - shifts[i]

    inner = clean(
        NormalizedText(candidate_text, candidate_text, range(len(candidate_text) + 1)),
        rules,
        title if title is not None else page.title,
    )
    removed = [
        Removal(start=block.start, end=block.end, reason=block.reason, text=source[block.start : block.end])
        for block in page.blocks
        if block.reason is not None
    ]
    removed.extend(
        Removal(start=to_source(item.start), end=to_source(item.end), reason=item.reason, text=item.text)
        for item in inner.removed
    )
    removed.sort(key=lambda item: item.start)
    kept = [(to_source(start), to_source(end)) for start, end in inner.kept]
    metadata = _merged(page.metadata, inner.metadata)
    for block in page.blocks:
        # A figcaption's credit ("Photo Léa Morvan", "© AFP") is the photo's, wherever it stands.
        credit = rules.credit(source[block.start : block.end]) if block.reason == "caption" else None
        if credit is not None and credit not in metadata.credits:
            metadata.credits.append(credit)
            metadata.sources.setdefault("credits", "text")
    return Cleaned(
        title=inner.title,
        body=inner.body,
        paragraphs=inner.paragraphs,
        removed=removed,
        metadata=metadata,
        body_html=render_page(inner.body, inner.paragraphs, kept, page.blocks),
        kept=kept,
    )


def _merged(page: Metadata, text: Metadata) -> Metadata:
    """The page's stated metadata, completed by what its text lines say; each value's source named."""
    sources = dict(page.sources)
    values: dict[str, str | None] = {}
    for name in ("byline", "source", "published", "updated"):
        stated = getattr(page, name)
        found = getattr(text, name)
        values[name] = stated or found
        if not stated and found:
            sources[name] = "text"
    credits = list(page.credits) + [credit for credit in text.credits if credit not in page.credits]
    if text.credits and not page.credits:
        sources["credits"] = "text"
    return Metadata(credits=credits, sources=sources, **values)


def _text_sources(metadata: Metadata, title_given: bool, title: str | None) -> Metadata:
    """Metadata of a text input, each value's source named."""
    sources = {
        name: "text" for name in ("byline", "source", "published", "updated") if getattr(metadata, name)
    }
    if metadata.credits:
        sources["credits"] = "text"
    if title is not None:
        sources["title"] = "request" if title_given else "text"
    metadata.sources = sources
    return metadata


class CleanStage:
    """Stage: the cleaned body, its paragraphs, the removals and the metadata of the page."""

    name = "clean"
    version = "3"
    data_files = ("boilerplate.json",)

    def __init__(self) -> None:
        self._rules: RuleSet | None = None

    def load(self, resources: StageResources) -> None:
        """Compile the phrase rules."""
        self._rules = load_rules()

    def __call__(self, article: Article) -> None:
        """Clean the article's normalized text."""
        rules = need(self._rules, "the phrase rules")
        if article.page is None:
            cleaned = clean(article.text, rules, article.title)
            cleaned = dataclasses.replace(
                cleaned,
                body_html=render_text(cleaned.body, cleaned.paragraphs),
                metadata=_text_sources(cleaned.metadata, article.title is not None, cleaned.title),
            )
        else:
            cleaned = clean_page(article.text, article.page, rules, article.title)
            sources = cleaned.metadata.sources
            stated = sources.pop("title", "text")
            if cleaned.title is not None:
                sources["title"] = "request" if article.title is not None else stated
        if not any(ch.isalnum() for ch in cleaned.body):
            msg = "every line is page furniture (menus, share bars, captions...): no article to enrich"
            raise NoArticleError(msg)
        article.cleaned = cleaned
