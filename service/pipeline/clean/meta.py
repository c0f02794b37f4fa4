"""Metadata found in removed lines: byline, source, publication date, photo credits."""

from __future__ import annotations

import re
from collections.abc import Sequence

from service.model import Metadata
from service.pipeline.clean.rules import RuleSet
from service.pipeline.text.names import INITIALS, author_part, is_author_line

__all__ = ["MetaLine", "extract_metadata", "parse_published"]

MetaLine = tuple[str, str, int]
"""A removed line as (reason, text, how many lines below the article's last paragraph it is)."""

_CREDIT_REACH = 3
# Date sanity bounds: a two-digit year is 20xx; anything outside these is not a date.
_CENTURY = 100
_TWO_DIGIT_YEARS_FROM = 2000
_MONTHS_IN_YEAR = 12
_MAX_DAY = 31
_YEARS = (1900, 2100)
_HOURS = 24
_MINUTES = 60
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")

_MONTHS = {
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
    "juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
    "décembre": 12, "decembre": 12,
    # Abbreviations sites print ("5 févr. 2025", "13 oct. 2024").
    "janv": 1, "févr": 2, "fevr": 2, "fév": 2, "avr": 4, "juil": 7, "sept": 9, "oct": 10,
    "nov": 11, "déc": 12, "dec": 12,
}  # fmt: skip
_TIME = r"(?:\s*(?:à|a|-|,|•|·|\||\u2013)?\s*(?P<h>\d{1,2})\s*[h:]\s*(?P<mi>\d{2}))?"
_NUMERIC = re.compile(r"\b(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4}|\d{2})\b" + _TIME)
_WORDY = re.compile(
    r"\b(?P<d>\d{1,2})(?:er)?\s+(?P<m>"
    + "|".join(sorted(_MONTHS, key=len, reverse=True))
    + r")\.?\s+(?P<y>\d{4})\b"
    + _TIME,
    re.IGNORECASE,
)
_ISO = re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?:[T ](?P<h>\d{2}):(?P<mi>\d{2}))?")
_PUBLISHED = re.compile(r"publi|posté|créé|published", re.IGNORECASE)
_UPDATED = re.compile(r"mis[e]? à jour|modifi|actualis|màj|updated", re.IGNORECASE)
_BYLINE_CUT = re.compile(
    r"\s*(?:[,|\u2013-]\s*|\s)(?:publié|publiée|mis à jour|mise à jour|modifié|actualisé|le \d).*$"
    r"|\s+[-|\u2013\u2014]\s+(?:\d{1,2}[/.]\d{1,2}[/.]\d{2,4}|(?:rédact|journalist|correspond|envoy|chef)\w*).*$",
    re.IGNORECASE,
)
_AGENCY = re.compile(
    r"\b(?:afp|reuters|ap|ansa|dpa|belga|ats|keystone-ats|keystone|aps|map|efe|apa|relaxnews|agences?)\b",
    re.IGNORECASE,
)
_PARTS = re.compile(r"\s+\|\s+")
# "Par Jeanne MartinPublié le …": a byline glued to its date by a scraper.
_GLUED_DATE = re.compile(r"(?<=[a-zà-ÿ])(?=Publié|Mis à jour|Mise à jour|Modifié|Actualisé)")
_SOURCE = re.compile(r"^sources?\s*:\s*(?P<source>.+?)\s*$", re.IGNORECASE)


def parse_published(text: str) -> str | None:
    """Return the first date in `text` as ISO 8601 (date, or date and time), or None."""
    for pattern in (_NUMERIC, _WORDY, _ISO):
        match = pattern.search(text)
        if match is None:
            continue
        month_text = match.group("m")
        month = _MONTHS.get(month_text.lower()) if not month_text.isdigit() else int(month_text)
        year = int(match.group("y"))
        if year < _CENTURY:
            year += _TWO_DIGIT_YEARS_FROM
        day = int(match.group("d"))
        if month is None or not (
            1 <= month <= _MONTHS_IN_YEAR and 1 <= day <= _MAX_DAY and _YEARS[0] <= year <= _YEARS[1]
        ):
            continue
        hour, minute = match.group("h"), match.group("mi")
        if hour is not None and minute is not None and int(hour) < _HOURS and int(minute) < _MINUTES:
            return f"{year:04d}-{month:02d}-{day:02d}T{int(hour):02d}:{int(minute):02d}:00"
        return f"{year:04d}-{month:02d}-{day:02d}"
    return None


def _byline(text: str) -> str | None:
    # "Le 08/09/2024 à 20:10 | Par Samir Hadjadj": the author may follow the date.
    for part in _PARTS.split(text):
        name = _author(part)
        if name is not None:
            return name
    return None


def _author(text: str) -> str | None:
    found = author_part(text)
    if found is not None:
        return found
    name = _BYLINE_CUT.sub("", _GLUED_DATE.sub(" ", text)).strip(" ,;|-\u2013")
    if not INITIALS.match(name):
        name = name.rstrip(".")  # "Élodie Barbier." loses its full stop; "I.L." keeps its dots
    if not name or name.lower().startswith(("publié", "mis à jour", "mise à jour", "le ")):
        return None
    if _AGENCY.search(name) or is_author_line(name):
        return name
    return None


def extract_metadata(lines: Sequence[MetaLine], rules: RuleSet) -> Metadata:
    """Collect byline, source, published date and photo credits from removed lines."""
    byline: str | None = None
    source: str | None = None
    published: str | None = None
    updated: str | None = None
    credits: list[str] = []
    for reason, text, below in lines:
        if reason == "byline":
            match = _SOURCE.match(text)
            if match is not None:
                source = source or match.group("source")
                continue
            # Below the article, dates belong to the lists of other articles.
            date = None if below else parse_published(text)
            update = _UPDATED.search(text)
            publish = _PUBLISHED.search(text)
            if date is not None and update is not None and publish is not None:
                # "Publié le … Mis à jour le …" and "Mis à jour le … Publié le …": each date
                # follows its own word.
                if publish.start() < update.start():
                    first, second = text[: update.start()], text[update.start() :]
                    published = published or parse_published(first) or date
                    updated = updated or parse_published(second)
                else:
                    first, second = text[: publish.start()], text[publish.start() :]
                    updated = updated or parse_published(first)
                    published = published or parse_published(second) or date
            elif date is not None and update is not None:
                updated = updated or date
            elif date is not None:
                published = published or date
            byline = byline or _byline(text)
        elif reason == "caption" and below <= _CREDIT_REACH:
            credit = rules.credit(text)
            # A dated "© Le Journal 2024" under the article is the site's copyright, not a photo's.
            if credit is not None and credit not in credits and not (below and _YEAR.search(credit)):
                credits.append(credit)
    return Metadata(
        byline=byline, source=source, published=published or updated, updated=updated, credits=credits
    )
