"""The markup stage: an HTML page or fragment becomes the page's text plus the evidence of its markup."""

from __future__ import annotations

import html
import re

from service.errors import NoArticleError, TextTooLargeError
from service.model import Metadata
from service.pipeline.article import Article, PageBlock, PageEvidence, StageResources
from service.pipeline.markup.blocks import Block, parse_blocks
from service.pipeline.markup.guard import check_shape
from service.pipeline.markup.meta import page_meta
from service.pipeline.normalize import NormalizedText, normalize

__all__ = ["LINE_SEPARATOR", "MarkupStage", "read_page"]

LINE_SEPARATOR = "\n"


# A page whose article blocks hold less than this share of its JSON-LD `articleBody` renders
# the article by script: the markup's copy of the text is the article.
_SCRIPTED_BODY_SHARE = 0.3
_BODY_LINES = re.compile(r"\s*\n\s*")


def _script_body(body: str | None, blocks: list[Block], max_text_chars: int) -> list[Block] | None:
    """The JSON-LD `articleBody` as blocks, when the visible page holds much less of the article."""
    if body is None or not body.strip():
        return None
    visible = sum(len(block.text) for block in blocks if block.reason is None)
    if visible >= _SCRIPTED_BODY_SHARE * len(body):
        return None
    if "<" in body and ">" in body:
        # Some sites put the article's HTML in `articleBody`: read it as a fragment.
        check_shape(body)
        inner, _ = parse_blocks(body, max_text_chars)
        return inner
    return [
        Block(text=line, kind="p", markup=html.escape(line, quote=False), reason=None, group=0)
        for line in _BODY_LINES.split(body.strip())
        if line
    ]


def read_page(page: str, max_text_chars: int) -> tuple[NormalizedText, PageEvidence]:
    """The page's visible text, one block a line, and what its markup says about each block.

    A page that renders its article by script (the visible blocks hold a fraction of its JSON-LD
    `articleBody`) is read from `articleBody`; `metadata.sources["body"]` says so.
    """
    check_shape(page)
    blocks, tree = parse_blocks(page, max_text_chars)
    meta = page_meta(tree)
    scripted = _script_body(meta.article_body, blocks, max_text_chars)
    if scripted is not None:
        blocks = scripted
        meta.sources["body"] = "json-ld"
    parts: list[str] = []
    evidence: list[PageBlock] = []
    offset = 0
    for block in blocks:
        line = " ".join(normalize(block.text).text.split())
        if not line:
            continue
        if parts:
            offset += len(LINE_SEPARATOR)
        parts.append(line)
        evidence.append(
            PageBlock(
                start=offset,
                end=offset + len(line),
                kind=block.kind,
                markup=block.markup,
                reason=block.reason,
                group=block.group,
                ordered=block.ordered,
            )
        )
        offset += len(line)
        if offset > max_text_chars:
            msg = f"the page's text has more than {max_text_chars} characters; the limit is {max_text_chars}"
            raise TextTooLargeError(msg)
    if not any(block.reason is None for block in evidence):
        msg = "the page has no article text: every block is navigation, a form or page furniture"
        raise NoArticleError(msg)
    source = LINE_SEPARATOR.join(parts)
    text = NormalizedText(text=source, raw=source, origin=range(len(source) + 1))
    metadata = Metadata(
        byline=meta.byline,
        published=meta.published,
        updated=meta.updated,
        credits=meta.credits,
        sources=dict(meta.sources),
    )
    return text, PageEvidence(blocks=tuple(evidence), metadata=metadata, title=meta.title)


class MarkupStage:
    """Stage: for HTML input, the page's text and the evidence of its markup (no-op for text)."""

    name = "markup"
    version = "2"
    data_files: tuple[str, ...] = ()

    def __init__(self) -> None:
        self._max_text_chars = 0

    def load(self, resources: StageResources) -> None:
        """Remember the text limit: a page's text obeys it as a request's text does."""
        self._max_text_chars = resources.max_text_chars

    def __call__(self, article: Article) -> None:
        """Read the article's HTML, when it has some."""
        if article.html is None:
            return
        article.text, article.page = read_page(article.html, self._max_text_chars)
