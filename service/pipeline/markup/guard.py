"""A linear pre-check of a page's shape, so that no page makes the parser or the walk stall.

HTML5 parsers are quadratic in nesting depth and in the attributes of one element, and an
unclosed formatting element (`<b>`, `<font>`) is re-created by the parser in every later
paragraph, so a small page can expand into millions of nodes. This pass counts, in one linear
scan, the depth, the attributes, and an upper bound of the nodes the parser will build; a page
beyond the bounds is refused before it is parsed. It only counts; the parser reads. Browsers
bound the same things (Blink stops nesting the DOM at 512 levels), and no real news page comes
near these limits (a heavy page has a few thousand elements).
"""

from __future__ import annotations

import re

from service.errors import MarkupTooComplexError

__all__ = ["MAX_ATTRIBUTES", "MAX_DEPTH", "MAX_NODES", "check_shape"]

MAX_DEPTH = 512
"""Deepest element nesting accepted, counted as open tags minus close tags."""
MAX_ATTRIBUTES = 256
"""Most attributes accepted on one element."""
MAX_NODES = 60_000
"""Most elements the parser may build, re-created formatting elements included."""

# Formatting elements the parser re-opens in each new block while they are left unclosed; it
# keeps at most three identical ones (the "Noah's Ark" clause of the HTML5 parsing algorithm).
_FORMATTING = frozenset(
    {"a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u"}
)
_NOAH = 3
# Start tags that close an open `<p>`, and with it every element left open inside it.
_CLOSES_P = frozenset(
    {"p", "div", "ul", "ol", "dl", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "section",
     "article", "aside", "header", "footer", "nav", "main", "figure", "form", "pre", "hr", "address",
     "details", "fieldset", "menu", "center"}
)  # fmt: skip

# Elements that never hold content, or that the parser closes by itself when a sibling opens
# (an unclosed `<p>` or `<li>` does not nest the next one): they do not deepen the tree.
_FLAT = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
     "wbr", "param", "keygen", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th",
     "thead", "tbody", "tfoot", "rt", "rp", "html", "head", "body"}
)  # fmt: skip
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]{0,40})([^<>]*)>")
_ATTRIBUTE = re.compile(r"""[^\s"'=<>/]+\s*=""")
# Raw-text elements hold no tags: their content is skipped whole.
_RAW_END = {name: re.compile(f"</{name}", re.IGNORECASE) for name in ("script", "style", "textarea", "title")}


class _Scan:
    """Running counts of one page's tags, in document order."""

    def __init__(self) -> None:
        self.depth = 0
        self.paragraph_at: int | None = None  # the depth an open `<p>` started at
        self.nodes = 0
        # Unclosed formatting elements: how many of each (name, attributes), in opening order.
        self.open_formatting: dict[tuple[str, str], int] = {}
        self.order: dict[str, list[tuple[str, str]]] = {}
        self.reopened = 0  # elements the parser re-creates in each new block: sum of min(count, 3)

    def end(self, name: str) -> None:
        """An end tag."""
        if name == "p" and self.paragraph_at is not None:
            self.depth, self.paragraph_at = self.paragraph_at, None
        elif name not in _FLAT:
            self.depth = max(self.depth - 1, 0)
        keys = self.order.get(name)
        if keys:
            key = keys.pop()
            self.reopened -= 1 if self.open_formatting[key] <= _NOAH else 0
            self.open_formatting[key] -= 1

    def start(self, name: str, rest: str, position: int) -> None:
        """A start tag with its attribute text; raises when a bound is passed."""
        if len(rest) > MAX_ATTRIBUTES and len(_ATTRIBUTE.findall(rest)) > MAX_ATTRIBUTES:
            msg = f"an element <{name}> has more than {MAX_ATTRIBUTES} attributes"
            raise MarkupTooComplexError(msg)
        self.nodes += 1 + self.reopened
        if self.nodes > MAX_NODES:
            msg = f"the page makes more than {MAX_NODES} elements (unclosed formatting tags included)"
            raise MarkupTooComplexError(msg)
        if name in _CLOSES_P and self.paragraph_at is not None:
            self.depth, self.paragraph_at = self.paragraph_at, None
        if name == "p":
            self.paragraph_at = self.depth
        if name in _FORMATTING:
            key = (name, " ".join(rest.split()))
            self.open_formatting[key] = self.open_formatting.get(key, 0) + 1
            self.reopened += 1 if self.open_formatting[key] <= _NOAH else 0
            self.order.setdefault(name, []).append(key)
        if name in _FLAT or rest.rstrip().endswith("/"):
            return
        self.depth += 1
        if self.depth > MAX_DEPTH:
            msg = f"the page nests elements more than {MAX_DEPTH} deep (at character {position})"
            raise MarkupTooComplexError(msg)


def check_shape(page: str) -> None:
    """Raise MarkupTooComplexError when the page is deeper, wider or larger than allowed."""
    scan = _Scan()
    at = 0
    while True:
        match = _TAG.search(page, at)
        if match is None:
            return
        closing, name = match.group(1), match.group(2).lower()
        at = match.end()
        if closing:
            scan.end(name)
            continue
        scan.start(name, match.group(3), match.start())
        raw_end = _RAW_END.get(name)
        if raw_end is not None:
            # Raw-text elements hold no tags: their content is skipped whole.
            end = raw_end.search(page, at)
            at = end.start() if end is not None else len(page)
