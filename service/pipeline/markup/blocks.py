"""HTML to blocks: the page's visible text, one line per block, with what the markup says about each.

The walk is iterative (no recursion, so a deeply nested page cannot overflow the stack) and
linear in the number of nodes: one pass sums the text and link text under every element, a
second pass emits the blocks. The markup only adds evidence; the text cleaner still decides.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

from service.errors import TextTooLargeError
from service.model import RemovalReason

__all__ = ["Block", "BlockKind", "parse_blocks"]

BlockKind = str
"""`p`, `h1`..`h6`, `li`, `quote`, `row`, `pre` or `text` (loose text in a container)."""

# Never visible text: dropped without a trace, as a reader never sees them.
_INVISIBLE = frozenset(
    {"script", "style", "noscript", "template", "svg", "math", "head", "iframe", "object", "embed",
     "video", "audio", "canvas", "select", "option", "textarea", "input", "img", "picture", "source",
     "map", "meta", "link", "title", "base", "dialog"}
)  # fmt: skip
# Elements that start and end a line of text.
_BLOCK = frozenset(
    {"p", "div", "section", "article", "main", "header", "footer", "nav", "aside", "h1", "h2", "h3",
     "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "pre", "table", "tr", "thead",
     "tbody", "tfoot", "figure", "figcaption", "form", "fieldset", "address", "hr", "caption",
     "details", "summary", "center", "legend", "menu", "body", "html", "hgroup", "search"}
)  # fmt: skip
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_CELLS = frozenset({"td", "th"})
_CELL_SEPARATOR = " | "
# Inline markup kept in `body_html`; everything else inline is unwrapped to its text.
INLINE_KEPT = frozenset({"a", "em", "strong", "i", "b", "sup", "sub", "q", "cite", "abbr", "mark", "s", "u"})

# Class and id words that name page furniture, by the reason they give. A word matches a
# class/id token exactly, or as a prefix when it ends with "*".
_HINTS: tuple[tuple[RemovalReason, tuple[str, ...]], ...] = (
    ("share", ("share*", "sharing", "social*", "partage*", "addthis", "sociaux")),
    ("embed", ("twitter-tweet", "instagram-media", "tiktok-embed", "fb-post", "embed*", "kg-embed-card")),
    ("related", ("related*", "readmore", "read-more", "lire-aussi", "lireaussi", "voir-aussi",
                 "see-also", "recommend*", "outbrain*", "taboola*", "most-read", "mostread",
                 "plus-lus", "populaire*", "popular*", "trending", "teaser*", "kg-bookmark-card",
                 "more-stories", "aussi", "sur-le-meme-sujet")),
    ("engagement", ("newsletter*", "subscri*", "abonn*", "signup", "sign-up", "inscription*",
                    "comment*", "commentaire*", "disqus", "paywall*", "cookie*", "consent*", "gdpr",
                    "rgpd", "kg-signup-card", "kg-cta-card", "cta", "reactions", "poll", "sondage*")),
    ("advertisement", ("ad", "ads", "adsbygoogle", "ad-slot", "adslot", "advert*", "pub", "publicite*",
                       "sponsor*", "promo*", "dfp", "gpt-ad", "div-gpt-ad", "banner-ad", "ad-container",
                       "partenaire*", "native-ad")),
    ("caption", ("caption*", "legende*", "wp-caption-text", "credit*", "copyright*", "photo-credit*")),
    ("author_bio", ("author-bio", "bio", "author-box", "about-author", "auteur-bio", "author-info",
                    "biographie")),
    ("navigation", ("breadcrumb*", "ariane", "fil-ariane", "menu*", "navbar", "nav", "navigation",
                    "sidebar*", "skip-link*", "pagination", "tags", "tag-list", "keywords", "mots-cles",
                    "footer*", "site-header", "masthead", "toolbar")),
)  # fmt: skip
_HINT_ATTRIBUTES = frozenset({"class", "id", "role", "data-component"})
_TOKEN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# A furniture container is small or made of links; a hinted container holding a lot of prose
# is the article itself ("article has-share-bar") and is not removed on its name.
_HINT_MAX_WORDS = 120
_HINT_LINK_DENSITY = 0.5
_AVG_WORD_CHARS = 6
# A list whose items are nearly all links, with this many items at least, is a link widget.
_LINK_LIST_ITEMS = 3
_LINK_LIST_DENSITY = 0.8
_SPACES = re.compile(r"\s+")
# Inline markup nested deeper than this is printed as its text: every line re-opens the open
# inline elements, so an unbounded stack would make unclosed `<b>` runs quadratic.
_MAX_INLINE = 8
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
# WordPress shortcodes that wrap a caption or an embed in the post's text.
_SHORTCODE = re.compile(r"\[(/?)(caption|embed|gallery|video|audio|playlist|wp_caption)\b[^\]]{0,2000}\]")
_SHORTCODE_REASONS: dict[str, RemovalReason] = {
    "caption": "caption",
    "wp_caption": "caption",
    "embed": "embed",
    "gallery": "caption",
    "video": "embed",
    "audio": "embed",
    "playlist": "embed",
}


@dataclass(slots=True)
class Block:
    """One line of the page's text and the structural evidence about it."""

    text: str
    kind: BlockKind
    markup: str
    """The line's inline HTML (escaped text, `a`/`em`/`strong`...), for `body_html`."""
    reason: RemovalReason | None
    """Set when the markup alone says the line is furniture (a `nav`, a `figcaption`, an ad slot)."""
    group: int
    """Blocks of one list, table or quotation share a group (rows are rebuilt together)."""
    ordered: bool = False
    link_density: float = 0.0
    in_article: bool = False


@dataclass(slots=True)
class _Totals:
    chars: int = 0
    link_chars: int = 0


@dataclass(slots=True)
class _Context:
    """What the ancestors of the current node say."""

    reason: RemovalReason | None = None
    in_article: bool = False
    in_link: bool = False
    in_pre: bool = False
    group: int = 0
    ordered: bool = False
    kind: BlockKind = "text"


@dataclass(slots=True)
class _Line:
    text: list[str] = field(default_factory=list)
    markup: list[str] = field(default_factory=list)
    link_chars: int = 0
    open_inline: list[tuple[str, str]] = field(default_factory=list)
    """Inline elements open at this point: (tag, the opening markup it printed)."""


def _tokens(attrs: dict[str, str | None]) -> list[str]:
    joined = " ".join(v for k, v in attrs.items() if k in _HINT_ATTRIBUTES and v)
    return _TOKEN.findall(joined.lower()) if joined else []


def _hint(tokens: list[str]) -> RemovalReason | None:
    if not tokens:
        return None
    for reason, words in _HINTS:
        for word in words:
            if word.endswith("*"):
                stem = word[:-1]
                if any(token.startswith(stem) for token in tokens):
                    return reason
            elif word in tokens:
                return reason
    return None


def _hidden(attrs: dict[str, str | None]) -> bool:
    if not attrs:
        return False
    if "hidden" in attrs or attrs.get("aria-hidden") == "true":
        return True
    style = attrs.get("style")
    return bool(style) and _HIDDEN_STYLE.search(style or "") is not None


def _children(node: LexborNode) -> Iterator[LexborNode]:
    child = node.child
    while child is not None:
        yield child
        child = child.next


def _sum_text(root: LexborNode) -> dict[int, _Totals]:
    """Visible characters and link characters under every element, in one post-order pass."""
    totals: dict[int, _Totals] = {}
    stack: list[tuple[LexborNode, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if node.is_text_node:
            continue
        tag = node.tag
        if tag in _INVISIBLE or tag == "-comment" or _hidden(node.attributes):
            continue
        if not done:
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(list(_children(node))))
            continue
        mine = _Totals()
        for child in _children(node):
            if child.is_text_node:
                mine.chars += len((child.text_content or "").strip())
            else:
                sub = totals.get(child.mem_id)
                if sub is not None:
                    mine.chars += sub.chars
                    mine.link_chars += sub.link_chars
        if tag == "a":
            mine.link_chars = mine.chars
        totals[node.mem_id] = mine
    return totals


class _Builder:
    """Accumulates inline text into lines and emits blocks."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.line = _Line()
        self.shortcode: RemovalReason | None = None

    def flush(self, ctx: _Context, kind: BlockKind | None = None) -> None:
        line = self.line
        text = _SPACES.sub(" ", "".join(line.text)).strip()
        reopen = list(line.open_inline)
        if text:
            markup = "".join(line.markup) + "".join(_closer(opener) for _, opener in reversed(reopen))
            reason = self.shortcode or ctx.reason
            self.blocks.append(
                Block(
                    text=text,
                    kind=kind or ctx.kind,
                    markup=markup.strip(),
                    reason=reason,
                    group=ctx.group,
                    ordered=ctx.ordered,
                    link_density=min(1.0, line.link_chars / max(len(text), 1)),
                    in_article=ctx.in_article,
                )
            )
        self.line = _Line(open_inline=reopen, markup=[opener for _, opener in reopen])

    def text(self, raw: str, ctx: _Context) -> None:
        if not raw:
            return
        if "[" in raw and _SHORTCODE.search(raw):
            self._shortcodes(raw, ctx)
            return
        self._append(raw, ctx)

    def _append(self, raw: str, ctx: _Context) -> None:
        if ctx.in_pre and "\n" in raw:
            first, *rest = raw.split("\n")
            self._append_one(first, ctx)
            for part in rest:
                self.flush(ctx, "pre")
                self._append_one(part, ctx)
            return
        self._append_one(raw, ctx)

    def _append_one(self, raw: str, ctx: _Context) -> None:
        self.line.text.append(raw)
        self.line.markup.append(html_lib.escape(raw, quote=False))
        if ctx.in_link:
            self.line.link_chars += len(raw.strip())

    def _shortcodes(self, raw: str, ctx: _Context) -> None:
        at = 0
        for match in _SHORTCODE.finditer(raw):
            self._append(raw[at : match.start()], ctx)
            self.flush(ctx)
            closing, name = match.group(1), match.group(2)
            self.shortcode = None if closing else _SHORTCODE_REASONS[name]
            at = match.end()
        self._append(raw[at:], ctx)


def _element_context(
    node: LexborNode, parent: _Context, totals: dict[int, _Totals], groups: list[int]
) -> _Context:
    """The context of `node` given its parent's."""
    tag = node.tag
    ctx = _Context(
        reason=parent.reason,
        in_article=parent.in_article,
        in_link=parent.in_link or tag == "a",
        in_pre=parent.in_pre or tag == "pre",
        group=parent.group,
        ordered=parent.ordered,
        kind=parent.kind,
    )
    attrs = node.attributes
    if tag in {"article", "main"} or attrs.get("itemprop") == "articleBody":
        ctx.in_article = True
    if tag in {"ul", "ol", "table", "blockquote", "dl"}:
        groups[0] += 1
        ctx.group = groups[0]
        ctx.ordered = tag == "ol"
    if tag in _HEADINGS:
        ctx.kind = tag
    elif tag == "li" or tag in {"dt", "dd"}:
        ctx.kind = "li"
    elif tag == "tr":
        ctx.kind = "row"
    elif tag == "blockquote":
        ctx.kind = "quote"
    elif tag == "pre":
        ctx.kind = "pre"
    elif tag == "p":
        ctx.kind = "p" if parent.kind in {"text", "p"} else parent.kind
    if ctx.reason is None:
        ctx.reason = _structural_reason(node, attrs, parent, totals)
    return ctx


def _structural_reason(  # noqa: PLR0911  (one verdict per kind of evidence, in order of strength)
    node: LexborNode, attrs: dict[str, str | None], parent: _Context, totals: dict[int, _Totals]
) -> RemovalReason | None:
    tag = node.tag
    sums = totals.get(node.mem_id, _Totals())
    words = sums.chars / _AVG_WORD_CHARS
    link_density = sums.link_chars / max(sums.chars, 1)
    small = words <= _HINT_MAX_WORDS or link_density >= _HINT_LINK_DENSITY
    if tag in {"figcaption", "caption"} and parent.kind != "row":
        return "caption" if tag == "figcaption" else None
    if tag == "nav" and small:
        return "navigation"
    if tag in {"form", "button"}:
        return "engagement" if tag == "form" else "navigation"
    if tag in {"header", "footer"} and not parent.in_article and small:
        return "navigation"
    hinted = _hint(_tokens(attrs))
    if tag == "aside" and small:
        return hinted or "related"
    if hinted is not None and (small or hinted == "embed"):
        return hinted
    if tag in {"ul", "ol"} and link_density >= _LINK_LIST_DENSITY:
        items = sum(1 for child in _children(node) if child.tag == "li")
        if items >= _LINK_LIST_ITEMS:
            return "related" if parent.in_article else "navigation"
    return None


def parse_blocks(page: str, max_text_chars: int) -> tuple[list[Block], LexborHTMLParser]:
    """The blocks of an HTML page or fragment, in document order, and the parsed tree.

    A page whose visible text is over `max_text_chars` is refused after the counting pass,
    before the costlier walk that builds the blocks.
    """
    tree = LexborHTMLParser(page)
    root = tree.body or tree.root
    blocks: list[Block] = []
    if root is None:
        return blocks, tree
    totals = _sum_text(root)
    visible = totals[root.mem_id].chars if root.mem_id in totals else 0
    if visible > max_text_chars:
        msg = f"the page's visible text has {visible} characters; the limit is {max_text_chars}"
        raise TextTooLargeError(msg)
    builder = _Builder()
    groups = [0]
    # Each frame: node, its context, whether its children were pushed (then it is closing),
    # and whether it printed inline markup that its closing must close.
    stack: list[tuple[LexborNode, _Context, bool, bool]] = [(root, _Context(), False, False)]
    while stack:
        node, ctx, closing, printed = stack.pop()
        if node.is_text_node:
            builder.text(node.text_content or "", ctx)
            continue
        tag = node.tag or ""
        if closing:
            _close(builder, tag, ctx, printed)
            continue
        if node.mem_id not in totals:  # invisible, a comment, or hidden: never read
            continue
        own = _element_context(node, ctx, totals, groups)
        printed = _open(builder, node, tag, ctx)
        stack.append((node, own, True, printed))
        stack.extend((child, own, False, False) for child in reversed(list(_children(node))))
    builder.flush(_Context())
    return builder.blocks, tree


def _closer(opener: str) -> str:
    """The closing tag for an opening one ("" for an unwrapped element)."""
    if not opener:
        return ""
    return f"</{opener[1:].split(' ', 1)[0].rstrip('>')}>"


def _open(builder: _Builder, node: LexborNode, tag: str, parent: _Context) -> bool:
    """Start an element: a block ends the line before it; kept inline markup is printed (True)."""
    if tag in _BLOCK or tag == "br":
        builder.flush(parent)
    elif tag in _CELLS:
        if builder.line.text:
            builder.line.text.append(_CELL_SEPARATOR)
            builder.line.markup.append(_CELL_SEPARATOR)
    elif tag in INLINE_KEPT and len(builder.line.open_inline) < _MAX_INLINE:
        opener = f"<{tag}>"
        if tag == "a":
            href = (node.attributes.get("href") or "").strip()
            # Only web links survive: javascript:, data: and relative URLs are unwrapped.
            web = href.lower().startswith(("http://", "https://"))
            opener = f'<a href="{html_lib.escape(href)}">' if web else ""
        builder.line.markup.append(opener)
        builder.line.open_inline.append((tag, opener))
        return True
    return False


def _close(builder: _Builder, tag: str, ctx: _Context, printed: bool) -> None:
    """End an element: a block ends its line; the inline markup it printed is closed."""
    if tag in _BLOCK:
        builder.flush(ctx)
    elif printed and builder.line.open_inline:
        _, opener = builder.line.open_inline.pop()
        builder.line.markup.append(_closer(opener))
