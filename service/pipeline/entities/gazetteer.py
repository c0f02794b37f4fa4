"""Spans found without the model: known names (media, clubs, companies) and institutions with their place."""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from typing import Any

from service.data import DATA_DIR
from service.pipeline.entities.candidate import Candidate
from service.pipeline.text.fold import fold

__all__ = [
    "GAZETTEER_FILE",
    "Gazetteer",
    "association_spans",
    "club_spans",
    "event_spans",
    "institution_spans",
    "known_spans",
    "load_gazetteer",
    "natural_place_name",
    "product_spans",
    "street_spans",
    "work_spans",
]

GAZETTEER_FILE = DATA_DIR / "entity_gazetteer.json"
_FIRST_WORD = re.compile(r"\w+")
_DIGIT_AFTER = re.compile(r"\s+\d")

# Institution heads, lower case; each may be capitalized when it opens a sentence.
_HEADS = (
    r"tribunal(?:\s+(?:judiciaire|correctionnel|administratif|de\s+commerce|de\s+grande\s+instance|"
    r"d['\u2019]instance|pour\s+enfants|de\s+police))?",
    r"cour\s+d['\u2019]appel",
    r"cour\s+administrative\s+d['\u2019]appel",
    r"cour\s+d['\u2019]assises",
    r"cour\s+(?:suprême|constitutionnelle)",
    r"parquet(?:\s+national\s+(?:financier|antiterroriste))?",
    "CHU",
    "CHR",
    "CHRU",
    r"centre\s+hospitalier(?:\s+(?:universitaire|régional|intercommunal|départemental))?",
    r"groupe\s+hospitalier",
    "hôpital",
    "clinique",
    r"préfecture(?:\s+de\s+police|\s+maritime)?",
    r"sous-préfecture",
    "rectorat",
    "académie",
    r"ministère",
    r"conseil\s+(?:départemental|régional|municipal|général|communautaire|communal)",
    "mairie",
    r"hôtel\s+de\s+ville",
    "musée",
    "université",
    r"lycée(?:\s+(?:agricole|professionnel|technique|général|privé|public|français|hôtelier))?",
    r"collège(?:\s+(?:privé|public))?",
    r"école(?:\s+(?:primaire|maternelle|élémentaire|privée|publique|nationale|normale|supérieure))?",
    "cégep",
    r"brigade\s+de\s+recherches?",
    r"section\s+de\s+recherches?",
    r"maison\s+d['\u2019]arrêt",
    r"centre\s+pénitentiaire",
    r"centre\s+de\s+détention",
    r"palais\s+de\s+justice",
    "SDIS",
    "Samu",
    "aquarium",
    "zoo",
    "Ville",
    "institut",
    "théâtre",
    "opéra",
    "bibliothèque",
    "médiathèque",
    r"police(?:\s+(?:judiciaire|nationale|municipale))?",
    r"gendarmerie(?:\s+nationale)?",
    r"(?:groupement|brigade|compagnie)\s+de\s+gendarmerie",
    r"commissariat(?:\s+central)?",
    r"agence\s+régionale\s+de\s+santé",
    r"caisse\s+primaire\s+d['\u2019]assurance\s+maladie",
    r"service\s+départemental\s+d['\u2019]incendie\s+et\s+de\s+secours",
    r"office\s+de\s+tourisme",
    r"peloton\s+(?:motorisé|d['\u2019]autoroute|de\s+gendarmerie(?:\s+de\s+haute\s+montagne)?)",
    r"brigade\s+des\s+sapeurs-pompiers",
    r"bataillon\s+des\s+marins-pompiers",
)
# Heads that may be followed directly by a proper name ("hôpital Necker", "lycée Victor-Hugo").
_NAMED_HEADS = frozenset(
    fold(h)
    for h in (
        "hôpital",
        "clinique",
        "musée",
        "université",
        "lycée",
        "collège",
        "école",
        "institut",
        "théâtre",
        "cégep",
        "aquarium",
        "zoo",
    )
)
_UPPER = "A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒ"
_CAP_WORD = rf"[{_UPPER}][\w'\u2019]*(?:-[\w'\u2019]+)*"
_LINK = r"(?:de\s+la|de\s+l['\u2019]|du|des|de|d['\u2019]|la|le|les|sur|sous|en|lès|et|aux?)"
# A proper name: capitalized words, numbers, and small linking words between capitalized words.
_NAME = rf"{_CAP_WORD}(?:(?:\s+|-){_LINK}(?:\s+|-|(?<=['\u2019])){_CAP_WORD}|\s+{_CAP_WORD}|\s+\d+\b)*"
_CONNECTOR = r"\s+(?:de\s+la\s+|de\s+l['\u2019]|du\s+|des\s+|de\s+|d['\u2019])"


def _head_pattern(head: str) -> str:
    # A lower-case head may open a sentence capitalized.
    first = head[0]
    return f"[{first}{first.upper()}]{head[1:]}" if first.islower() else head


# Adjectives that end an institution's name after its capitalized word ("ministère de
# l'Éducation nationale", "ministère de la Transition écologique").
_INSTITUTION_ADJECTIVES = (
    r"nationale|national|nationaux|écologique|solidaire|solidaires|publique|public|publics|supérieur|"
    r"numérique|civile|civil|militaire|territoriale|régional|régionale|européenne|européen|"
    r"étrangères|étranger"
)
# A ministry may carry its country's adjective ("ministère soudanais de l'Irrigation") and join
# two portfolios ("... de l'Irrigation et de l'Eau").
_COUNTRY_ADJECTIVE = (
    r"(?:\s+[a-zéèêëïîôûç]+(?:ais|aise|ain|aine|ien|ienne|ois|oise|an|ane|ique|ais|in|ine|e))?"
)
_INSTITUTION = re.compile(
    rf"(?<![\w\-])(?P<head>{'|'.join(_head_pattern(h) for h in _HEADS)})"
    rf"(?:(?<=inistère){_COUNTRY_ADJECTIVE})?"
    rf"(?:{_CONNECTOR}(?P<place>{_NAME})|\s+(?P<name>{_NAME}))"
    rf"(?:(?<=\w)(?:\s+(?:{_INSTITUTION_ADJECTIVES})\b))?"
    rf"(?P<second>\s+et{_CONNECTOR}{_NAME}(?:\s+(?:{_INSTITUTION_ADJECTIVES})\b)?)?"
)
# "un lycée de Dijon", "dans une clinique de Lyon": some institution of the town, not a named one.
_INDEFINITE_BEFORE = re.compile(
    r"(?:^|[\s(])(?:[Uu]n|[Uu]ne|d['\u2019]un|d['\u2019]une|[Cc]haque|[Pp]lusieurs)\s+$"
)


# Products whose model words follow them; not codes in capitals ("TGV", "PS5") nor RER lines,
# which a station or a region follows ("TER Occitanie").
_EXTENDED_PRODUCT = re.compile(r"^(?!RER\b)(?![A-Z0-9]+$)[\w'\u2019 ]+$")


@dataclass(frozen=True, slots=True)
class Gazetteer:
    """Known names by first word, the folded names of French places, and the départements and régions."""

    by_first_word: dict[str, tuple[tuple[str, str, str], ...]]
    places: frozenset[str]
    known: frozenset[str]
    media: frozenset[str] = frozenset()
    products: re.Pattern[str] | None = None
    areas: tuple[str, ...] = ()
    entry_of: dict[str, str] = field(default_factory=dict)
    """Each folded form -> the name of its entry, so "Parti socialiste" and "PS" are one entity."""
    clubs: frozenset[str] = frozenset()
    """Folded forms of the sports clubs and teams."""


def load_gazetteer() -> Gazetteer:
    """Read service/data/entity_gazetteer.json (the entities stage does it once per process)."""
    raw: dict[str, Any] = json.loads(GAZETTEER_FILE.read_text(encoding="utf-8"))
    forms: dict[str, tuple[str, str]] = {}
    media: set[str] = set()
    makes: set[str] = set()
    clubs: set[str] = set()
    for entry in raw["names"]:
        for form in (entry["name"], *entry["aliases"]):
            forms.setdefault(form, (entry["label"], entry["name"]))
            if entry["kind"] == "media":
                media.add(fold(form))
            elif entry["kind"] == "club":
                clubs.add(fold(form))
            elif entry["kind"] == "make" or (entry["kind"] == "product" and _EXTENDED_PRODUCT.match(form)):
                # A product runs on through its model words like a make: "Xbox Series X", "iPhone 12".
                makes.add(form)
    index: dict[str, list[tuple[str, str, str]]] = {}
    # Longest first, so "Paris Saint-Germain" is tried before "Paris SG" and "PSG".
    for form in sorted(forms, key=len, reverse=True):
        first = _FIRST_WORD.search(form)
        if first is not None:
            label, name = forms[form]
            index.setdefault(first.group(), []).append((form, label, name))
    places = raw["places"]
    folded = {fold(p) for key in ("communes", "departements", "regions") for p in places[key]}
    return Gazetteer(
        by_first_word={k: tuple(v) for k, v in index.items()},
        places=frozenset(folded),
        known=frozenset(fold(f) for f in forms),
        media=frozenset(media),
        products=_product_pattern(makes),
        areas=tuple(sorted({p for key in ("departements", "regions") for p in places[key]})),
        entry_of={fold(f): name for f, (_label, name) in forms.items()},
        clubs=frozenset(clubs),
    )


# Networks whose regional editions are named after them: "France 3 Hauts-de-France", "BFM Lyon".
_NETWORKS = frozenset({"France 3", "France Bleu", "BFM", "France 3 Régions"})
_EDITION_WORD = r"(?!(?:Le|La|Les|L|Un|Une|Des|Du|De|Et|En|Au|Aux|Ce|Cette|Selon|Sur)\b)[A-ZÀ-Ý][\w\-]*"
_EDITION = re.compile(
    rf"(?:[ \t]+{_EDITION_WORD})(?:[ \t]+(?:(?:de|du|des)[ \t]+|d['\u2019])?{_EDITION_WORD})*(?![\w\-])"
)
# "ex-PSG", "ex-UMP": a former club or party is still named after the prefix.
_EX_PREFIX = re.compile(r"(?<![\w\-])[Ee]x-$")


_GLUED_WORD = re.compile(r"[A-Z][A-ZÀ-Ý][a-zà-ÿ]")


def _glued_sentence(text: str, start: int, end: int) -> bool:
    """True for a name in capitals glued to the next sentence by a scraper: "par 6MEDIASLe jour"."""
    return text[end - 1].isupper() and text[end : end + 1].isupper() and text[end + 1 : end + 2].islower()


def _standalone(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    if before == "-" and _EX_PREFIX.search(text, max(0, start - 4), start):
        before = " "
    if after.isalnum() and end - start > 1 and _glued_sentence(text, start, end):
        after = " "
    return not (before.isalnum() or before in "-_" or after.isalnum() or after in "_-")


def known_spans(text: str, gazetteer: Gazetteer) -> list[Candidate]:
    """Occurrences of the gazetteer's names in `text` (exact case), longest first, non-overlapping."""
    found: list[Candidate] = []
    last_end = 0
    # "6MEDIASLe": a name in capitals glued to the next sentence's first word, by where it starts.
    glued = {}
    for m in _GLUED_WORD.finditer(text):
        start = m.start()
        while start and text[start - 1].isalnum():
            start -= 1
        glued[start] = text[start : m.start() + 1]
    for match in _FIRST_WORD.finditer(text):
        start = match.start()
        if start < last_end:
            continue
        forms = gazetteer.by_first_word.get(match.group())
        if forms is None and start in glued:
            forms = gazetteer.by_first_word.get(glued[start])
        for form, label, _name in forms or ():
            end = start + len(form)
            if not text.startswith(form, start) or not _standalone(text, start, end):
                continue
            if not form[-1].isdigit() and _DIGIT_AFTER.match(text, end):
                # "RN 7" is a road, "France 2" is listed whole.
                continue
            if form in _NETWORKS and (edition := _EDITION.match(text, end)) is not None:
                # "France Bleu Pays de Savoie", "France 3 Via Stella": the regional edition is the name.
                end = edition.end()
            found.append(Candidate(start, end, text[start:end], label, ruler=True))
            last_end = end
            break
    return found


def institution_spans(text: str) -> list[Candidate]:
    """Institutions with their place or name: "tribunal correctionnel de Nanterre", "hôpital Necker"."""
    found = []
    for match in _INSTITUTION.finditer(text):
        head = match.group("head")
        if match.group("name") is not None and fold(head).split()[0] not in _NAMED_HEADS:
            continue
        start, end = match.span()
        if match.group("second") and not fold(head).startswith("ministere"):
            # Only ministries join two portfolios; "tribunal de Nanterre et de Paris" are two courts.
            end = match.start("second")
        if _INDEFINITE_BEFORE.search(text, max(0, start - 12), start):
            # The town is the only name in "un lycée de Dijon".
            if match.group("place") is not None:
                found.append(
                    Candidate(
                        match.start("place"), match.end("place"), match.group("place"), "LOC", ruler=True
                    )
                )
            continue
        found.append(Candidate(start, end, text[start:end], "ORG", ruler=True))
    return found


# A body of citizens named by its kind: "l'association Robin des Bois", "le collectif Nous Toutes",
# "la fondation Abbé Pierre", "l'ONG Sea Watch", "l'association « Droit au logement »". The name
# after the kind is the organisation, whatever the model took it for (a person, a place).
_ASSOCIATION = re.compile(
    rf"(?<![\w\-])(?:[Ll]['\u2019]\s?(?:association|ONG)|[Ll]e\s+collectif|[Ll]a\s+fondation)\s+"
    rf"(?:(?P<name>{_NAME})(?![\w\-])|[«“\"]\s*(?P<quoted>[{_UPPER}][^«»“”\"\n]{{0,60}}?)\s*[»”\"])"
)


def association_spans(text: str) -> list[Candidate]:
    """Associations, collectives, foundations and NGOs named right after their kind, as ORG."""
    found = []
    for match in _ASSOCIATION.finditer(text):
        group = "name" if match.group("name") is not None else "quoted"
        start, end = match.span(group)
        found.append(Candidate(start, end, text[start:end], "ORG", ruler=True))
    return found


# Streets and roads are places: "rue Lamartine", "place du Palais de Justice", "autoroute A6".
_STREET = re.compile(
    rf"(?<![\w\-])(?:[Rr]ue|[Aa]venue|[Bb]oulevard|[Pp]lace|[Qq]uai|[Aa]llée|[Ii]mpasse|[Cc]ours|[Cc]hemin|"
    rf"[Pp]romenade|[Rr]oute)(?!\s+(?:RN|N|A|D)\s?\d)(?:{_CONNECTOR}{_NAME}|\s+{_NAME})"
)
# Natural places and their kinds, in lower case only ("Canal+" is a channel, "Détroit" a town, "Delta"
# an airline): seas, mountains, islands, straits, rivers ("mer de Glace", "mont Ventoux", "massif
# des Écrins", "île de Ré", "îles Canaries", "détroit d'Ormuz", "canal de Suez", "col du
# Tourmalet", "océan Indien", "désert de Gobi", "gorges du Verdon", "étang de Berre"); an island
# or a mountain also when capitalized ("Île Maurice", "Mont Saint-Michel").
_NATURAL = (
    r"mer|océan|monts?|[Mm]ont|massif|[Îî]les?|[Ii]les?|presqu['\u2019]île|archipel|détroit|canal|col|"
    r"désert|fleuve|rivière|estuaire|delta|glacier|gorges|étang|dune|lagune|atoll|port"
)
# Landmarks and natural places named after their kind are places too: "gare d'Austerlitz", "pont de
# l'Alma", "lac Léman", "baie de Somme", "parc national des Cévennes". "Stade", "château" and
# "vallée" only in lower case: "Stade rennais" is a club, "Château Margaux" a wine, "École de la
# Vallée de Joux" a school.
_LANDMARK = re.compile(
    rf"(?<![\w\-])(?P<head>[Gg]are|[Pp]ont|[Ll]ac|[Pp]arc(?:\s+(?:national|naturel|régional|départemental))*|"
    rf"[Bb]aie|[Cc]omté|[Jj]ardin|[Cc]athédrale|[Bb]asilique|[Éé]glise|[Aa]bbaye|[Ff]orêt|[Gg]olfe|"
    rf"[Vv]iaduc|[Pp]arvis|tunnel|vallée|château|stade|{_NATURAL})(?:{_CONNECTOR}(?P<place>{_NAME})|\s+{_NAME})"
)
# A natural place "de" a name ("île de Java", "désert du Sahara"): where the model found that name,
# the name alone is the place; where it found nothing ("mer de Glace"), the whole is. A name right
# after the kind the model took for an organisation or a work is one ("son canal Sport News").
_NATURAL_OF = re.compile(rf"(?:{_NATURAL})(?P<of>{_CONNECTOR})?(?(of)|\s+)")


def natural_place_name(text: str) -> tuple[int, bool] | None:
    """Where the name starts in a natural place's span, and whether "de" comes before it, else None."""
    match = _NATURAL_OF.match(text)
    return (match.end(), match.group("of") is not None) if match is not None else None


# "la gare d'Agen", "le stade d'Amiens", "le port de Gênes": the town's station, stadium or
# harbour, and the town is the name.
_TOWN_LANDMARKS = frozenset({"gare", "stade", "port"})
# "RN 164" is written with a space as often as without; "N 7" or "A 6" alone may be other things.
_ROAD = re.compile(r"\b(?:autoroute\s+(?P<a>A\s?\d{1,3})|(?P<n>(?:A|N|RN)\d{1,4}|RN\s\d{1,4}))\b")
# A road by its kind and number, written out: "la route 138", "la nationale 7" (a pattern that opens
# on its words, so that the scan skips ahead; the word boundary before is checked apart).
_ROAD_WORDS = re.compile(
    r"(?:route|Route|nationale|Nationale|départementale|Départementale|autoroute|Autoroute)\s\d{1,4}(?![\w,.]\d)\b"
)
# A capitalized word (not an article) just before a road number: "Audi A3".
_MAKE_BEFORE = re.compile(r"(?<![\w'\u2019])(?!(?:La|Le|Les|L)\b)[A-ZÀ-Ý][\w\-]+\s+$")


def _word_before(text: str, start: int) -> bool:
    """True when `start` is inside a word ("autoroute 7" in "l'Xautoroute 7", "Jfestival")."""
    return start > 0 and (text[start - 1].isalnum() or text[start - 1] in "-_")


def street_spans(text: str, places: frozenset[str] = frozenset()) -> list[Candidate]:
    """Streets, roads and landmarks with their name: "rue Lamartine", "autoroute A1", "gare du Nord".

    `places` are folded town names: a station or stadium "de" a town is left to the town's name.
    """
    found = [Candidate(m.start(), m.end(), m.group(), "LOC", ruler=True) for m in _STREET.finditer(text)]
    for m in _LANDMARK.finditer(text):
        if _INDEFINITE_BEFORE.search(text, max(0, m.start() - 12), m.start()):
            # "une gare de Lyon" is some station of the town: the model's town is the name.
            continue
        place = m.group("place")
        plain_de = place is not None and fold(text[m.end("head") : m.start("place")]).strip() in {"de", "d'"}
        if fold(m.group("head")) in _TOWN_LANDMARKS and plain_de and fold(place) in places:
            # Not "gare du Nord": an article before the name makes it no town.
            continue
        found.append(Candidate(m.start(), m.end(), m.group(), "LOC", ruler=True))
    found += [
        Candidate(m.start(), m.end(), m.group(), "LOC", ruler=True)
        for m in _ROAD_WORDS.finditer(text)
        if not _word_before(text, m.start())
    ]
    for m in _ROAD.finditer(text):
        group = "a" if m.group("a") else "n"
        if group == "n" and _MAKE_BEFORE.search(text, max(0, m.start() - 24), m.start()):
            # "Audi A3", "Peugeot N1": a model after its make, not a road.
            continue
        found.append(Candidate(m.start(group), m.end(group), m.group(group), "LOC", ruler=True))
    return found


# A match between two towns names their clubs: "le match Troyes-Lorient", "face à Monaco".
_SPORT_WORDS = re.compile(
    r"\b(?:match|matchs|rencontre|championnat|Ligue\s+[12]|Top\s+14|Pro\s+[AB]|Betclic|victoire|défaite|"
    r"but|buts|essai|panier|entraîneur|barrage|derby|score|finale|demi-finale)\b"
)
_TOWN_PAIR = re.compile(rf"(?<![\w\-])({_CAP_WORD})-({_CAP_WORD})(?=\s*(?:\(|$|[\s,.;:!?]))")
# A national side named by its country after a match verb: "la victoire contre la Belgique (1-0)",
# "face à l'Espagne". Only in a sports story, and only for countries.
_AGAINST_SIDE = re.compile(
    rf"\b(?:contre|face\s+à|battu(?:e|s)?\s+par|affronte|affrontera|affronter|éliminée?s?\s+par)\s+"
    rf"(?:la|le|les|l['\u2019])\s*({_CAP_WORD})"
)
# A town's club named as such, in any story: "le club de football de Dijon", "le club de Brest".
_CLUB_OF = re.compile(
    rf"\bclub\s+(?:de\s+(?:football|foot|rugby|basket|basket-ball|handball|hockey|volley|volley-ball)\s+)?"
    rf"(?:de|d['\u2019])\s*({_CAP_WORD})"
)
# A match named in the sentence, so that "une agression contre l'Ukraine" in a story that happens
# to say "rencontre" and "but" stays the country: "la victoire contre la Belgique (1-0)".
_MATCH_CUE = re.compile(
    r"\b(?:match|matchs|victoire|défaite|finale|demi-finale|quart|huitième|éliminatoires|qualification|"
    r"Mondial|Euro|Coupe|score|nul)\b|\b\d{1,2}\s*-\s*\d{1,2}\b"
)
_SENTENCE_END = re.compile(r"[.!?\n]")


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence around text[start:end], cut at the nearest stops."""
    before = max((m.end() for m in _SENTENCE_END.finditer(text, max(0, start - 300), start)), default=0)
    after = _SENTENCE_END.search(text, end)
    return text[before : after.start() if after is not None else len(text)]


# A fixture written with a hyphen, one side a known club: "AC Milan-Juventus", "Inter Milan-Naples".
_FIXTURE = re.compile(rf"(?<![\w\-])(?:{_CAP_WORD}[ \t]+)?{_CAP_WORD}")
_AGAINST = re.compile(
    rf"\b(?:contre|face\s+à|battu\s+par|reçoit|recevait|recevra|affronte|affrontera|joue|jouera|jouait|"
    rf"bat|battra|battre|élimine|éliminé\s+par|dominé\s+par|points?\s+(?:d['\u2019]avance\s+sur|de|d['\u2019]))"
    rf"\s*({_CAP_WORD})"
)
# Enough sports vocabulary that a town's name can stand for its club.
_MIN_SPORT_WORDS = 2


_TEAM = rf"{_CAP_WORD}(?:\s+(?:{_CAP_WORD}|[A-Z]{{2,4}}|de|du|des|d['\u2019]{_CAP_WORD}))*"
# Score lines and tables name teams: "Nantes - Lens : 0-2", "Raja CA 2-1 Wydad AC", "3. Lens 40 pts".
_SCORE_LINES = (
    re.compile(
        rf"^[ \t]*(?P<a>{_TEAM})\s+[-\u2013]\s+(?P<b>{_TEAM})\s*:?\s*\d+\s*[-\u2013]\s*\d+", re.MULTILINE
    ),
    re.compile(rf"^[ \t]*(?P<a>{_TEAM})\s+\d+\s*[-\u2013]\s*\d+\s+(?P<b>{_TEAM})[ \t]*$", re.MULTILINE),
    re.compile(rf"^[ \t]*(?P<a>{_TEAM})\s+\d+\s+[-\u2013]\s+(?P<b>{_TEAM})\s+\d+[ \t]*$", re.MULTILINE),
    re.compile(rf"^[ \t]*\d+\.\s+(?P<a>{_TEAM})\s+\d+\s+pts?\b", re.MULTILINE),
)
# Players: scorers with their minute ("Sissoko (34e)", "7e Mäkinen") and line-ups after "Team :".
_SCORER = re.compile(
    rf"(?P<p>{_CAP_WORD}(?:\s+{_CAP_WORD})?)\s*\(?\d{{1,3}}e\b|\b\d{{1,3}}e\s+(?P<q>{_CAP_WORD})"
)
# A line-up is names, dashes, commas and parentheses with minutes: no running prose.
_PROSE_WORD = re.compile(r"(?<![\w\-])[a-zàâçéèêëîïôûùüÿœ]{3,}\b")
_LINEUP = re.compile(rf"^[ \t]*(?P<team>{_TEAM})\s*:\s*(?P<list>[^\n]+)$", re.MULTILINE)
_LINEUP_NAME = re.compile(rf"{_CAP_WORD}(?:\s+{_CAP_WORD})?")
# A line-up lists at least this many players.
_MIN_LINEUP = 5


def _team_spans(text: str) -> list[Candidate]:
    found = []
    for pattern in _SCORE_LINES:
        for match in pattern.finditer(text):
            found += [
                Candidate(match.start(g), match.end(g), match.group(g), "ORG", ruler=True)
                for g in ("a", "b")
                if g in pattern.groupindex and match.group(g)
            ]
    return found


def _player_spans(text: str) -> list[Candidate]:
    found = []
    for match in _SCORER.finditer(text):
        group = "p" if match.group("p") else "q"
        found.append(Candidate(match.start(group), match.end(group), match.group(group), "PER", ruler=True))
    for match in _LINEUP.finditer(text):
        names = list(_LINEUP_NAME.finditer(text, match.start("list"), match.end("list")))
        if len(names) >= _MIN_LINEUP and not _PROSE_WORD.search(match.group("list")):
            team = Candidate(match.start("team"), match.end("team"), match.group("team"), "ORG", ruler=True)
            found.append(team)
            found += [Candidate(n.start(), n.end(), n.group(), "PER", ruler=True) for n in names]
    return found


def _fixture_spans(text: str, clubs: frozenset[str], places: frozenset[str]) -> list[Candidate]:
    """Both sides of a hyphenated fixture when one is a known club ("Inter Milan-Naples")."""
    found = []
    for match in _FIXTURE.finditer(text):
        for dash in (i for i, ch in enumerate(match.group(), match.start()) if ch == "-"):
            left, right = fold(text[match.start() : dash]), fold(text[dash + 1 : match.end()])
            # The other side may be a club the gazetteer does not list: one capitalized word.
            if (left in clubs and (right in clubs or right in places or " " not in right)) or (
                right in clubs and (left in places or " " not in left)
            ):
                found += [
                    Candidate(match.start(), dash, text[match.start() : dash], "ORG", ruler=True),
                    Candidate(dash + 1, match.end(), text[dash + 1 : match.end()], "ORG", ruler=True),
                ]
                break
    return found


@functools.lru_cache(maxsize=4)
def _places_with(places: frozenset[str], others: frozenset[str]) -> frozenset[str]:
    """The union of two place sets, made once per pair rather than for every article."""
    return places | others


def club_spans(
    text: str,
    gazetteer: Gazetteer,
    other_places: frozenset[str] = frozenset(),
    countries: frozenset[str] = frozenset(),
) -> list[Candidate]:
    """Towns standing for their club in a sports story ("Troyes-Lorient", "contre Monaco") as ORG.

    `other_places` adds folded place names beyond the French communes (Monaco, foreign cities);
    `countries` (folded) stand for their national side after a match verb ("contre la Belgique").
    """
    places = _places_with(gazetteer.places, other_places)
    clubs_of = [
        Candidate(m.start(1), m.end(1), m.group(1), "ORG", ruler=True)
        for m in _CLUB_OF.finditer(text)
        if fold(m.group(1)) in places
    ]
    if len(_SPORT_WORDS.findall(text)) < _MIN_SPORT_WORDS:
        return clubs_of
    found = clubs_of
    for match in _TOWN_PAIR.finditer(text):
        if fold(match.group(1)) in places and fold(match.group(2)) in places:
            found += [
                Candidate(match.start(g), match.end(g), match.group(g), "ORG", ruler=True) for g in (1, 2)
            ]
    found += _fixture_spans(text, gazetteer.clubs, places)
    for match in _AGAINST.finditer(text):
        if fold(match.group(1)) in places:
            found.append(Candidate(match.start(1), match.end(1), match.group(1), "ORG", ruler=True))
    for match in _AGAINST_SIDE.finditer(text):
        if fold(match.group(1)) in countries and _MATCH_CUE.search(
            _sentence(text, match.start(), match.end())
        ):
            found.append(Candidate(match.start(1), match.end(1), match.group(1), "ORG", ruler=True))
    found += _team_spans(text) + _player_spans(text)
    # Longest first, then body order: a team named in a score line and a line-up counts once.
    found.sort(key=lambda c: (c.start, c.start - c.end))
    return [c for i, c in enumerate(found) if not any(o.start < c.end and c.start < o.end for o in found[:i])]


# A title in quotation marks after the word for a work: l'émission « On n'est pas couché ».
_WORK_CUE = (
    r"(?:émission|série|film|téléfilm|documentaire|livre|ouvrage|roman|album|chanson|titre|tube|pièce|"
    r"spectacle|programme|magazine|jeu|festival|blog|exposition|opéra|comédie|feuilleton|saga|podcast|"
    r"morceau|single|clip|disque|sitcom|websérie|long-métrage|court-métrage|essai|recueil|biographie|projet|"
    r"autobiographie|bande\s+dessinée|manga|tableau|show|télé-crochet|tournage|plateau)"
)
# People named by their part in a work, right before it: « l'animatrice de "Danse avec les stars" ».
_ROLE_CUE = (
    r"(?:animateur|animatrice|présentateur|présentatrice|chroniqueur|chroniqueuse|candidat|candidate|"
    r"interprète|acteur|actrice|réalisateur|réalisatrice|héros|héroïne|créateur|créatrice|star|vedette|"
    r"auteur|auteure|autrice|compositeur|compositrice|producteur|productrice|jury|gagnant|gagnante)"
)
_TITLE = r"(?:«\s*|\"|“)(?P<title>[A-ZÀ-Ý0-9][^\"«»“”\n]{0,80}?)(?:\s*»|\"|”)"
# A title given its name in the sentence: « une émission baptisée "X" », « un album intitulé "X" ».
_NAMED_CUE = r"(?:[Bb]aptisée?s?|[Ii]ntitulée?s?)"
# What is named so is no work when it is a message or an animal: « un communiqué intitulé "X" ».
_NOT_A_WORK_NAMED = re.compile(
    r"\b(?:communiqué|message|courrier|lettre|tweet|post|note|texte|slogan|tribune|pétition|motion|"
    r"amendement|chien|chienne|chat|chatte|cheval|jument|chiot|animal|oiseau|ours|bébé)s?\s*,?\s*$"
)
# Between the cue and the title: a few lower-case words ("de l'époque") or whose work it is
# ("l'émission de Laurent Ruquier").
_WORK = re.compile(
    rf"\b(?:{_WORK_CUE}[sx]?(?:\s+[a-zéèêàâîôûç'\u2019\-]+){{0,3}}?"
    rf"(?:\s+(?:de|d['\u2019])\s*[A-ZÀ-Ý][\w\-]+(?:\s+[A-ZÀ-Ý][\w\-]+){{0,2}})?\s*,?\s*"
    rf"(?:intitulée?s?\s*)?|{_ROLE_CUE}s?\s+(?:de|du|d['\u2019])\s*|(?P<named>{_NAMED_CUE})\s*){_TITLE}"
)
# A title the next words call a work: « "X", un spectacle inédit », « "X", le nouvel album de ».
_WORK_AFTER = re.compile(
    rf"{_TITLE}\s*,?\s*(?:un|une|le|la|l['\u2019]|son|sa|leur)\s*(?:nouvel(?:le)?\s+|dernier\s+|dernière\s+)?"
    rf"{_WORK_CUE}\b"
)
# More titles listed after the first: « A » ou encore « B », « C » et « D ».
_MORE_TITLES = re.compile(rf"\s*(?:,|\bet\b|\bou\b)(?:\s+encore)?\s*{_TITLE}")
# A quoted title that a channel or station airs: "Punchline" de CNews, « C à vous » sur France 5.
_AIRED = re.compile(
    rf"{_TITLE}\s*,?\s*(?:[a-zé]+\s+){{0,2}}(?:sur|de|d['\u2019])\s*(?P<media>[A-ZÀ-Ý][\w+\-]*(?:\s+\d+|\s+[A-ZÀ-Ý][\w\-]*)?)"
)
# Titles are short; a longer quotation is a quote, not a work.
_MAX_TITLE_WORDS = 10


def _title(match: re.Match[str]) -> Candidate | None:
    title = match.group("title").rstrip(" .,;")
    if not title or len(title.split()) > _MAX_TITLE_WORDS:
        return None
    start = match.start("title")
    return Candidate(start, start + len(title), title, "MISC", ruler=True)


# Events named after their kind in lower case, then their name: "le festival de Cannes", "la foire
# du Trône", "le tournoi de Wimbledon", "le marathon de Paris" (not "un festival de Lyon": some
# festival of the town), without where it takes place ("le festival Coachella en Californie").
# "Salon" is left out ("le salon de Marie" is a room), and "tournoi" ("le tournoi du Grand chelem").
_HELD_IN = re.compile(r"\s+(?:en|au|aux|à|sur)\s+[A-ZÀ-Ý]")
_LOWER_EVENT = re.compile(
    rf"(?:festival|foire|marathon|rallye|biennale|triennale)"
    rf"(?:{_CONNECTOR}|\s+(?=[{_UPPER}]))(?P<name>{_NAME})"
)


def event_spans(text: str, known: frozenset[str] = frozenset()) -> list[Candidate]:
    """Events named after their kind in lower case ("festival d'Avignon", "foire du Trône") as MISC.

    `known` are the gazetteer's folded names: "le festival Solidays" is the known event.
    """
    found = []
    for m in _LOWER_EVENT.finditer(text):
        indefinite = _INDEFINITE_BEFORE.search(text, max(0, m.start() - 12), m.start())
        if _word_before(text, m.start()) or indefinite is not None or fold(m.group("name")) in known:
            continue
        place = _HELD_IN.search(m.group())
        end = m.start() + place.start() if place is not None else m.end()
        found.append(Candidate(m.start(), end, text[m.start() : end], "MISC", ruler=True))
    return found


def work_spans(text: str, gazetteer: Gazetteer | None = None) -> list[Candidate]:
    """Titles of works in quotes as MISC, found from the words around them.

    After a cue word ("la série « Magnum »", "son livre "X"") or a part in the work ("l'animatrice
    de « X »"), listed after such a title, called a work just after ("« X », un spectacle"), or
    followed by the channel airing it ("« X » sur France 5"; needs `gazetteer` for the media).
    """
    found = []
    for match in _WORK.finditer(text):
        title = _title(match)
        if title is None or (
            match.group("named") and _NOT_A_WORK_NAMED.search(text, max(0, match.start() - 30), match.start())
        ):
            continue
        found.append(title)
        pos = match.end()
        while (more := _MORE_TITLES.match(text, pos)) is not None:
            if (extra := _title(more)) is not None:
                found.append(extra)
            pos = more.end()
    for match in _WORK_AFTER.finditer(text):
        title = _title(match)
        if title is not None and not any(f.start == title.start for f in found):
            found.append(title)
    if gazetteer is not None:
        for match in _AIRED.finditer(text):
            media = match.group("media")
            if fold(media) in gazetteer.media or fold(media.split()[0]) in gazetteer.media:
                title = _title(match)
                if title is not None and not any(f.start == title.start for f in found):
                    found.append(title)
    return sorted(found, key=lambda c: c.start)


# A model written after its make is a product: "Audi Q8", "BMW X3 xDrive30e", "Airbus A380".
# A dot before a digit stays inside a model word: "Volkswagen ID.3".
_MODEL_WORD = r"(?:[A-Z0-9][\w\-]*(?:\.\d+)?|[a-z][\w\-]*\d[\w\-]*|e-[a-z]+)"
# Words that continue a company's own name, not a model: "Bentley Motors", "McLaren Automotive".
_COMPANY_WORDS = frozenset(
    fold(w)
    for w in [
        *("Motors", "Motor", "Automobiles", "Automobile", "Automotive", "Group", "Groupe", "Cars"),
        *("AG", "SA", "SAS", "France", "Sport", "Racing", "Classiche", "Heritage", "Design", "Trucks"),
        *("Amérique", "Amériques", "Italia", "Deutschland", "UK", "Special", "Classic", "Club"),
        *("Museum", "Musée", "Fondation", "Foundation", "Bank", "Financial", "Services", "Aviation"),
        *("Defence", "Défense", "Industries", "Technologies", "Research", "Studio", "Centre"),
        *("Center", "Team", "F1", "Le", "La", "Les", "Un", "Une", "De", "Du", "Des", "Et", "En"),
        *("Au", "Aux"),
    ]
)
_MAX_MODEL_WORDS = 4
_ARTICLES = frozenset({"le", "la", "les", "un", "une", "de", "du", "des", "et", "en", "au", "aux"})
_CAPITAL_BEFORE = re.compile(
    r"(?<![\w\-])(?!(?:Sa|Son|Ses|La|Le|Les|L|Un|Une|Des|Du|Au|Aux|Ce|Cet|Cette|Ces|Leur|Notre|Votre|Chaque)\b)"
    r"[A-ZÀ-Ý][\w\-]*[ \t]+$"
)


def product_spans(
    text: str, gazetteer: Gazetteer, countries: frozenset[str] = frozenset()
) -> list[Candidate]:
    """Products named by their make and model ("Audi Q8", "Porsche 911 GT2 RS") as MISC.

    `countries` are folded country names: "Honda Australie" is the make's subsidiary, no model.
    """
    if gazetteer.products is None:
        return []
    found = []
    for match in gazetteer.products.finditer(text):
        words = match.group("model").split()
        kept = 0
        for word in words[:_MAX_MODEL_WORDS]:
            if fold(word) in _COMPANY_WORDS or fold(word) in countries:
                break
            kept += 1
        if (
            kept < min(len(words), _MAX_MODEL_WORDS)
            and words[kept][:1].isupper()
            and fold(words[kept]) not in _ARTICLES
        ):
            # "Fiat Chrysler Automobiles", "Bentley Motors": the company's own longer name.
            continue
        if _CAPITAL_BEFORE.search(text, max(0, match.start() - 24), match.start()):
            # "Cervélo R5 Automobili Lamborghini Edition": the make is inside another name.
            continue
        if kept:
            end = match.start("model") + len(" ".join(words[:kept]))
            found.append(Candidate(match.start(), end, text[match.start() : end], "MISC", ruler=True))
    return found


def _product_pattern(makes: set[str]) -> re.Pattern[str] | None:
    """A make (longest first) followed by model words."""
    if not makes:
        return None
    alternatives = "|".join(re.escape(m) for m in sorted(makes, key=len, reverse=True))
    return re.compile(
        rf"(?<![\w\-])(?:{alternatives})[ \t]+(?P<model>{_MODEL_WORD}(?:[ \t]+{_MODEL_WORD})*)(?![\w\-])"
    )
