"""`body_html`: the kept article as safe HTML, rebuilt from the page's blocks or the text's paragraphs."""

from __future__ import annotations

import bisect
import html
from collections.abc import Sequence

import nh3

from service.model import Paragraph
from service.pipeline.article import PageBlock

__all__ = ["render_page", "render_text"]

_TAGS = {
    "p", "h2", "h3", "h4", "ul", "ol", "li", "blockquote", "table", "tbody", "tr", "td", "pre", "a",
    "em", "strong", "i", "b", "sup", "sub", "q", "cite", "abbr", "mark", "s", "u", "br",
}  # fmt: skip
_HEADING_TAG = {"h1": "h2", "h2": "h2", "h3": "h3", "h4": "h4", "h5": "h4", "h6": "h4"}
_CELL_SEPARATOR = " | "
_CONTAINER = {"li": ("ul", "li"), "row": ("table", "tr"), "quote": ("blockquote", "p")}


def sanitize(markup: str) -> str:
    """Only the tags of an article body, only http(s) links; nh3 (ammonia) does the work."""
    return nh3.clean(
        markup,
        tags=_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def render_text(body: str, paragraphs: Sequence[Paragraph]) -> str:
    """HTML of a text article: a `p` per paragraph, an `h2` per heading."""
    parts = []
    for paragraph in paragraphs:
        tag = "h2" if paragraph.kind == "heading" else "p"
        parts.append(f"<{tag}>{html.escape(body[paragraph.start : paragraph.end], quote=False)}</{tag}>")
    markup = "\n".join(parts)
    if "\r" in markup or "\0" in markup:
        return sanitize(markup)
    # Escaped text between tags of our own has nothing to sanitize: what nh3 would change here
    # is only its way of writing U+00A0, whose runs it serialises in quadratic time (0.53 s for a
    # 200,000-character run of « or of no-break spaces). Carriage returns and NUL, which its
    # parser rewrites, still go through it.
    return markup.replace("\xa0", "&nbsp;")


def _row(markup: str) -> str:
    return "<td>" + "</td><td>".join(markup.split(_CELL_SEPARATOR)) + "</td>"


def render_page(
    body: str, paragraphs: Sequence[Paragraph], kept: Sequence[tuple[int, int]], blocks: Sequence[PageBlock]
) -> str:
    """HTML of a page article: each kept block with its own tag and inline markup.

    A block kept whole keeps its links and emphasis; a block the cleaner kept only part of
    (a glued line split in two) is printed as its kept text. Consecutive items of one list,
    rows of one table and paragraphs of one quotation are wrapped together again.
    """
    starts = [block.start for block in blocks]
    parts: list[str] = []
    open_group: tuple[int, str] | None = None
    closer = ""
    for paragraph, (start, end) in zip(paragraphs, kept, strict=True):
        at = bisect.bisect_right(starts, start) - 1
        block = blocks[at] if at >= 0 else None
        whole = block is not None and block.start == start and block.end == end
        inner = (
            block.markup
            if whole and block is not None
            else html.escape(body[paragraph.start : paragraph.end], quote=False)
        )
        kind = block.kind if block is not None else "p"
        container = _CONTAINER.get(kind)
        group_key = (block.group, kind) if container is not None and block is not None else None
        if open_group is not None and open_group != group_key:
            parts.append(closer)
            open_group = None
        if container is not None and group_key is not None:
            outer, tag = container
            if open_group is None:
                outer = "ol" if block is not None and block.ordered and outer == "ul" else outer
                parts.append(f"<{outer}>")
                closer = f"</{outer}>"
                open_group = group_key
            parts.append(f"<{tag}>{_row(inner) if kind == 'row' else inner}</{tag}>")
            continue
        if paragraph.kind == "heading" or kind in _HEADING_TAG:
            tag = _HEADING_TAG.get(kind, "h2")
        else:
            tag = "pre" if kind == "pre" else "p"
        parts.append(f"<{tag}>{inner}</{tag}>")
    if open_group is not None:
        parts.append(closer)
    return sanitize("\n".join(parts))
