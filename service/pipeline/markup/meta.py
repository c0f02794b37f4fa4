"""Page metadata from the markup: JSON-LD first, then Open Graph and meta tags, `<time>`, `<title>`."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser

__all__ = ["PageMeta", "page_meta"]

# JSON-LD types that describe the article itself (schema.org Article and its news subtypes).
_ARTICLE_TYPES = frozenset(
    {"newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
     "reviewnewsarticle", "backgroundnewsarticle", "askpublicnewsarticle", "blogposting",
     "liveblogposting", "scholarlyarticle", "techarticle", "report", "socialmediaposting"}
)  # fmt: skip
_MAX_JSON_LD_CHARS = 1_000_000
_MAX_JSON_NODES = 10_000
_MAX_FIELD_CHARS = 500
# `<title>` often ends with the site's name after one of these separators.
_TITLE_SEPARATORS = re.compile(r"\s+[|\u2013\u2014-]\s+|\s+::\s+|\s+/\s+")
_SPACES = re.compile(r"\s+")
_DATE_CHARS = len("2025-02-05")
_PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "datepublished", "date", "pubdate",
    "publishdate", "dc.date", "dc.date.issued", "dcterms.created", "sailthru.date", "parsely-pub-date",
)  # fmt: skip
_UPDATED_META = (
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "dcterms.modified",
    "last-modified",
)
_AUTHOR_META = ("author", "article:author", "dc.creator", "sailthru.author", "parsely-author")


@dataclass(slots=True)
class PageMeta:
    """What the page's markup says about the article, each value with where it came from."""

    title: str | None = None
    byline: str | None = None
    published: str | None = None
    updated: str | None = None
    credits: list[str] = field(default_factory=list)
    article_body: str | None = None
    """The longest JSON-LD `articleBody`: the article's text when the page renders it by script."""
    sources: dict[str, str] = field(default_factory=dict)

    def put(self, name: str, value: str | None, source: str) -> None:
        """Set `name` to `value` from `source` unless a better source already set it."""
        if not value or getattr(self, name) is not None:
            return
        setattr(self, name, value)
        self.sources[name] = source


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    text = _SPACES.sub(" ", value).strip()
    return text[:_MAX_FIELD_CHARS] or None


def iso_date(value: str | None) -> str | None:
    """The value as an ISO 8601 date-time (or date) when it is one, else None."""
    text = _clean(value)
    if text is None:
        return None
    candidate = text.replace(" ", "T", 1) if re.match(r"^\d{4}-\d{2}-\d{2} \d", text) else text
    candidate = candidate.replace("Z", "+00:00") if candidate.endswith("Z") else candidate
    try:
        parsed = dt.datetime.fromisoformat(candidate)
    except ValueError:
        try:
            return dt.date.fromisoformat(candidate[:_DATE_CHARS]).isoformat()
        except ValueError:
            return None
    return parsed.isoformat()


def _nodes(data: object) -> Iterator[dict[str, object]]:
    """Every JSON object in a JSON-LD document, breadth first, bounded."""
    queue: list[object] = [data]
    seen = 0
    while queue and seen < _MAX_JSON_NODES:
        node = queue.pop(0)
        seen += 1
        if isinstance(node, dict):
            yield node
            queue.extend(v for v in node.values() if isinstance(v, dict | list))
        elif isinstance(node, list):
            queue.extend(node)


def _types(node: dict[str, object]) -> set[str]:
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.lower() for k in kinds if isinstance(k, str)}


def _names(value: object) -> list[str]:
    """Person or organisation names from a JSON-LD `author`-like value."""
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items:
        name = _clean(item.get("name")) if isinstance(item, dict) else _clean(item)
        if name and name not in names:
            names.append(name)
    return names


def _from_json_ld(tree: LexborHTMLParser, meta: PageMeta) -> None:
    for script in tree.css('script[type="application/ld+json"]'):
        raw = script.text(deep=True)
        if not raw or len(raw) > _MAX_JSON_LD_CHARS:
            continue
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):
            continue
        for node in _nodes(data):
            if not _types(node) & _ARTICLE_TYPES:
                continue
            meta.put("title", _clean(node.get("headline")), "json-ld")
            authors = _names(node.get("author"))
            meta.put("byline", ", ".join(authors) if authors else None, "json-ld")
            meta.put("published", iso_date(_text(node.get("datePublished"))), "json-ld")
            meta.put("updated", iso_date(_text(node.get("dateModified"))), "json-ld")
            body = node.get("articleBody")
            if isinstance(body, str) and len(body) > len(meta.article_body or ""):
                meta.article_body = body
            for image in _nodes(node.get("image")):
                for key in ("creditText", "copyrightHolder", "author", "copyrightNotice"):
                    for name in _names(image.get(key)):
                        if name not in meta.credits:
                            meta.credits.append(name)
                            meta.sources.setdefault("credits", "json-ld")


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _meta_values(tree: LexborHTMLParser) -> dict[str, str]:
    """Content of `<meta>` tags by lower-cased name, property or itemprop (the first one wins)."""
    values: dict[str, str] = {}
    for node in tree.css("meta[content]"):
        attrs = node.attributes
        content = attrs.get("content")
        for key in ("property", "name", "itemprop"):
            name = attrs.get(key)
            if name and content:
                values.setdefault(name.strip().lower(), content)
    return values


def _site_stripped(title: str, site: str | None) -> str:
    """`<title>` without the site's name: the longest part between separators."""
    parts = [p.strip() for p in _TITLE_SEPARATORS.split(title) if p.strip()]
    if site:
        parts = [p for p in parts if p.lower() != site.lower()] or parts
    return max(parts, key=len) if parts else title


def _without_site(title: str | None, site: str | None, h1: str | None) -> str | None:
    """A stated headline without the site's name that many sites append ("… - Le Quotidien").

    Only the page's own evidence cuts: the `<h1>` is the part before a separator, or the last
    part is `og:site_name`. A headline with a dash of its own ("Nantes - Lens : 0-2") stays whole.
    """
    if title is None:
        return None
    rest = title[len(h1) :] if h1 and title.startswith(h1) else ""
    # The site's name is the shorter part: a kicker h1 ("Rennes") does not cut a headline.
    if h1 and len(rest) < len(h1) and _TITLE_SEPARATORS.match(rest):
        return h1
    parts = _TITLE_SEPARATORS.split(title)
    if site and len(parts) > 1 and parts[-1].strip().lower() == site.strip().lower():
        return title[: title.rfind(parts[-1])].rstrip(" |-/:\u2013\u2014") or title
    return title


def page_meta(tree: LexborHTMLParser) -> PageMeta:
    """The article's metadata as the page's markup states it; JSON-LD is preferred when present."""
    meta = PageMeta()
    values = _meta_values(tree)
    h1_node = tree.css_first("h1")
    h1 = _clean(h1_node.text(deep=True)) if h1_node is not None else None
    site = _clean(values.get("og:site_name"))
    _from_json_ld(tree, meta)
    if meta.title is not None:
        meta.title = _without_site(meta.title, site, h1)
    stated = _clean(values.get("og:title") or values.get("twitter:title"))
    meta.put("title", _without_site(stated, site, h1), "open-graph")
    meta.put("title", h1, "h1")
    title_tag = tree.css_first("title")
    if title_tag is not None:
        raw_title = _clean(title_tag.text(deep=True))
        if raw_title:
            meta.put("title", _site_stripped(raw_title, values.get("og:site_name")), "title-tag")
    for name in _AUTHOR_META:
        value = _clean(values.get(name))
        if value and not value.startswith("http"):
            meta.put("byline", value, "meta")
            break
    for name in _PUBLISHED_META:
        meta.put("published", iso_date(values.get(name)), "meta")
    for name in _UPDATED_META:
        meta.put("updated", iso_date(values.get(name)), "meta")
    time_node = tree.css_first("article time[datetime]") or tree.css_first("time[datetime]")
    if time_node is not None:
        meta.put("published", iso_date(time_node.attributes.get("datetime")), "time")
    return meta
