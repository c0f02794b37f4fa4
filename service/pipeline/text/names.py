"""The shape of an author line: who signs an article, in the many ways French news sites print it.

A byline is a short line made of a few kinds of parts and nothing else: person names ("Jean
Dupont", "J.-P.D."), an agency ("AFP", "Keystone-ATS", "Belga"), the newsroom ("La rédaction",
"Rédaction Sport"), a role or a place ("envoyé spécial à Kiev", "correspondante à Genève",
"(à Lyon)", "journaliste au service économie"), joined by "et", "avec", commas, slashes or
parentheses, and often glued to its dates ("Par X Publié le … Mis à jour le …",
"Le 27/04/2025 | Par X", "Jean Dupont · 5 févr. 2025"). The dates are cut off first, then every
remaining part must be one of those kinds, and one at least must name someone.
"""

from __future__ import annotations

import re

__all__ = ["INITIALS", "author_part", "is_author_line", "looks_like_names", "signed"]

INITIALS = re.compile(r"^(?:[A-ZÀ-Ý]\.(?:-?[A-ZÀ-Ý]\.)*\s*){1,2}$")
"""Initials standing for an author ("I.L.", "J.-P.D.")."""

_MAX_NAME_WORDS = 7
# A first name and a surname at least: one capitalised word is a menu entry, not a person.
_MIN_NAME_WORDS = 2
# Words a list of person names is made of besides the names: "Anne Roy et Paul Marc", "de".
_JOINERS = frozenset(
    {"et", "and", "de", "du", "des", "la", "le", "van", "von", "der", "d", "&", "ben", "ould"}
)
_SPLIT = re.compile(r"[\s,]+")
# An elided joiner before a name: "l'Ouest", "d'Ornano".
_ELIDED_NAME = re.compile(r"^[ld]['\u2019][A-ZÀ-Ý]")
_AUTHOR_PREFIX = re.compile(
    # A short word must be followed by a capitalised name ("De nouvelles règles" is no byline).
    r"^(?:(?i:par|by|avec|de)\s*:?\s+(?:[A-ZÀ-Ý]|(?i:la rédaction|l'équipe|la redaction))"
    r"|(?i:rédigé par|écrit par|publié par|un texte de|texte|(?:propos )?recueillis? par|recueillie par"
    r"|reportage|article rédigé par|une (?:chronique|tribune|carte blanche|analyse) de|la rédaction"
    r"|(?:de|par) (?:notre|nos) (?:envoyée?s? spécia|correspondant)\w*|envoyée?s? spécia\w+"
    r"|correspondance)\b\s*\S)"
)
# "Inès Faure - Actu24", "Sophie Lambert | Rédactrice web": the name, then the site or the role.
_AUTHOR_TAIL = re.compile(r"\s+[-|\u2013\u2014]\s+.*$")
_MAX_AUTHOR_CHARS = 160
# After its dates are cut, a byline holds at most this many words.
_MAX_AUTHOR_WORDS = 16

# Dates and times a byline is glued to, with the words that announce them; cut before reading it.
_MONTH = (
    r"(?:janvier|janv|février|fevrier|févr|fevr|fév|mars|avril|avr|mai|juin|juillet|juil|août|aout"
    r"|septembre|sept|octobre|oct|novembre|nov|décembre|decembre|déc|dec)\.?"
)
_WEEKDAY = r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)"
_CLOCK = r"\d{1,2}\s?[h:]\s?\d{2}(?:\s?(?:min|mn))?"
_DAY = (
    rf"(?:{_WEEKDAY}\s+)?(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|\d{{1,2}}(?:er)?\s+{_MONTH}(?:\s+\d{{4}})?"
    r"|\d{4}-\d{2}-\d{2}(?:T[\d:.]+Z?)?|aujourd'hui|aujourd\u2019hui|hier|avant-hier)"
)
_STAMP_WORD = (
    r"(?:publié|publiée|posté|postée|mis à jour|mise à jour|modifié|modifiée|actualisé|actualisée|màj|maj"
    r"|updated|published|dernière mise à jour|édité|éditée)"
)
_STAMP = re.compile(
    rf"(?:\b{_STAMP_WORD}\b\s*:?\s*)?(?:\b(?:le|du|depuis)\s+)?\b{_DAY}(?:\s*(?:à|a|,|-|\u2013)?\s*(?:{_CLOCK}))?"
    rf"|(?:\b{_STAMP_WORD}\b\s*:?\s*)?(?:\b(?:à|a)\s+)?\b(?:{_CLOCK})"
    rf"|(?:\b{_STAMP_WORD}\b\s*:?\s*)?\bil y a \d+\s*\w+"
    rf"|\b{_STAMP_WORD}\b(?:\s+(?:le|à|par)\b)?(?=\s|$|:)",
    re.IGNORECASE,
)
# A scraper glues a byline to its date: "Par Jeanne MartinPublié le …".
_GLUED_STAMP = re.compile(r"(?<=[a-zà-ÿ.\d])(?=(?:Publié|Mis à jour|Mise à jour|Modifié|Actualisé|Le \d))")
# Lead words of an author line: "Par", "Par :", "Auteur :", "Texte :", "Un article de",
# "Par notre envoyé spécial".
_LEAD = re.compile(
    r"^(?:par|de)\s+(?:nos?|notre)\s+"
    r"(?=envoyé|envoyée|envoyés|envoyées|correspondant|correspondante|correspondants|correspondantes|journaliste|reporter)"
    r"|^(?:par|by|de|avec|auteurs?|autrices?|signé|texte|textes|journaliste|rédigé par|écrit par|publié par"
    r"|(?:un |une )?(?:article|texte|chronique|tribune|carte blanche|analyse|billet|éditorial"
    r"|reportage|enquête|dossier|portrait|récit|entretien|interview|sujet|vidéo|réalisation)(?:\s+(?:réalisée?|rédigée?|menée?|signée?))?"
    r"\s+(?:de|d'|par)|(?:propos |entretien )?recueillis? par|recueillie par|article rédigé par)\s*:?\s+"
    # "Sujet radio: X", "Adaptation web: X", "Réalisation : X": a credit's label, then who.
    r"|^(?:sujet|adaptation|réalisation|édition|coordination|montage|traduction|reportage|enquête|interview"
    r"|journaliste|rédaction|auteure?s?)(?:\s+[\w-]+)?\s*:\s*",
    re.IGNORECASE,
)
# Where a byline's parts meet: "et", "avec", commas, slashes, parentheses, bullets, spaced dashes,
# "Photos :", and before a role or a place ("Jean Dupont Rédacteur en chef", "Tremblay à Québec").
_PART_SPLIT = re.compile(
    r"\s*(?:[,;()\[\]|•·/]|\s[-\u2013\u2014]\s|\s(?:et|and|&|avec)\s)\s*"
    r"|\s*\b(?:photos?|vidéos?|images?|illustrations?|infographies?|montage|texte)\s*:\s*"
    r"|\s+(?=(?:journaliste|rédacteur|rédactrice|reporter|correspondant|correspondante|envoyé|envoyée"
    r"|chroniqueur|chroniqueuse|éditorialiste|photographe|stagiaire|cheffe?)\b)"
    r"|\s+(?=(?:à|au|aux|en)\s+[A-ZÀ-Ý])"
    r"|(?:(?<=spécial)|(?<=spéciale)|(?<=spéciaux)|(?<=spéciales)|(?<=correspondant)|(?<=correspondante))"
    r"\s+(?=[A-ZÀ-Ý])",
    re.IGNORECASE,
)
_CORRESPONDENT = re.compile(
    r"^(?:par|de)\s+(?:nos?|notre)\s+(?:envoyée?s? spécia|correspondant)", re.IGNORECASE
)
_AGENCIES = frozenset(
    {
        "afp", "reuters", "ap", "ansa", "dpa", "belga", "ats", "keystone", "keystone-ats", "sda", "aps",
        "map", "efe", "apa", "relaxnews", "agence", "agences", "qmi", "pc", "anp", "xinhua", "apanews", "aip",
        "acp", "ani", "tap", "upi", "awp", "nxp", "ats-sda", "afp-services", "etx", "sputnik", "anadolu",
    }
)  # fmt: skip
# Parts that say how or where the author works: "envoyé spécial à Kiev", "texte", "à Lyon".
_ROLE = re.compile(
    r"^(?:(?:notre |nos |son |sa )?(?:envoyée?s? spécia(?:l|le|ux|les)|correspondante?s?|correspondance"
    r"|journaliste|rédacteur|rédactrice|reporter|chroniqueur|chroniqueuse|éditorialiste|photographe"
    r"|stagiaire|cheffe?|responsable|service|pigiste|collaborat\w+|intern[ea]|avec la collaboration de"
    r"|initiative de journalisme local"
    # A column's author is often signed with a trade: "Paul Verdier, économiste des transports".
    r"|économiste|politologue|historien|historienne|sociologue|philosophe|avocate?|professeure?|chercheur"
    r"|chercheuse|médecin|ancien|ancienne|députée?|sénateur|sénatrice|maire|présidente?|directeur|directrice"
    r"|fondateur|fondatrice|consultante?|écrivaine?|enseignante?|spécialiste|experte?|membre|militante?)\b.*"
    r"|(?:texte|textes|photos?|vidéos?|images?|illustrations?|infographies?|montage|édition|traduction)"
    r"|(?:à|au|aux|en|depuis)\s+[A-ZÀ-Ý][\w'\u2019.-]*(?:[\s-][A-ZÀ-Ý][\w'\u2019.-]*){0,3}"
    r"|(?:l'|la |le )?(?:presse canadienne|agence [A-ZÀ-Ýa-zà-ÿ-]+(?: [A-ZÀ-Ý][\w-]*)*))$",
    re.IGNORECASE,
)
_NEWSROOM = re.compile(
    r"^(?:(?:la |l['\u2019])?(?:rédaction|redaction|équipe)"
    r"(?:\s+(?:de |d['\u2019]|du |des )?[\w'\u2019.-]+){0,4}"
    r"|(?:le |la |l['\u2019])?(?:desk|service) [\w'\u2019.-]+(?:\s+[\w'\u2019.-]+){0,2})$",
    re.IGNORECASE,
)
# Lower-case initials of a desk signature, "jdu/ats", "ats/nxp".
_DESK_INITIALS = re.compile(r"^[a-zà-ÿ]{2,4}$")
# A single capitalised word, a place next to a name ("Jean Dupont, Genève").
_PLACE = re.compile(r"^[A-ZÀ-Ý][\w'\u2019.-]+(?:[\s-][A-ZÀ-Ý][\w'\u2019.-]+){0,2}$")
_WORDS = re.compile(r"[^\W_]+(?:['\u2019.-][^\W_]+)*\.?")


def looks_like_names(text: str) -> bool:
    """Only capitalised words and name joiners, at most seven words ("Chloé Moreau", "A. Roy et P. Marc")."""
    words = [w for w in _SPLIT.split(text.strip()) if w]
    if not words or len(words) > _MAX_NAME_WORDS or not any(c.isalpha() for c in text):
        return False
    capitalised = [w for w in words if w[:1].isupper()]
    if len(capitalised) < _MIN_NAME_WORDS or any(any(c.isdigit() for c in w) for w in words):
        return False
    return all(w[:1].isupper() or w.lower().strip(".") in _JOINERS or _ELIDED_NAME.match(w) for w in words)


def signed(text: str) -> bool:
    """Whether a line opens as a signature does ("Par …", "Recueilli par …", "La rédaction …")."""
    return _AUTHOR_PREFIX.match(text) is not None


def _kind(part: str) -> str | None:
    """What one part of a byline is: "who" (a person, agency or newsroom), "role", or None."""
    folded = part.casefold().strip(" .")
    if folded in _AGENCIES or (folded.startswith("l'") and folded[2:] in _AGENCIES):
        return "who"
    if INITIALS.match(part) or looks_like_names(part) or _NEWSROOM.match(part):
        return "who"
    if _ROLE.match(part):
        return "role"
    if _DESK_INITIALS.match(part) or _PLACE.match(part):
        return "role"
    return None


def author_part(text: str) -> str | None:
    """The author of a byline line, its dates cut off ("Par X Publié le …" gives "Par X"); None if no byline.

    Every part of what is left must be a name, an agency, the newsroom, a role or a place, and
    one must name someone; a subheading, a kicker or a sentence fails.
    """
    if len(text) > _MAX_AUTHOR_CHARS or not any(c.isalpha() for c in text):
        return None
    for chunk in re.split(r"\s+[|•·]\s+|\s+[\u2013\u2014-]\s+(?=\d)", _GLUED_STAMP.sub(" ", text)):
        residue = _STAMP.sub(" ", chunk)
        residue = " ".join(residue.split()).strip(" ,;:|•·-\u2013\u2014")
        if residue.startswith("(") and residue.endswith(")") and "(" not in residue[1:]:
            residue = residue[1:-1].strip()  # "(AFP)", "(ats/nxp)": the signature, not its brackets
        if residue and _is_author(residue):
            return residue if INITIALS.match(residue) else residue.rstrip(".")
    return None


def _is_author(residue: str) -> bool:
    if len(_WORDS.findall(residue)) > _MAX_AUTHOR_WORDS or any(c in residue for c in '!?«»"'):
        return False
    body = _LEAD.sub("", residue, count=1)
    parts = [p for p in _PART_SPLIT.split(body) if p and p.strip(" .:-")]
    if not parts:
        return False
    kinds = [_kind(_LEAD.sub("", p.strip(" .:-\u2013\u2014"), count=1).strip(" .:")) for p in parts]
    if any(kind is None for kind in kinds):
        return False
    # "De notre correspondante à Genève" signs without a name; otherwise someone must be named.
    return "who" in kinds or _CORRESPONDENT.match(residue) is not None


def is_author_line(text: str) -> bool:
    """Whether a short line signs an article: "Par …", "avec …", names, initials, agencies, roles, dates."""
    if len(text) > _MAX_AUTHOR_CHARS:
        return False
    name = _AUTHOR_TAIL.sub("", text).strip(" .")
    if _AUTHOR_PREFIX.match(text) or INITIALS.match(text.strip()) or looks_like_names(name):
        return True
    return author_part(text) is not None
