"""Turn the model's entity spans into clean mention candidates with exact body offsets."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from service.pipeline.entities.candidate import Candidate
from service.pipeline.entities.gazetteer import (
    association_spans,
    club_spans,
    event_spans,
    institution_spans,
    known_spans,
    natural_place_name,
    product_spans,
    street_spans,
    work_spans,
)
from service.pipeline.entities.lexicon import Lexicon
from service.pipeline.text.fold import NAME_PARTICLES, fold

__all__ = ["Candidate", "candidates"]

LABELS: frozenset[str] = frozenset({"PER", "ORG", "LOC", "MISC"})
RULER_PREFIX = "ruler:"
# A one-character span is never a name.
_MIN_NAME_CHARS = 2
# Edge checks look only at a span's last characters, so trimming a run of dots stays linear.
_TAIL_WINDOW = 24

_PIECES = re.compile(r"[^\n]+")
# Characters that never start or end a name: blanks, quotes, brackets, dashes, list marks.
_EDGE = " \t\"'«»“”\u2018\u2019„()[]{}<>-\u2013—_,;:!?*•·|/\\#@=+~"
_ELISION = re.compile(r"^(?:[lLdDjJ]|[Qq]u|[Jj]usqu|[Ll]orsqu|[Pp]uisqu)['\u2019]")
# "de" is left alone: it starts surnames such as "de Gaulle".
_DETERMINER = re.compile(r"^(?:le|la|les|du|des|au|aux|un|une)\s+")
_TRAILING_WORD = re.compile(
    r"\s+(?:de|du|des|d['\u2019]?|la|le|les|l['\u2019]?|et|à|au|aux|en|sur|pour|par)$"
)
# Initials ("U.S.") and company abbreviations ("Fisker Inc.") keep their final dot.
_INITIALS = re.compile(r"(?:\b[A-Z]\.)+$|\b(?:Inc|Ltd|Corp|Co)\.$")
_PERSON_LIST = re.compile(r"\s*(?:,|\bet\b|&|\s[-\u2013\u2014]\s)\s*")
# A head noun and its preposition just before a span: "ministère des" + "Transports".
_HEAD_BEFORE = re.compile(r"([\w\-]+)\s+(?:de la|de l'|de l\u2019|des|du|de|d'|d\u2019)\s*$")
_SPACED_DASH = re.compile(r"\s[-\u2013\u2014]\s")
# Particles that may start a foreign name in lower case ("von der Leyen"); French "de" is left
# out because "de Metz", "de France" are far more often the tail of a phrase than a surname.
_PREPOSITION = re.compile(r"^(?:de|des|du|d'|d\u2019)(?:\s|$)")
_COMMON_POS = frozenset({"NOUN", "VERB", "ADJ", "ADV", "ADP", "PRON", "DET", "AUX", "CCONJ", "SCONJ", "INTJ"})
# Words that open a clause, never a name: "Ça", "Je ne pensais pas".
_PRONOUNS = frozenset(
    {
        "ca",
        "je",
        "j",
        "tu",
        "il",
        "elle",
        "on",
        "nous",
        "vous",
        "ils",
        "elles",
        "c",
        "ce",
        "cela",
        "ceci",
        "moi",
    }
)
# Dates copied from English embeds ("March 14, 2024").
_ENGLISH_DATE = re.compile(
    r"\b(?:(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r"\s+\d{1,2}\b|\d{1,2}\s+(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December)\b)"
)
# A weekday and its date opening a sentence ("Vendredi 3 juin ils ont...") is a date, not a name.
_FRENCH_DATE = re.compile(r"^(?:Lundi|Mardi|Mercredi|Jeudi|Vendredi|Samedi|Dimanche)\s+\d{1,2}(?:er)?\b")
# "le Sud-Ouest de l'Inde", "l'axe Sud-Est": a direction, even when a newspaper has its name.
_COMPASS = re.compile(r"^(?:Nord|Sud)[- ](?:Est|Ouest)$")
_DIRECTION_BEFORE = re.compile(r"\b(?:le|du|au|axe|axes|et)\s+$")
_REPUBLIC_OF = re.compile(
    r"(?P<prosecutor>[Pp]rocureure?s?\s+de\s+la\s+)?République\s+(?:de\s+|d['\u2019])(?=[A-ZÀ-Ý])"
)
_PROSECUTOR_BEFORE = re.compile(r"\b[Pp]rocureure?s?\s+de\s+la\s+$")
# Demonym shapes: "Choletais", "Parisiennes", "Marseillais" (used as plural nouns for inhabitants).
_DEMONYM_SHAPE = re.compile(r"(?:ais|aises|ois|oises|iens|iennes|ains|aines|ins|ines|ards|ardes|ens)$")
_PLURAL_DETERMINER = re.compile(
    r"(?:\b(?:les|des|aux|ces|nos|vos|leurs|Les|Des|Aux|Ces|Nos|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|"
    r"certains|certaines|plusieurs|quelques|nombreux|nombreuses|Certains|Certaines|Plusieurs|Quelques|"
    r"De\s+nombreux|De\s+nombreuses)\s+|"
    r"\b(?:milliers|centaines|dizaines|millions|nombre|plupart|majorité|beaucoup|peu|plus|moins)\s+d(?:e|es)\s+)$"
)
# Paragraphs glued without a blank by a scraper: "...de l'AFP.\"Nous", "en FranceDu côté".
_GLUE_PUNCT = ".!?"
_GLUED_SENTENCE = re.compile(
    r"(?<=[a-zà-ÿ!?])[.!?]+\s+(?=[A-ZÀ-Ý])|[.!?][\"»”]?(?=[A-ZÀ-Ý][a-zà-ÿ])|[a-zà-ÿ](?=(?:Du|De|Le|La|Les|Un|Une|Il|Elle|En|Dans|Pour|Mais|Alors|Selon|"
    r"Après|Avant|Depuis|Ce|Cette|Ces|Si|Et|Au|Aux|Sur|Par|Lors|Plus|Comme)\b)"
    # A credit in capitals glued to the next sentence: "par BFMTVSelon la préfecture".
    r"|(?<=[A-Z0-9]{2})[A-Z0-9](?=(?:Selon|Le|La|Les|Un|Une|Il|Elle|Dans|Pour|Mais|Alors|Après|Depuis|Cette)(?:\s|$))"
)
_HYPHEN_FIRST = re.compile(r"[A-ZÀ-Ý][a-zà-ÿ]+-$")
# News agencies are the byline's, not the story's, when written "(AFP)", "avec AFP", "© AFP".
_AGENCIES = frozenset({"afp", "reuters", "ap", "belga", "ansa", "dpa", "efe"})
# "Lire la suite sur Le Figaro": a link to the source, left in the body by some scrapers.
_READ_MORE = re.compile(
    r"(?:Lire la suite|Lire aussi|Voir aussi|À lire aussi)\s*(?:sur|:)?\s*$", re.IGNORECASE
)
_AGENCY_CREDIT = re.compile(r"(?:\b(?:avec|et|par|source\s*:?)|©|/)\s*$", re.IGNORECASE)


_FIRST_WORD = re.compile(r"\w+")
_COMPANY_ABBREVIATION = re.compile(r"\s(?:Inc|Ltd|Corp|Co)$")
# Centuries are dates: "XXe siècle", "XIXe".
_CENTURY = re.compile(r"^[IVXL]+(?:e|ème)$")
_CENTURY_AFTER = re.compile(r"\s+siècles?\b")
# A work's name tagged up to the next phrase: "Coupe du monde à l'association", "Vélib' à la journée".
_LOWER_TAIL = re.compile(r"\s+(?:à\s+la|à\s+l['\u2019]|à|au|aux)\s*[a-zà-ÿ][^\n]*$")
# Quotation marks around a title: « Manon des sources », "Un homme et une femme".
_QUOTED = re.compile(r"(?:«\s*|\"|“)([A-ZÀ-Ý0-9][^\"«»“”\n]{0,80}?)(?:\s*»|\"|”)")
_MAX_QUOTED_TITLE_WORDS = 6
# A preposition written with a capital, then words: "De l'édition 2019", "D'ailleurs".
_CAPITAL_PREPOSITION = re.compile(r"^(?:(?:De|Du|Des)\s+|D['\u2019])")
# A role with its portfolio: "secrétaire d'État à la Transition écologique", "ministre délégué aux
# Transports", "ministre chargée des Sports": the portfolio is no name.
_PORTFOLIO_BEFORE = re.compile(
    r"\b(?:ministres?|secrétaires?\s+d['\u2019][ÉE]tat)(?:\s+délégués?|\s+déléguées?)?"
    r"\s+(?:à\s+la|à\s+l['\u2019]|aux?|chargée?s?\s+(?:de\s+la|de\s+l['\u2019]|des|du|de|d['\u2019]))\s*$",
    re.IGNORECASE,
)
# The same with a country's adjective between: "le secrétaire américain au Trésor", "la ministre
# allemande à la Défense" (the adjective must be a country's; "un ministre explique au Figaro").
_FOREIGN_PORTFOLIO_BEFORE = re.compile(
    r"\b(?:ministres?|secrétaires?(?:\s+d['\u2019][ÉE]tat)?)\s+(?P<country>[a-zéèêëïîôûç\-]+)"
    r"\s+(?:à\s+la|à\s+l['\u2019]|aux?)\s*$",
    re.IGNORECASE,
)
# A leading preposition the model took into a place: "de la Sarthe", "du Var", "des Landes".
_LEADING_PREPOSITION = re.compile(r"^(?:de\s+la|de\s+l['\u2019]|du|des|de|d['\u2019])(?:\s+|(?<=['\u2019]))")
# Engine and trim codes of car stories ("V8", "TDI"), hybrid kinds ("MHEV") and body styles alone
# ("Coupé", "Fastback") are specifications, not names.
_TECH_CODE = re.compile(
    r"^(?:[VW]\d{1,2}|TDI|TFSI|TSI|HDi|dCi|CDI|BlueHDi|Nm|Km|KM|kWh|N0|MHEV|PHEV|HEV|BEV|"
    r"Coupé|Cabriolet|Fastback|Roadster|Sportback|Shooting\s+Brake)$"
)
# The word for what something is, just before its name: "le quotidien polonais Puls Biznesu",
# "la start-up Murfy", "le réseau social chinois Weibo" (up to three adjectives in between).
_ORG_CUE = re.compile(
    r"\b(?:quotidien|journal|hebdomadaire|mensuel|magazine|site|média|chaîne|radio|agence|société|"
    r"entreprise|groupe|start-up|startup|firme|constructeur|fabricant|distributeur|enseigne|opérateur|"
    r"compagnie|association|ONG|syndicat|éditeur|maison|banque|assureur|cabinet|réseau\s+social|"
    r"marque|équipementier|laboratoire|géant|label|club|équipe|formation|parti|mouvement|collectif|revue)"
    r"(?:\s+[a-zéèêëàâîïôûç\-]+(?:['\u2019][a-zéèêëàâîïôûç\-]+)?){0,3}\s+$"
)
_WORK_NOUN = re.compile(
    r"\b(?:émission|série|film|téléfilm|documentaire|roman|album|chanson|spectacle|feuilleton|"
    r"jeu\s+vidéo|jeu\s+télévisé|sitcom|websérie|programme|ouragan|cyclone|tempête|typhon|tornade)"
    r"(?:\s+[a-zéèêëàâîïôûç\-]+){0,3}\s+$"
)
# Events are works of a kind, not the bodies that run them: "Salon de Genève", "Mondial de football";
# climate conferences by number ("COP25 de Madrid"), stage races ("Tour de Romandie", "Critérium
# du Dauphiné"), carnivals, Masters and transatlantic races.
_EVENT_HEAD = re.compile(
    r"^(?:Salon|Festival|Mondial|Coupe|Championnats?|Grand\s+Prix|Jeux|Open|Tournoi|Trophée|Rallye|"
    r"Marathon|Biennale|Foire|Fête|Nuit|Semaine|Journées?|Forum|Sommet|Exposition|Mondiaux|Euro|"
    r"Critérium|Carnaval|Masters|Transat|Tour\s+(?:de|des|du|d['\u2019])|(?:COP|Cop)\s?\d{1,2})\b"
    r"|\b(?:Motor\s+Show|Show|Festival|Awards?)$"
)
# "Coupe du monde de rugby au Japon": where the event takes place is not part of its name.
_EVENT_PLACE = re.compile(r"\s+(?:en|au|aux|à)\s+[A-ZÀ-Ý][^\n]*$")
# A company by its legal or trade suffix: "Cervélo Cycles", "SD Biosensor Inc", "Universal Pictures".
_COMPANY_SUFFIX = re.compile(
    r"\s(?:Inc\.?|Ltd\.?|SA|SAS|SARL|AG|GmbH|Group|Groupe|Cycles|Motors|Airlines|Airways|Records|"
    r"Studios|Pictures|Entertainment|Technologies|Pharma|Holding|Corp\.?|Corporation|Company|Industries)$"
)
# A periodical by its English title is the publisher's name, as a daily's is: "Journal of Clinical
# Oncology", "Annals of Internal Medicine", "Frontiers in Psychology".
_PERIODICAL = re.compile(
    r"^(?:The\s+)?(?:(?:American|British|European|International|Canadian|Australian)\s+)?"
    r"(?:Journal|Annals|Archives|Proceedings|Frontiers|Reviews|Bulletin)\s+(?:of|in|on|for)\s+[A-Z]"
)
# An acronym is an organisation's name far more often than a person's: "FDA", "UICN".
_ACRONYM = re.compile(r"^[A-Z]{2,6}$")
# Holidays are dates, not entities of the story: "Noël", "Nouvel An".
_HOLIDAYS = frozenset(
    fold(holiday)
    for holiday in (
        "noel",
        "nouvel an",
        "paques",
        "toussaint",
        "ramadan",
        "halloween",
        "saint-valentin",
        "reveillon",
        "hanoukka",
        "pentecote",
        "ascension",
        "epiphanie",
        "aid",
        "aid el-kebir",
        "aid al-adha",
        "aid el-fitr",
        "saint-patrick",
        "saint-sylvestre",
        "thanksgiving",
        "chandeleur",
    )
)
_LEADING_CLASS = re.compile(r"^(?:SUV|SUV\s+coupé|berline|citadine|monospace)\s+(?=[A-ZÀ-Ý0-9])")
_STORM = re.compile(r"(?:ouragan|cyclone|tempête|typhon|tornade)\s+(?=[A-ZÀ-Ý])")
# A scorer's minute after the name: "Kerhervé 12e".
_MINUTE = re.compile(r"\s+\d{1,3}e$")
# A cue is not one when its last word is a preposition or article: "le groupe de Laurent Dupont".
_CUE_BREAK = frozenset(
    {
        "de",
        "du",
        "des",
        "d",
        "le",
        "la",
        "les",
        "l",
        "un",
        "une",
        "a",
        "au",
        "aux",
        "par",
        "pour",
        "avec",
        "chez",
        "selon",
        "et",
        "ou",
        "en",
        "sur",
        "entre",
        "contre",
    }
)
_CUE_WINDOW = 64


def _cued_label(text: str, cand: Candidate, lexicon: Lexicon) -> str | None:
    """ORG or MISC when the word before a model span says what it is, else None."""
    before = text[max(0, cand.start - _CUE_WINDOW) : cand.start]
    words = before.split()
    if not words or fold(words[-1]).split("'")[-1] in _CUE_BREAK:
        return None
    if _ORG_CUE.search(before):
        return "ORG"
    if _WORK_NOUN.search(before) and fold(cand.text) not in lexicon.gazetteer.known:
        if cand.label == "PER" and cand.words > 1 and _WORK_NOUN.search(words[-1] + " ") is None:
            # "l'icône de la chanson française Juliette Gréco": a genre and its adjective, then
            # the person the model found; only a work noun right before a name titles the work.
            return None
        return "MISC"
    return None


# Capitalized heads of organisation names whose name goes on in lower case after a preposition:
# "Haut Conseil français de la santé publique", "Office central pour la répression de la corruption".
_ORG_NAME_HEADS = frozenset(
    {
        "agence",
        "assemblee",
        "association",
        "autorite",
        "banque",
        "caisse",
        "centre",
        "comite",
        "commission",
        "communaute",
        "confederation",
        "conseil",
        "cour",
        "direction",
        "ecole",
        "federation",
        "fondation",
        "force",
        "forces",
        "haut",
        "haute",
        "hotel",
        "institut",
        "ligue",
        "observatoire",
        "office",
        "organisation",
        "regie",
        "societe",
        "syndicat",
        "union",
    }
)
# Heads of bodies often named after a person: the span is the body, not the person.
_NAMED_AFTER_HEADS = _ORG_NAME_HEADS | frozenset(
    {"lycee", "college", "musee", "universite", "hopital", "clinique", "theatre"}
) - frozenset({"haut", "haute", "force", "forces", "union", "cour", "hotel"})
_NAME_TAIL_POS = frozenset({"ADP", "DET", "NOUN", "PROPN", "ADJ"})
_NAME_END_POS = frozenset({"NOUN", "PROPN", "ADJ"})
_TAIL_OPENERS = frozenset({"de", "du", "des", "d'", "d\u2019", "pour", "au", "aux", "en"})
# Days and months end a name: "le Conseil de Paris mardi".
_TIME_WORDS = frozenset(
    {
        "lundi",
        "mardi",
        "mercredi",
        "jeudi",
        "vendredi",
        "samedi",
        "dimanche",
        "janvier",
        "fevrier",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "aout",
        "septembre",
        "octobre",
        "novembre",
        "decembre",
        "matin",
        "soir",
        "semaine",
        "annee",
        "mois",
        "jour",
    }
)
_MAX_TAIL_TOKENS = 8


def _extend_org_name(doc: Doc, cand: Candidate) -> None:
    """Run an organisation's name on through its lower-case complement ("... de la santé publique")."""
    if cand.label not in {"ORG", "MISC"} or fold(cand.text).split()[0] not in _ORG_NAME_HEADS:
        return
    span = doc.char_span(cand.start, cand.end, alignment_mode="expand")
    if span is None or span.end >= len(doc) or doc[span.end].lower_ not in _TAIL_OPENERS:
        return
    end = None
    for token in doc[span.end : span.end + _MAX_TAIL_TOKENS]:
        if token.pos_ not in _NAME_TAIL_POS or fold(token.text) in _TIME_WORDS or token.ent_type_ == "PER":
            break
        if token.pos_ in _NAME_END_POS:
            end = token.idx + len(token.text)
    if end is not None and "\n" not in doc.text[cand.end : end]:
        cand.end = _strip_edges(doc.text, cand.start, end)[1]
        cand.text = doc.text[cand.start : cand.end]
        cand.forced_label = cand.forced_label or "ORG"


def _shape_label(cand: Candidate) -> str | None:
    """A label read from the span's own shape: events are MISC, companies and acronyms ORG."""
    if cand.label in {"ORG", "LOC", "PER"} and _EVENT_HEAD.search(cand.text):
        place = _EVENT_PLACE.search(cand.text)
        if place is not None and place.start() > 0:
            cand.end = cand.start + place.start()
            cand.text = cand.text[: place.start()]
        return "MISC"
    if cand.label != "ORG" and (_COMPANY_SUFFIX.search(cand.text) or _PERIODICAL.match(cand.text)):
        return "ORG"
    if cand.label == "PER" and _ACRONYM.match(cand.text):
        return "ORG"
    if cand.label in {"PER", "ORG"} and cand.words > 1 and fold(cand.text).split()[0] in _NAMED_AFTER_HEADS:
        # "Fondation Paul Bocuse", "lycée Victor-Hugo": a body named after a person (the mark
        # keeps "Paul Bocuse" from being read as this name's short form).
        return "ORG"
    return None


def _strip_edges(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _EDGE:
        start += 1
    while start < end:
        last = text[end - 1]
        if last in _EDGE:
            end -= 1
        elif last == "." and _INITIALS.search(text, max(start, end - _TAIL_WINDOW), end) is None:
            # A final dot is sentence punctuation unless it closes initials such as "U.S.".
            end -= 1
        elif (
            tail := _TRAILING_WORD.search(text, max(start, end - _TAIL_WINDOW), end)
        ) is not None and tail.start() > start:
            # "... de la police judiciaire de": the span ran into the next phrase.
            end = tail.start()
        else:
            break
    return start, end


def _strip_prefixes(text: str, start: int, end: int, lexicon: Lexicon) -> tuple[int, int, bool]:
    """Drop elisions, determiners, honorifics and role words at the start of a span."""
    honorific = False
    changed = True
    while changed and start < end:
        changed = False
        piece = text[start:end]
        match = _ELISION.match(piece) or _DETERMINER.match(piece)
        if match is not None:
            start += match.end()
            changed = True
            continue
        first, _, rest = piece.partition(" ")
        if rest and (first in lexicon.honorifics or first.rstrip(".") in lexicon.honorifics):
            start += len(first) + 1
            honorific = changed = True
            continue
        if not rest and (first in lexicon.honorifics or first.rstrip(".") in lexicon.honorifics):
            return start, start, True
        folded = fold(piece)
        # Only the roles sharing the span's first word can start it: a few, not every role.
        for role in lexicon.roles_by_word.get(folded.split(" ", 1)[0], ()):
            if folded.startswith(role + " "):
                rest = piece[len(role) + 1 :]
                if piece[:1].isupper():
                    if not rest[:1].isupper():
                        # "Président de la République", "Maire de Paris": no name after the role.
                        break
                    # "Premier ministre Justin Trudeau": a title, then the person.
                    honorific = True
                elif _PREPOSITION.match(rest):
                    # "ministre des Transports" is a role, not the name of someone or something.
                    return start, start, honorific
                start += len(role) + 1
                changed = True
                break
        start, end = _strip_edges(text, start, end)
    return start, end, honorific


def _lowercase_ok(piece: str, label: str, lexicon: Lexicon) -> str | None:
    """For a span starting in lower case, the label it keeps, or None to drop it."""
    folded = fold(piece)
    words = piece.split()
    if not any(w[:1].isupper() for w in words):
        return None
    if any(folded.startswith(head + " ") for head in lexicon.org_heads):
        return "ORG"
    if words[0].casefold() in NAME_PARTICLES and label == "PER" and words[1][:1].isupper():
        # "von der Leyen" (not "de la République", "de France").
        return label
    return None


def _opening(doc: Doc, start: int) -> tuple[bool, bool]:
    """Whether the word at `start` opens a sentence or line, and whether it is a common word."""
    span = doc.char_span(start, start + 1, alignment_mode="expand")
    if span is None or len(span) == 0:
        return False, False
    token = span[0]
    opens = bool(token.is_sent_start or token.i == 0 or "\n" in doc[token.i - 1].text_with_ws)
    return opens, opens and token.pos_ in _COMMON_POS


def _common_phrase(piece: str) -> bool:
    """True when every word after the first is lower case, as in a common noun phrase."""
    rest = piece.split()[1:]
    return bool(rest) and all(w[:1].islower() for w in rest)


def _century(text: str, cand: Candidate) -> bool:
    """True for "XXe siècle" (a date); "(XVIIIe)" alone is a Paris arrondissement."""
    piece, _, rest = cand.text.partition(" ")
    if _CENTURY.match(piece) is None:
        return False
    return _CENTURY_AFTER.match(f" {rest}" if rest else text, 0 if rest else cand.end) is not None


def _capital_preposition_phrase(piece: str) -> bool:
    """True for "De l'édition 2019": a capitalized preposition, then no capital at all."""
    lead = _CAPITAL_PREPOSITION.match(piece)
    return lead is not None and not any(c.isupper() for c in piece[lead.end() :])


# A title won is no name, whatever follows it: "Champion du Monde de Rallycross", "double Champion
# DTM", "Vice-championne d'Europe" ("Champions League", plural and English, is the event).
_TITLE_WON = re.compile(r"^(?:[Vv]ice-)?[Cc]hampion(?:ne)?(?:\s|$)")


def _is_noise(piece: str, lexicon: Lexicon) -> bool:
    """True for spans that are never names: too short, page UI words, bare common nouns."""
    folded = fold(piece)
    if len(folded) < _MIN_NAME_CHARS or not any(c.isalpha() for c in piece):
        return True
    if folded in lexicon.ui_words and folded not in lexicon.gazetteer.known:
        # "Lire", "Partager" are page furniture; "Facebook" in a sentence is a company.
        return True
    if folded in lexicon.not_alone or folded.split()[0] in _PRONOUNS or _ENGLISH_DATE.search(piece):
        return True
    if _FRENCH_DATE.match(piece) or _capital_preposition_phrase(piece):
        return True
    if _TECH_CODE.match(piece) or folded in _HOLIDAYS or _TITLE_WON.match(piece):
        return True
    # "Etat américain", "Premier ministre": a capitalized common noun and its adjectives
    # ("Union européenne" is a name all the same: the KB and the gazetteer know it).
    return (
        folded.split()[0] in lexicon.not_alone
        and _common_phrase(piece)
        and folded not in lexicon.kb.by_form
        and folded not in lexicon.gazetteer.known
    )


def _portfolio(text: str, cand: Candidate, lexicon: Lexicon) -> bool:
    """Whether the span is the portfolio of a role before it ("ministre des Transports")."""
    # Both patterns open on one of these words: asked of every candidate, their searches were
    # a fifth of accepting one, and most windows hold neither word.
    window = text[max(0, cand.start - _CUE_WINDOW) : cand.start].casefold()
    if "ministre" not in window and "secrétaire" not in window:
        return False
    if _PORTFOLIO_BEFORE.search(text, max(0, cand.start - _CUE_WINDOW), cand.start):
        return True
    foreign = _FOREIGN_PORTFOLIO_BEFORE.search(text, max(0, cand.start - _CUE_WINDOW), cand.start)
    # Not a known name: "des conseillers du ministre britannique au Telegraph" name the daily.
    return (
        foreign is not None
        and fold(foreign.group("country")) in lexicon.demonym_country
        and fold(cand.text) not in lexicon.gazetteer.known
    )


def _head_before(text: str, cand: Candidate, lexicon: Lexicon) -> Candidate | None:
    """Read "ministère des Transports" / "ministre des Transports" when the model kept the tail."""
    if _portfolio(text, cand, lexicon):
        return None
    # Every preposition of `_HEAD_BEFORE` starts with "d" and is at most 5 characters long.
    if "d" not in text[max(0, cand.start - 40) : cand.start].rstrip()[-5:]:
        return cand
    before = _HEAD_BEFORE.search(text, max(0, cand.start - 40), cand.start)
    if before is None:
        return cand
    head = fold(before.group(1))
    if fold(cand.text) in lexicon.places:
        return cand
    if head in lexicon.portfolio_roles:
        return None
    if head in lexicon.portfolio_org_heads:
        cand.start = before.start(1)
        cand.text = text[cand.start : cand.end]
        cand.forced_label = "ORG"
    return cand


def _demonym_plural(text: str, cand: Candidate, lexicon: Lexicon) -> bool:
    """True for "Les Choletais", "des Parisiens", "Suisses": inhabitants, not a place or a group."""
    folded = fold(cand.text)
    if " " in cand.text:
        # Hyphens fold to blanks: "Néo-Zélandais" is one word, "Les Choletais" two.
        return False
    # "Afro-Américains", "Nord-Coréens": a compound is a demonym when its last part is one.
    last = folded.rsplit(" ", 1)[-1]
    if (
        (folded in lexicon.demonym_nouns or (last != folded and last in lexicon.demonym_nouns))
        and folded not in lexicon.places
        and folded not in lexicon.gazetteer.places
    ):
        return True
    return bool(
        _DEMONYM_SHAPE.search(folded)
        and folded not in lexicon.gazetteer.places
        and _PLURAL_DETERMINER.search(text, max(0, cand.start - 24), cand.start)
    )


# Words after which a capitalized word is part of a title, an alert or a class, not a place:
# "la garde des Sceaux", "la duchesse de Sussex", "la vigilance orange Canicule", "classée Seveso".
_NO_PLACE_AFTER = re.compile(
    r"(?:\bgarde\s+des\s+|\bvigilance\s+(?:(?:rouge|orange|jaune)\s+)?|\bclassée?s?\s+|"
    r"\b(?:duc|duchesse|prince|princesse|comte|comtesse|marquis|marquise)\s+(?:de\s+|d['\u2019]))$"
)
# Suffixes of a town's demonym, longest first: Lens -> Lensois, Nantes -> Nantais, Paris -> Parisiens.
_TOWN_DEMONYM_SUFFIX = re.compile(
    r"(?:oises|oise|ois|aises|aise|ais|iennes|ienne|iens|ien|aines|aine|ains|ain)$"
)
# A stem shorter than this is no town's ("Lens" gives "Lensois").
_MIN_STEM = 3


def _town_demonym_plural(text: str, cand: Candidate, lexicon: Lexicon) -> bool:
    """True for "les Lensois", "des Nantais" the model took for a club: a known town's inhabitants.

    The stem, with its doubled consonant undone or an "e"/"es" put back, must be a town of the
    gazetteer, so "les Républicains" or "les Insoumis" stay organisations.
    """
    folded = fold(cand.text)
    suffix = _TOWN_DEMONYM_SUFFIX.search(folded)
    if " " in folded or not _PLURAL_DETERMINER.search(text, max(0, cand.start - 24), cand.start):
        return False
    if folded in lexicon.demonym_nouns and folded not in lexicon.gazetteer.known:
        # "certains Texans", "des Catalans": a listed demonym the model took for a group.
        return True
    if suffix is None:
        return False
    stem = folded[: suffix.start()]
    if len(stem) < _MIN_STEM:
        return False
    forms = {stem, stem + "e", stem + "es", stem + "s"}
    if stem[-1] == stem[-2]:
        # "Lyonnais": the consonant doubled before the suffix.
        forms.add(stem[:-1])
    places = lexicon.gazetteer.places | lexicon.places
    return any(f in places for f in forms)


def _agency_credit(text: str, cand: Candidate) -> bool:
    """True when a name is a credit: "(AFP)", "avec AFP", "© Reuters", "Lire la suite sur Le Figaro"."""
    if _READ_MORE.search(text, max(0, cand.start - 24), cand.start):
        return True
    if fold(cand.text) not in _AGENCIES:
        return False
    before = text[max(0, cand.start - 12) : cand.start]
    if before.endswith("(") and text[cand.end : cand.end + 1] == ")":
        return True
    return _AGENCY_CREDIT.search(before) is not None


def _relabel(doc: Doc, text: str, cand: Candidate, lexicon: Lexicon) -> None:
    """Labels and extents the model's span gets from its context and its shape."""
    if cand.forced_label is None and not cand.honorific:
        cand.forced_label = _cued_label(text, cand, lexicon) or _shape_label(cand)
    _extend_org_name(doc, cand)
    if (storm := _STORM.match(cand.text)) is not None:
        # "cyclone Mireille" tagged whole: the storm's name is the entity.
        cand.start += storm.end()
        cand.text = cand.text[storm.end() :]
        cand.forced_label = "MISC"
    if (cand.forced_label or cand.label) == "MISC":
        _quoted_title(text, cand)
    if cand.forced_label is None:
        # A model span that is exactly a known name takes its label ("BFMTV" cut out of a glued
        # "BFMTVSelon", which the known-name scan could not see).
        cand.forced_label = _gazetteer_label(cand.text, lexicon)


def _accept(doc: Doc, text: str, cand: Candidate, lexicon: Lexicon) -> Candidate | None:
    piece = cand.text
    if (
        _is_noise(piece, lexicon)
        or _agency_credit(text, cand)
        or _century(text, cand)
        or (not cand.ruler and cand.label in {"MISC", "LOC", "PER"} and _demonym_plural(text, cand, lexicon))
        or (not cand.ruler and cand.label == "ORG" and _town_demonym_plural(text, cand, lexicon))
        or (
            not cand.ruler
            and cand.label in {"LOC", "MISC"}
            and _NO_PLACE_AFTER.search(text, max(0, cand.start - 30), cand.start) is not None
        )
    ):
        return None
    if not cand.ruler and cand.label != "PER":
        if _head_before(text, cand, lexicon) is None:
            return None
        piece = cand.text
    if not cand.ruler:
        _relabel(doc, text, cand, lexicon)
        piece = cand.text
    article, _, rest = piece.partition(" ")
    if article in {"La", "Le", "Les"} and fold(rest) in lexicon.places:
        # "La France" opening a sentence: the article is not part of the country's name.
        cand.start += len(article) + 1
        cand.text = piece = rest
    piece = _without_leading_preposition(cand, lexicon)
    if not cand.ruler and not (piece[0].isupper() or piece[0].isdigit()):
        forced = _lowercase_ok(piece, cand.label, lexicon)
        if forced is None:
            return None
        cand.forced_label = forced
    cand.initial, common = _opening(doc, cand.start)
    if not cand.ruler and cand.label == "MISC" and common and _common_phrase(piece):
        # "Crise climatique" opening a sentence: a capitalized common noun phrase.
        return None
    if not cand.ruler and common:
        first, _, rest = piece.partition(" ")
        if not rest and not (cand.label == "LOC" and _known_place(piece, lexicon)):
            # A lone capitalized common word opening a sentence ("Rencontre") is no name; a known
            # place is one all the same ("Ain (01), Ardèche (07)" after a colon).
            return None
        if cand.label == "PER" and len(first) > 1 and rest[:1].isupper():
            # "Rencontre Lavrov": the heading's first word was swallowed into the name.
            cand.start += len(first) + 1
            cand.text = rest
    return cand


def _gazetteer_label(piece: str, lexicon: Lexicon) -> str | None:
    first = _FIRST_WORD.match(piece)
    if first is None:
        return None
    label = next(
        (label for form, label, _ in lexicon.gazetteer.by_first_word.get(first.group(), ()) if form == piece),
        None,
    )
    if label is None and " " in piece and (name := lexicon.gazetteer.entry_of.get(fold(piece))) is not None:
        # A known name of several words written in another case or without its accents ("Sos
        # Méditerranée", "Assemblee nationale"): the model's span is that name all the same.
        return _gazetteer_label(name, lexicon) if name != piece else None
    return label


def _without_leading_preposition(cand: Candidate, lexicon: Lexicon) -> str:
    """Drop "de", "de la", "du" before a place the model took with it; the span's text after."""
    lead = _LEADING_PREPOSITION.match(cand.text)
    if lead is None:
        return cand.text
    place = cand.text[lead.end() :]
    if _known_place(place, lexicon):
        # "de Metz" tagged as a person, "de la Sarthe" as a place: the preposition and its town.
        cand.forced_label = "LOC"
    elif cand.ruler or cand.label != "LOC" or not place[:1].isupper():
        return cand.text
    cand.start += lead.end()
    cand.text = place
    return place


def _quoted_title(text: str, cand: Candidate) -> None:
    """Widen a work's name to the short title in quotation marks around it ("Manon des sources")."""
    line_start = text.rfind("\n", 0, cand.start) + 1
    line_end = text.find("\n", cand.end)
    for quoted in _QUOTED.finditer(text, line_start, len(text) if line_end < 0 else line_end):
        if quoted.start(1) > cand.start:
            return
        if quoted.end(1) >= cand.end:
            title = quoted.group(1).rstrip(" .,;:!?")
            if len(title.split()) <= _MAX_QUOTED_TITLE_WORDS and quoted.start(1) + len(title) >= cand.end:
                cand.start, cand.end = quoted.start(1), quoted.start(1) + len(title)
                cand.text = title
            return


def _known_place(piece: str, lexicon: Lexicon) -> bool:
    folded = fold(piece)
    return folded in lexicon.places or folded in lexicon.gazetteer.places


def _demonym_word(word: str, lexicon: Lexicon) -> bool:
    """True for a capitalized demonym noun that is no place name itself ("Serbe", not "Suisse")."""
    folded = fold(word)
    return word[:1].isupper() and folded in lexicon.demonym_nouns and not _known_place(word, lexicon)


def _unglue(text: str, start: int, end: int) -> tuple[int, int]:
    """Cut a span where a scraper glued the next sentence to it ("FranceDu côté", "AFP.Nous")."""
    glued = _GLUED_SENTENCE.search(text, start, end)
    if glued is not None and glued.start() > start:
        # Keep the letter before a glued capital; drop the sentence's closing punctuation.
        return start, glued.start() + (text[glued.start()] not in _GLUE_PUNCT)
    return start, end


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """One line of a model span without glued sentences, edges, minutes and class words."""
    start, end = _unglue(text, start, end)
    start, end = _strip_edges(text, start, end)
    if (minute := _MINUTE.search(text, start, end)) is not None and minute.start() > start:
        end = minute.start()
    if (kind := _LEADING_CLASS.match(text[start:end])) is not None:
        start += kind.end()
    if text.startswith(".", end) and _COMPANY_ABBREVIATION.search(text, start, end):
        # "Fisker Inc." tagged without its dot: the abbreviation's dot is part of the name.
        end += 1
    return start, end


def _after_demonym(text: str, start: int, end: int, label: str, lexicon: Lexicon) -> tuple[int, str]:
    """Start and label once a leading nationality is dropped: "le Serbe Novak Djokovic"."""
    first, _, rest = text[start:end].partition(" ")
    if not rest[:1].isupper() or not _demonym_word(first, lexicon):
        return start, label
    # "du Chinois ByteDance": the nationality, then the name; with a full name it is a person.
    words = rest.split()
    return start + len(first) + 1, "PER" if len(words) > 1 and all(w[:1].isupper() for w in words) else label


def _pieces(text: str, ent: Span, lexicon: Lexicon) -> list[Candidate]:
    ruler = ent.ent_id_.startswith(RULER_PREFIX)
    found: list[Candidate] = []
    begin = ent.start_char
    if ent.label_ == "PER":
        # "David-Xavier Weiss" tagged from "Xavier": the hyphenated first name is part of it.
        before = _HYPHEN_FIRST.search(text, max(0, begin - 24), begin)
        if before is not None:
            begin = before.start()
    # A name never crosses a line or paragraph break: each line of the span stands alone.
    for line in _PIECES.finditer(text, begin, ent.end_char):
        start, end = _trimmed(text, line.start(), line.end())
        label = ent.label_
        if label == "MISC" and not ruler and (tail := _LOWER_TAIL.search(text, start, end)) is not None:
            end = tail.start()
        republic = _REPUBLIC_OF.match(text, start, end)
        prosecutor = republic and (
            republic.group("prosecutor") or _PROSECUTOR_BEFORE.search(text, max(0, start - 24), start)
        )
        if republic and prosecutor:
            # "le procureur de la République de Nîmes": the prosecutor's town is the only name.
            start, label = republic.end(), "LOC"
        start, end, honorific = _strip_prefixes(text, start, end, lexicon)
        if start >= end:
            continue
        start, label = _after_demonym(text, start, end, label, lexicon)
        # "MM. Poutine et Erdogan" names two people; a spaced dash always separates phrases.
        splitter = _PERSON_LIST if label == "PER" else _SPACED_DASH
        parts = []
        pos = start
        for sep in splitter.finditer(text, start, end):
            parts.append((pos, sep.start()))
            pos = sep.end()
        parts.append((pos, end))
        for p_start, p_end in parts:
            s, e = _strip_edges(text, p_start, p_end)
            # "Agnès Buzyn - Ministre de la Santé": the part after the dash is a role.
            if s < e and fold(text[s:e]).split()[0] not in lexicon.roles:
                found.append(Candidate(s, e, text[s:e], label, ruler=ruler, honorific=honorific))
    return found


# "Dott et Lime" taken as one span: a known name inside a coordination is a name of its own.
_COORDINATED = re.compile(r"\s(?:et|ou|&)\s|,\s")


def _overlaps(a: Candidate, b: Candidate) -> bool:
    return a.start < b.end and b.start < a.end


def _at_dash(container: Candidate, rule: Candidate) -> bool:
    """True when `rule` ends or starts at a dash inside `container`: one side of "Lens-Lille"."""
    before = container.text[rule.start - container.start - 1 : rule.start - container.start]
    after = container.text[rule.end - container.start : rule.end - container.start + 1]
    return "-" in (before, after)


# The lower-case end of a portfolio or a department's name: "des Situations d'urgence", "des
# Anciens combattants"; a few words, no capital, digit or line break.
_LOWER_NAME_TAIL = re.compile(r"(?:\s+[a-zà-ÿ][a-zà-ÿ\-]*(?:['\u2019][a-zà-ÿ][a-zà-ÿ\-]*)?){1,4}")


def _with_lower_tail(institution: Candidate, model: list[Candidate]) -> None:
    """Run an institution on to the end of a model ORG span that starts with it, in lower case."""
    for cand in model:
        if cand.label != "ORG" or cand.start != institution.start or cand.end <= institution.end:
            continue
        tail = cand.text[institution.end - institution.start :]
        if _LOWER_NAME_TAIL.fullmatch(tail):
            institution.end = cand.end
            institution.text = cand.text


def _with_known(
    model: list[Candidate], institutions: list[Candidate], known: list[Candidate]
) -> list[Candidate]:
    """Model spans merged with rule spans, in body order.

    An institution wins over anything it overlaps; a known name wins over the model spans it
    overlaps unless one strictly contains it ("Chelsea Clinton" keeps "Chelsea").
    """
    for inst in institutions:
        _with_lower_tail(inst, model)
        # "ministère de l'Immigration Alexandros Ragavas": the person the model found ends it.
        person = [c.start for c in model if c.label == "PER" and inst.start < c.start < inst.end]
        cut = inst.text[: min(person) - inst.start].rstrip(" ,") if person else inst.text
        if any(ch.isupper() for ch in cut[1:]):
            # Only when a name is left after the head: "lycée Victor-Hugo" stays whole.
            inst.end = inst.start + len(cut)
            inst.text = cut
    rules = list(institutions)
    rules += [k for k in known if not any(_overlaps(k, i) for i in institutions)]
    kept = [c for c in model if not any(_overlaps(c, i) for i in institutions)]
    final_rules = []
    for rule in rules[len(institutions) :]:
        container = [
            c
            for c in kept
            if c.start <= rule.start and rule.end <= c.end and c.end - c.start > rule.end - rule.start
        ]
        if container and not any(
            c.ruler or _COORDINATED.search(c.text) or _at_dash(c, rule) for c in container
        ):
            continue
        kept = [c for c in kept if not _overlaps(c, rule)]
        final_rules.append(rule)
    return sorted(kept + institutions + final_rules, key=lambda c: c.start)


_NEXT_WORD = re.compile(r"\s+([a-zéèêëàâîïôûç\-]+)\b")


def _with_country_adjective(text: str, institution: Candidate, lexicon: Lexicon) -> Candidate:
    """Run a ministry on through its country's adjective: "ministère de l'Intérieur indien"."""
    if fold(institution.text).startswith("ministere") and (
        (after := _NEXT_WORD.match(text, institution.end)) is not None
        and fold(after.group(1)) in lexicon.demonym_country
    ):
        institution.end = after.end(1)
        institution.text = text[institution.start : institution.end]
    return institution


# A magazine named by a presentative word: "Voici" is the magazine in "selon Voici", "Voici
# rapporte que", and the word in "Voici la réponse", "Voici comment".
_PRESENTATIVES = frozenset({"Voici", "Voilà"})
_PRESENTED = re.compile(
    r"\s+(?:le|la|les|l['\u2019]|un|une|des|du|ce|cet|cette|ces|mon|ma|mes|ton|ta|tes|son|sa|ses|notre|nos|"
    r"votre|vos|leur|leurs|comment|pourquoi|quand|où|qui|que|quoi|quelques|plusieurs|enfin|donc|déjà|\d)",
    re.IGNORECASE,
)


def _named_by_known(text: str, institution: Candidate, known: Candidate) -> bool:
    """True for "l'institut Ifop": a head word, then a name the gazetteer knows, which is the name."""
    if known.end != institution.end or known.start <= institution.start:
        return False
    head = text[institution.start : known.start]
    return len(head.split()) == 1 and head[:1].islower()


# A model's code: a word with a digit or in capitals ("V4", "ST", "F"), never part of a person's name.
_MODEL_CODE = re.compile(r"\b(?:[\w\-]*\d[\w\-]*|[A-Z]{1,4})\b")


def _model_as_person(person: Candidate, product: Candidate) -> bool:
    """True when the model took a make's model for a person ("Dogma F"), not a driver ("Charles Leclerc")."""
    inside = product.start <= person.start and person.end <= product.end
    return inside and _MODEL_CODE.fullmatch(person.text.split()[-1]) is not None


_NEXT_NAME = re.compile(r"[ \t]+([A-ZÀ-Ý][\w\-]+)")


def _with_country(text: str, known: Candidate, lexicon: Lexicon) -> Candidate:
    """A known company or make runs on through a country right after it: its subsidiary there.

    "Google France", "Honda Australie" are the branches (ORG); not a media's or a club's name
    ("RT France" is listed whole, "le PSG Espagne" is no name).
    """
    if known.label != "ORG":
        return known
    folded = fold(known.text)
    if folded in lexicon.gazetteer.media or folded in lexicon.gazetteer.clubs:
        return known
    after = _NEXT_NAME.match(text, known.end)
    if after is None or fold(after.group(1)) not in lexicon.countries:
        return known
    end = after.end(1)
    if end < len(text) and (text[end].isalnum() or text[end] in "-_"):
        return known
    return Candidate(known.start, end, text[known.start : end], "ORG", ruler=True)


_KIND_THEN_NAME = re.compile(r"\S+\s+(?=[A-ZÀ-Ý0-9])")


def _event_name_found(event: Candidate, model: list[Candidate]) -> bool:
    """True for "le festival Sundance" where the model found a name starting at "Sundance"."""
    direct = _KIND_THEN_NAME.match(event.text)
    return direct is not None and any(c.start == event.start + direct.end() for c in model)


def _name_found(place: Candidate, model: list[Candidate]) -> bool:
    """True for "île de Java" where the model found "Java" (not as a person): the name is the place."""
    found = natural_place_name(place.text)
    if found is None:
        return False
    offset, of = found
    start = place.start + offset
    name = place.text[offset:]
    if of:
        return any(
            c.label != "PER" and ((c.start < place.end and start < c.end) or c.text == name) for c in model
        )
    return any(c.label in {"ORG", "MISC"} and c.start == start and c.end == place.end for c in model)


def candidates(doc: Doc, text: str, lexicon: Lexicon) -> list[Candidate]:
    """Repaired, filtered mentions of the model's spans in `text` (the doc's text), in body order.

    Institutions with their place ("CHU de Bordeaux") and the gazetteer's names ("Cholet
    Basket", "Santé publique France") are found by rules and take precedence over the model.
    """
    kept: list[Candidate] = []
    for ent in doc.ents:
        if ent.label_ not in LABELS:
            continue
        for cand in _pieces(text, ent, lexicon):
            accepted = _accept(doc, text, cand, lexicon)
            if accepted is not None:
                kept.append(accepted)
    known = [
        k
        for k in known_spans(text, lexicon.gazetteer)
        if not _agency_credit(text, k)
        and not (_COMPASS.match(k.text) and _DIRECTION_BEFORE.search(text, max(0, k.start - 8), k.start))
        and not (k.text in _PRESENTATIVES and _PRESENTED.match(text, k.end))
    ]
    known = [_with_country(text, k, lexicon) for k in known]
    found = [
        _with_country_adjective(text, i, lexicon)
        for i in institution_spans(text)
        if not any(_named_by_known(text, i, k) for k in known)
    ] + [
        # "Quai d'Orsay", "place Beauvau": a seat of power the gazetteer knows is the body it houses.
        s
        for s in street_spans(text, lexicon.gazetteer.places)
        if fold(s.text) not in lexicon.gazetteer.known and not _name_found(s, kept)
    ]
    found += association_spans(text)
    # "le festival Sundance" where the model found "Sundance": the name alone is the event.
    found += [e for e in event_spans(text, lexicon.gazetteer.known) if not _event_name_found(e, kept)]
    found += work_spans(text, lexicon.gazetteer)
    # "le pilote Ferrari Charles Leclerc": a person the model found is no model name.
    found += [
        p
        for p in product_spans(text, lexicon.gazetteer, lexicon.countries)
        if not any(c.label == "PER" and _overlaps(c, p) and not _model_as_person(c, p) for c in kept)
    ]
    rules = sorted(found, key=lambda c: (c.start, c.start - c.end))
    rules = [r for i, r in enumerate(rules) if not any(_overlaps(r, o) for o in rules[:i])]
    clubs = club_spans(text, lexicon.gazetteer, lexicon.places, lexicon.countries)
    return _with_known(kept, rules, clubs + [k for k in known if not any(_overlaps(k, c) for c in clubs)])
