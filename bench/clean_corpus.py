"""Whole-page corpus for the clean stage: real OrangeSum articles wrapped in made-up site clutter.

    python -m bench.clean_corpus [--shared ../shared] [--count 360] [--out build/clean_corpus]

Each page holds one OrangeSum article (title, chapô = the corpus' `heading`, body = `article` cut
into paragraphs where the corpus glued them, "Pyrénées.Alors") in the clutter of one of the site
templates below: menus, kickers, bylines and dates in many French formats, share bars, captions,
ads, "Lire aussi", most-read lists, tags, newsletter and paywall prompts, cookie banners,
comments, video and slideshow UI, pull quotes, disclaimers, author bios, footers. The seeded RNG
picks the clutter of every page, so the same command gives the same pages. The article text is
never altered: the traps come from the real text itself.

Labels are known by construction and written in the gold format of ../shared/gold/FORMAT.md, with
`input` holding the page text and the extra fields `site` (template key), `genre` (the OrangeSum
section mapped to a coarse genre), `split`, `orangesum_id` and `held_out_site`. The chapô is
labelled `body` (it is article prose); entities, topics, summary and quotes are not annotated.
Gold `metadata.published` is the publication date shown on the page (ISO, with the time when the
page shows one), `updated` the update date; both null when the page shows none.

Split: articles of OrangeSum `heading_train`/`title_train` give `dev` pages, `*_valid` ones
`test` pages. Six templates are held out: they are never used for dev and make half of the test
pages, so the test split measures generalisation to unseen site styles.

OrangeSum (Kamal Eddine, Tixier, Vazirgiannis, EMNLP 2021) is CC BY-SA 4.0: its texts are never
written into the repository. The bench builds the pages in memory (`generated_pages`); `--out`
writes them for inspection to a folder outside git (build/ is ignored).
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bench._common import DEFAULT_SHARED, ROOT, orangesum_docs, print_table

SEED = 20250205
DEFAULT_COUNT = 360
DEV_SHARE = 0.55
HELD_OUT_SHARE = 0.5
WRITTEN = ROOT / "bench" / "data" / "clean" / "written"
DEFAULT_OUT = ROOT / "build" / "clean_corpus"
_MIN_WORDS, _MAX_WORDS = 60, 900

# Where the corpus glued two paragraphs ("Pyrénées.Alors"); bench/quality_clean.py splits with it too.
GLUED = re.compile(r"(?<=[a-zà-ÿ0-9)][.!?])(?=[A-ZÀÂÉÈÊÎÔÛÇ«\"-])|(?<=[.!?][\"»])(?=[A-ZÀÂÉÈÊÎÔÛÇ«\"-])")

NAV, SHARE, AD, CAPTION, RELATED = "navigation", "share", "advertisement", "caption", "related"
BYLINE, BIO, ENGAGE, DUP, BODY, TITLE = "byline", "author_bio", "engagement", "duplicate", "body", "title"

Line = tuple[str, str]

GENRES = {
    "/france/": "national",
    "/monde/": "international",
    "/politique/": "politics",
    "/societe/fait-divers/": "faits_divers",
    "/societe/sante/": "society",
    "/societe/environnement/": "society",
    "/societe/insolite/": "society",
    "/societe/people/": "people_media",
    "/societe/media/": "people_media",
    "/societe/culture/": "culture",
    "/societe/high-tech/": "tech",
}
SECTION_LABELS = {
    "/france/": "France",
    "/monde/": "International",
    "/politique/": "Politique",
    "/societe/fait-divers/": "Faits divers",
    "/societe/sante/": "Santé",
    "/societe/environnement/": "Planète",
    "/societe/insolite/": "Insolite",
    "/societe/people/": "People",
    "/societe/media/": "Médias",
    "/societe/culture/": "Culture",
    "/societe/high-tech/": "High-tech",
}
GENRE_TAGS = {
    "national": ["Société", "France", "Justice", "Transports", "Éducation"],
    "international": ["International", "Europe", "Diplomatie", "Conflits", "États-Unis"],
    "politics": ["Politique", "Gouvernement", "Assemblée nationale", "Élections", "Réforme"],
    "faits_divers": ["Faits divers", "Justice", "Police", "Gendarmerie", "Enquête"],
    "society": ["Société", "Santé", "Environnement", "Climat", "Insolite"],
    "people_media": ["People", "Télévision", "Médias", "Célébrités", "Séries"],
    "culture": ["Culture", "Cinéma", "Musique", "Livres", "Expositions"],
    "tech": ["High-tech", "Numérique", "Smartphones", "Réseaux sociaux", "Intelligence artificielle"],
    "auto": ["Automobile", "Essais", "Voiture électrique", "Salon de l'auto", "Constructeurs"],
}


def genre_of(section: str) -> str:
    """The coarse genre of an OrangeSum section (auto.orange.fr pages are `auto`)."""
    return "auto" if "auto.orange.fr" in section else GENRES.get(section, "national")


def paragraphs(article: str) -> list[str]:
    """The article cut where the corpus glued its paragraphs.

    A quotation mark cut off on its own ('dit."Le' splits on both sides of '"') goes back to the
    paragraph it closes, or forward to the one it opens; a closing mark cut from its sentence
    ('que ?", a indiqué') goes back with the rest of the sentence.
    """
    parts: list[str] = []
    pending = ""
    for piece in GLUED.split(article):
        part = piece.strip()
        if parts and not pending and part.startswith('"') and parts[-1].count('"') % 2:
            parts[-1] += '"'
            rest = part[1:]
            if rest and not re.match(r"[A-ZÀÂÉÈÊÎÔÛÇ«\"-]", rest):
                parts[-1] += rest
                continue
            part = rest.strip()
        if not part:
            continue
        if not re.search(r"\w", part):
            if parts and parts[-1].count('"') % 2:
                parts[-1] += part
            else:
                pending += part
            continue
        parts.append(pending + part)
        pending = ""
    if pending and parts:
        parts[-1] += pending
    return parts


# --- vocabulary -----------------------------------------------------------------------------------

_NAMES = {
    "fr": (
        [("Marie", "f"), ("Julien", "m"), ("Camille", "f"), ("Thomas", "m"), ("Sophie", "f"), ("Nicolas", "m"),
         ("Claire", "f"), ("Antoine", "m"), ("Élodie", "f"), ("Maxime", "m"), ("Aurélie", "f"), ("Guillaume", "m"),
         ("Pauline", "f"), ("Mathieu", "m"), ("Chloé", "f"), ("Hugo", "m"), ("Inès", "f"), ("Karim", "m"),
         ("Anne-Sophie", "f"), ("Pierre-Yves", "m"), ("Sandrine", "f"), ("Benoît", "m"), ("Léa", "f"), ("Rachid", "m")],
        ["Dupont", "Lefèvre", "Moreau", "Girard", "Roux", "Fontaine", "Chevalier", "Garnier", "Lambert", "Faure",
         "Rousseau", "Guérin", "Perrin", "Morel", "Mercier", "Bonnet", "Benali", "Lemaire", "Barbier", "Le Goff"],
    ),
    "qc": (
        [("Geneviève", "f"), ("Jean-François", "m"), ("Marc-André", "m"), ("Isabelle", "f"), ("Étienne", "m"),
         ("Catherine", "f"), ("Simon", "m"), ("Mélanie", "f")],
        ["Tremblay", "Gagnon", "Bouchard", "Côté", "Pelletier", "Bélanger", "Lavoie", "Fortin"],
    ),
    "af": (
        [("Aminata", "f"), ("Mamadou", "m"), ("Fatou", "f"), ("Moussa", "m"), ("Aïcha", "f"), ("Ibrahima", "m"),
         ("Mariam", "f"), ("Yao", "m")],
        ["Diallo", "Traoré", "Koné", "Ndiaye", "Kouassi", "Sow", "Ouattara", "Diop"],
    ),
    "be": (
        [("Sarah", "f"), ("Maxime", "m"), ("Laura", "f"), ("Kevin", "m"), ("Justine", "f"), ("Arnaud", "m")],
        ["Peeters", "Janssens", "Claes", "Dubois", "Lambert", "Wouters", "Maes", "Jacobs"],
    ),
    "ch": (
        [("Nathalie", "f"), ("Yves", "m"), ("Céline", "f"), ("Patrick", "m"), ("Anouk", "f"), ("Lionel", "m")],
        ["Favre", "Rochat", "Schneider", "Bonvin", "Mottier", "Rey", "Baumann", "Python"],
    ),
}  # fmt: skip
_PHOTOGRAPHERS = ["Ludovic Marin", "Jeff Pachoud", "Loïc Venance", "Nicolas Tucat", "Sébastien Bozon",
                  "Christophe Archambault", "Valentine Chapuis", "Fred Tanneau", "Denis Charlet", "Jean-Pierre Clatot"]  # fmt: skip
_CITIES = [
    "Paris",
    "Lyon",
    "Marseille",
    "Toulouse",
    "Nantes",
    "Bordeaux",
    "Lille",
    "Strasbourg",
    "Rennes",
    "Montpellier",
]
_CITIES_EN = [("Paris", "France"), ("Brussels", "Belgium"), ("Geneva", "Switzerland"), ("Lyon", "France"),
              ("Marseille", "France"), ("Berlin", "Germany"), ("London", "Britain"), ("Madrid", "Spain")]  # fmt: skip
_MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"]  # fmt: skip
_MONTHS_ABBR = [
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
]
_MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December"]  # fmt: skip
_WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]

_CAPTIONS_FR = [
    "Photo d'illustration.",
    "Image d'illustration.",
    "Photo d'archives.",
    "Une vue de {city}, le {day}.",
    "Des policiers à {city}, le {day}.",
    "Des passants dans une rue de {city}.",
    "Les secours sur place, {weekday} soir.",
    "Lors d'une conférence de presse à {city}, le {day}.",
    "Le site concerné, photographié en {year}.",
    "Le Palais-Bourbon, siège de l'Assemblée nationale, à Paris.",
    "Les faits se sont déroulés en début de soirée.",
]
_CAPTIONS_EN = [
    "A general view of {city} on {month} {d}, {y}.",
    "People walk in a street of {city}, {country}, {month} {d}, {y}.",
    "Police officers stand guard in {city} on {month} {d}, {y}.",
    "FILE PHOTO: A sign is pictured in {city}, {country}, {month} {d}, {y}.",
    "Demonstrators gather in front of the city hall in {city}, {country}, on {month} {d}, {y}.",
]
_ADS = ["PUBLICITÉ", "Publicité", "PUBLICITE", "Pub", "ADVERTISEMENT", "Annonce", "Sponsorisé",
        "La suite après cette publicité", "La suite après la publicité", "Publicité - Poursuivez votre lecture ci-dessous"]  # fmt: skip
_CLICKBAIT = [
    "Ce retraité a trouvé une astuce pour diviser sa facture d'électricité par deux",
    "Les propriétaires de maison n'en reviennent pas : cette aide de l'État couvre presque tout",
    "Voici combien coûte vraiment une rénovation de toiture cette année",
    "Cette crème venue de Corée fait un tabac chez les plus de 50 ans",
    "Pourquoi tout le monde s'arrache ces chaussures orthopédiques",
    "Jeu : seuls 2 % des Français trouvent la bonne réponse",
    "Mutuelle senior : comparez les offres avant la hausse des tarifs",
]
_COMMENTS = [
    "Encore une fois, ce sont toujours les mêmes qui paient. Lamentable.",
    "Merci pour cet article très complet, enfin une info claire.",
    "Et pendant ce temps-là, les vrais problèmes ne sont toujours pas réglés...",
    "Je ne vois pas pourquoi on en fait tout un plat, c'était prévisible depuis des mois.",
    "Quelle honte ! Il faudrait que les responsables rendent enfin des comptes.",
    "On attend toujours les résultats de l'enquête promise l'an dernier.",
    "Article intéressant mais il manque l'avis des premiers concernés.",
    "Tout cela va encore coûter une fortune au contribuable.",
    "Bravo à tous ceux qui se sont mobilisés, ça fait plaisir à lire.",
    "Je vis dans la région depuis trente ans et je n'avais jamais vu ça.",
    "Il serait temps que le gouvernement prenne ses responsabilités.",
    "Pas un mot sur les conséquences pour les familles, c'est dommage.",
    "Ça ne m'étonne pas du tout, on le disait déjà il y a cinq ans.",
]
_USERS = ["Jipé75", "citoyen_lambda", "Marco13", "La Bretonne", "Vérité", "Papy Joe", "Abdou221", "Ti-Guy",
          "Sylvie M.", "lecteur84", "Bruxellois", "Le Vaudois"]  # fmt: skip
_COOKIES = [
    ["Nous utilisons des cookies pour vous offrir la meilleure expérience sur notre site. En continuant votre navigation, vous acceptez leur utilisation.",
     "Accepter", "Paramétrer"],
    ["Vos choix concernant les cookies",
     "Avec votre accord, nos partenaires et nous utilisons des cookies ou technologies similaires pour stocker et accéder à des informations personnelles comme votre visite sur ce site.",
     "Accepter et fermer", "Continuer sans accepter", "Personnaliser mes choix"],
    ["En poursuivant votre navigation sur ce site, vous acceptez l'utilisation de cookies pour vous proposer des contenus et services adaptés à vos centres d'intérêt.",
     "OK"],
    ["Le respect de votre vie privée est notre priorité",
     "Nous et nos partenaires stockons et accédons à des informations non sensibles sur votre appareil, comme les cookies, pour mesurer l'audience et personnaliser les publicités.",
     "J'accepte", "Je refuse", "En savoir plus"],
]  # fmt: skip
_NEWSLETTERS = [
    ["Newsletter", "Recevez chaque matin l'essentiel de l'actualité.", "Votre adresse e-mail", "S'inscrire",
     "En vous inscrivant, vous acceptez nos conditions générales d'utilisation et notre politique de confidentialité."],
    ["Le Brief du matin", "Toute l'actualité de votre région dans votre boîte mail, chaque jour à 7 heures.", "Je m'inscris"],
    ["Inscrivez-vous gratuitement à la newsletter de {site} et recevez les informations essentielles de la journée."],
    ["Cet article vous a plu ? Recevez nos meilleurs articles chaque semaine.", "Je m'abonne à la newsletter"],
    ["Restez informé", "Les informations essentielles de la journée, en un seul mail, à 18 heures.", "Votre e-mail", "OK"],
]  # fmt: skip
_BIOS = [
    "{name} est journaliste au service {section} de {site} depuis {year}. {pron} couvre notamment l'actualité {topic}.",
    "Diplômé{e} de l'école de journalisme de Lille, {name} a rejoint {site} en {year} après plusieurs années en presse régionale.",
    "{name} suit l'actualité {topic} pour {site}. {pron} a auparavant travaillé pour plusieurs titres de la presse quotidienne.",
]
_BIO_TOPICS = ["politique", "sociale", "internationale", "judiciaire", "culturelle", "économique", "locale"]


def _fmt_date(d: date, style: str) -> str:
    day1 = "1er" if d.day == 1 else str(d.day)
    styles = {
        "dmy": f"{d.day:02d}/{d.month:02d}/{d.year}",
        "dmy1": f"{d.day}/{d.month}/{d.year}",
        "dmy2": f"{d.day:02d}/{d.month:02d}/{d.year % 100:02d}",
        "dot": f"{d.day:02d}.{d.month:02d}.{d.year}",
        "dot2": f"{d.day:02d}.{d.month:02d}.{d.year % 100:02d}",
        "dash": f"{d.day:02d}-{d.month:02d}-{d.year}",
        "long": f"{day1} {_MONTHS[d.month - 1]} {d.year}",
        "long0": f"{d.day:02d} {_MONTHS[d.month - 1]} {d.year}",
        "abbr": f"{d.day} {_MONTHS_ABBR[d.month - 1]} {d.year}",
        "wlong": f"{_WEEKDAYS[d.weekday()]} {day1} {_MONTHS[d.month - 1]} {d.year}",
        "Wlong": f"{_WEEKDAYS[d.weekday()].capitalize()} {d.day:02d} {_MONTHS[d.month - 1].capitalize()} {d.year}",
        "iso": d.isoformat(),
        "upper": f"{day1} {_MONTHS[d.month - 1]} {d.year}".upper(),
    }
    return styles[style]


def _fmt_time(hour: int, minute: int, style: str) -> str:
    styles = {
        "h": f"{hour}h{minute:02d}",
        "hh": f"{hour:02d}h{minute:02d}",
        "H": f"{hour:02d}H{minute:02d}",
        "colon": f"{hour:02d}:{minute:02d}",
        "colon1": f"{hour}:{minute:02d}",
        "sp": f"{hour} h {minute:02d}",
    }
    return styles[style]


# --- a page under construction --------------------------------------------------------------------


@dataclass(frozen=True)
class Template:
    """A made-up site: key, display name, kind, country, whether test-only, and its renderer."""

    key: str
    name: str
    kind: str
    country: str
    held_out: bool
    render: Callable[[Page], None]
    spacing: str = "mixed"
    names: str = "fr"
    indent: bool = False
    genres: frozenset[str] = frozenset()


class Page:
    """One page being built: the article, the seeded choices and the labelled lines so far."""

    def __init__(
        self, rng: random.Random, doc: dict[str, Any], template: Template, others: list[str]
    ) -> None:
        self.rng = rng
        self.doc = doc
        self.site = template.name
        self.template = template
        self.others = others
        self.rows: list[Line | None] = []
        self.title: str | None = None
        self.meta: dict[str, Any] = {
            "byline": None,
            "source": None,
            "published": None,
            "updated": None,
            "credits": [],
        }
        self.paragraphs = paragraphs(doc["article"])
        self.section = SECTION_LABELS.get(doc["section"], "Auto" if "auto" in doc["section"] else "Actualité")
        self.genre = genre_of(doc["section"])
        self.day = date.fromisoformat(doc["date"])
        self.time = (rng.randint(5, 21), rng.randrange(60))
        gap = rng.choice((0, 0, 1, 1, 2))
        self.update_day = self.day + timedelta(days=gap)
        self.update_time = (
            rng.randint(self.time[0] + 1, 23) if gap == 0 else rng.randint(5, 23),
            rng.randrange(60),
        )
        self.has_update = rng.random() < 0.6
        firsts, lasts = _NAMES[template.names]
        (first, self.gender), (first2, _) = rng.sample(firsts, 2)
        last, last2 = rng.sample(lasts, 2)
        self.author = f"{first} {last}"
        self.author2 = f"{first2} {last2}"
        self.initials = f"{first[0]}.{last[0]}."
        self.headline_text = " ".join(doc["title"].split())
        self._used = {self.headline_text}

    # choices
    def chance(self, p: float) -> bool:
        """True with probability p."""
        return self.rng.random() < p

    def pick(self, options: list[Any] | tuple[Any, ...]) -> Any:
        """One of the options."""
        return self.rng.choice(options)

    def other(self) -> str:
        """The title of another article, not used on this page yet."""
        while True:
            title = self.pick(self.others)
            if title not in self._used:
                self._used.add(title)
                return title

    # lines
    def add(self, *lines: Line, gap: bool | None = None) -> None:
        """Append lines as one block, then a blank line as the site's spacing says."""
        for text, label in lines:
            assert text.strip(), label
            assert "\n" not in text, text
            indent = "  " if self.template.indent and self.chance(0.2) else ""
            self.rows.append((indent + text, label))
        if gap is None:
            spacing = self.template.spacing
            gap = spacing == "double" or (spacing == "mixed" and self.chance(0.5))
        if gap:
            self.rows.append(None)

    def lines(self, label: str, *texts: str) -> None:
        """Append texts with one label as one block."""
        self.add(*((text, label) for text in texts))

    def headline(self, prefix: str = "") -> None:
        """The title line (first occurrence), maybe with a kicker glued in front."""
        self.title = prefix + self.headline_text
        self.add((self.title, TITLE))

    def title_again(self, label: str = DUP, form: str = "{}") -> None:
        """A later repeat of the title."""
        self.add((form.format(self.headline_text), label))

    def chapo(self) -> None:
        """The chapô (OrangeSum `heading`), article prose."""
        self.add((self.doc["heading"], BODY))

    def byline(self, text: str, name: str | None = None) -> None:
        """A byline line; `name` (default: the text) is the gold byline when none is set yet."""
        self.add((text, BYLINE))
        self.set_byline(name or text)

    def set_byline(self, name: str) -> None:
        """Record the gold byline unless one is recorded."""
        if self.meta["byline"] is None:
            self.meta["byline"] = name

    def when(
        self, dstyle: str, tstyle: str | None = None, joiner: str = " à ", *, updated: bool = False
    ) -> str:
        """The publication (or update) date as the page shows it; records the gold date."""
        day, (hour, minute) = (self.update_day, self.update_time) if updated else (self.day, self.time)
        text = _fmt_date(day, dstyle)
        iso = day.isoformat()
        if tstyle:
            text += joiner + _fmt_time(hour, minute, tstyle)
            iso += f"T{hour:02d}:{minute:02d}:00"
        key = "updated" if updated else "published"
        if self.meta[key] is None:
            self.meta[key] = iso
        return text

    def credit(self, agencies: tuple[str, ...] = ("AFP", "Reuters", "MAXPPP", "Hans Lucas", "SIPA")) -> str:
        """A photo credit, recorded in the gold metadata."""
        text = f"{self.pick(_PHOTOGRAPHERS)} / {self.pick(agencies)}"
        self.meta["credits"].append(text)
        return text

    def credited(self, form: str, agencies: tuple[str, ...] = ("AFP",)) -> str:
        """A credit in the site's form ({name}, {agency}), recorded in the gold metadata."""
        text = form.format(name=self.pick(_PHOTOGRAPHERS), agency=self.pick(agencies))
        self.meta["credits"].append(text)
        return text

    def caption_text(self) -> str:
        """A French caption that could go with any article."""
        shot = self.day - timedelta(days=self.rng.randint(0, 3))
        return self.pick(_CAPTIONS_FR).format(
            city=self.pick(_CITIES),
            day=_fmt_date(shot, "long"),
            weekday=_WEEKDAYS[shot.weekday()],
            year=self.day.year - self.rng.randint(1, 6),
        )

    def caption_en(self) -> str:
        """An English agency caption with its credit."""
        shot = self.day - timedelta(days=self.rng.randint(0, 3))
        city, country = self.pick(_CITIES_EN)
        text = self.pick(_CAPTIONS_EN).format(
            city=city, country=country, month=_MONTHS_EN[shot.month - 1], d=shot.day, y=shot.year
        )
        photographer = self.pick(_PHOTOGRAPHERS)
        form = self.pick(
            ["(Photo by {up} / AFP)", "REUTERS/{name}", "(AP Photo/{name})", "Photo: {name}/Getty Images"]
        )
        credit = form.format(up=photographer.upper(), name=photographer)
        self.meta["credits"].append(credit.strip("()"))
        return f"{text} {credit}"

    def ad(self, options: list[str] | None = None) -> None:
        """An ad marker."""
        self.add((self.pick(options or _ADS), AD))

    def related(self, form: str) -> None:
        """One "Lire aussi"-style link; `form` holds {} for the linked title."""
        self.add((form.format(self.other()), RELATED))

    def related_list(self, header: str | None, n: int, form: str = "{t}", label: str = RELATED) -> None:
        """A header and n linked titles (`form` may use {i} and {t})."""
        lines = [(header, label)] if header else []
        lines += [(form.format(i=i, t=self.other()), label) for i in range(1, n + 1)]
        self.add(*lines)

    def tags(self, form: str, sep: str = ", ", n: int = 3) -> None:
        """A tag line built from the genre's tags and the title's proper names."""
        names = re.findall(r"(?<=\s)[A-ZÉÈÀ][\w-]{3,}", self.headline_text)[:2]
        tags = list(dict.fromkeys([*self.rng.sample(GENRE_TAGS[self.genre], n), *names]))
        self.add((form.format(sep.join(tags)), NAV))

    def cookie(self, options: list[list[str]] | None = None) -> None:
        """A cookie banner."""
        self.lines(ENGAGE, *self.pick(options or _COOKIES))

    def newsletter(self) -> None:
        """A newsletter pitch."""
        self.lines(ENGAGE, *(text.format(site=self.site) for text in self.pick(_NEWSLETTERS)))

    def comments(self, header: str, ui: tuple[str, ...] = ("Répondre", "Signaler")) -> None:
        """A comment thread: header, then one to three comments with their UI words."""
        self.add((header, ENGAGE))
        for text in self.rng.sample(_COMMENTS, self.rng.randint(1, 3)):
            ago = self.pick(
                ["il y a 2 heures", "il y a 35 min", "hier", f"le {_fmt_date(self.update_day, 'dmy')}"]
            )
            self.add((f"{self.pick(_USERS)} · {ago}" if self.chance(0.5) else self.pick(_USERS), ENGAGE))
            self.add((text, ENGAGE), *((u, ENGAGE) for u in ui if self.chance(0.6)))

    def bio(self) -> None:
        """A short biography of the author."""
        text = self.pick(_BIOS).format(
            name=self.author,
            section=self.section.lower(),
            site=self.site,
            year=self.day.year - self.rng.randint(2, 15),
            pron="Elle" if self.gender == "f" else "Il",
            e="e" if self.gender == "f" else "",
            topic=self.pick(_BIO_TOPICS),
        )
        self.add((text, BIO))

    def pull_quote(self) -> str | None:
        """A quote or sentence of the body, to repeat as a pull quote (label duplicate)."""
        body = " ".join(self.paragraphs)
        quotes = [
            next(g for g in m.groups() if g)
            for m in re.finditer(r"«\s*([^»]{30,200}?)\s*»|\"([^\"]{30,200})\"|“([^”]{30,200})”", body)
        ]
        if quotes:
            return str(self.pick(quotes)).strip()
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", body) if 8 <= len(s.split()) <= 30]
        return str(self.pick(sentences)) if sentences else None

    def quote_box(self, form: str = "« {} »", attribution: str | None = None) -> None:
        """A pull quote repeating the body."""
        quote = self.pull_quote()
        if quote:
            lines = [(form.format(quote), DUP)]
            if attribution:
                lines.append((attribution, DUP))
            self.add(*lines)

    def body(self, *inserts: Callable[[], None], first: int = 1) -> None:
        """The article paragraphs with the inserts placed between them at seeded positions."""
        n = len(self.paragraphs)
        slots: dict[int, list[Callable[[], None]]] = {}
        for insert in inserts:
            at = self.rng.randint(min(first, n), max(min(first, n), n - 1)) if n > 1 else n
            slots.setdefault(at, []).append(insert)
        for i, paragraph in enumerate(self.paragraphs):
            for insert in slots.get(i, []):
                insert()
            self.add((paragraph, BODY))
        for insert in slots.get(n, []):
            insert()

    def render(self) -> tuple[str, list[dict[str, Any]]]:
        """The page text and its gold lines (numbered as `cat -n`, blank lines unlisted)."""
        rows = list(self.rows)
        if self.chance(0.2):
            rows.insert(0, None)
        rows += [None] * self.rng.choice((0, 0, 1, 3))
        text = "\n".join(row[0] if row else "" for row in rows)
        lines = [
            {"n": n, "text": row[0].strip(), "label": row[1]} for n, row in enumerate(rows, start=1) if row
        ]
        return text, lines


# --- the site templates ---------------------------------------------------------------------------

TEMPLATES: dict[str, Template] = {}


def _site(
    key: str,
    name: str,
    kind: str,
    country: str,
    *,
    held_out: bool = False,
    spacing: str = "mixed",
    names: str = "fr",
    indent: bool = False,
    genres: tuple[str, ...] = (),
) -> Callable[[Callable[[Page], None]], Callable[[Page], None]]:
    def register(render: Callable[[Page], None]) -> Callable[[Page], None]:
        TEMPLATES[key] = Template(
            key, name, kind, country, held_out, render, spacing, names, indent, frozenset(genres)
        )
        return render

    return register


def _footer(p: Page, *lines: str) -> None:
    p.lines(NAV, *lines)


@_site("national-daily-courrier", "Le Courrier national", "national daily", "FR", spacing="double")
def _courrier(p: Page) -> None:
    p.lines(NAV, "Le Courrier national", "Menu")
    p.add(("Se connecter", NAV), ("S\u2019abonner", ENGAGE))
    p.lines(NAV, "InternationalPolitiqueSociétéÉconomiePlanèteCultureSportsIdées")
    if p.chance(0.4):
        p.cookie()
    p.lines(NAV, p.section)
    if p.chance(0.35):
        p.lines(ENGAGE, "Article réservé aux abonnés")
    p.headline()
    p.chapo()
    if p.chance(0.25):
        p.byline(f"Par {p.author} et {p.author2}")
    elif p.chance(0.2):
        p.byline(
            f"Par {p.author} ({p.pick(_CITIES)}, envoy{'ée' if p.gender == 'f' else 'é'} spécial{'e' if p.gender == 'f' else ''})"
        )
    else:
        p.byline(f"Par {p.author}")
    stamp = f"Publié le {p.when('long0', 'hh')}"
    if p.has_update:
        stamp += f", modifié le {p.when('long0', 'hh', updated=True)}"
    p.lines(BYLINE, stamp)
    p.add(
        (f"Lecture {p.rng.randint(2, 9)} min.", NAV),
        ("Partager", SHARE),
        ("Offrir cet article", SHARE),
        ("Lire plus tard", NAV),
    )
    if p.chance(0.7):
        p.add((f"{p.caption_text()} {p.credit(('AFP', 'REUTERS', 'HANS LUCAS')).upper()}", CAPTION))
    inserts = [lambda: p.related("Lire aussi | {}")]
    if p.chance(0.5):
        inserts.append(lambda: p.related("Lire aussi (article réservé aux abonnés) | {}"))
    if p.chance(0.4):
        inserts.append(
            lambda: p.lines(
                ENGAGE,
                f"Il vous reste {p.rng.randint(40, 85)}.{p.rng.randint(10, 99)}% de cet article à lire. La suite est réservée aux abonnés.",
            )
        )
    p.body(*inserts)
    if p.chance(0.5):
        p.add((f"{p.author2} (avec AFP)" if p.chance(0.3) else p.author, BYLINE))
    p.add(("Voir les contributions", ENGAGE), ("Réutiliser ce contenu", SHARE))
    p.related_list("Les plus lus", 5, "{i}{t}" if p.chance(0.5) else "{i} {t}")
    _footer(
        p,
        "Le Courrier national",
        "Mentions légales",
        "Politique de confidentialité",
        "Gestion des cookies",
        "Conditions générales de vente",
        "Nous contacter",
    )


@_site("national-daily-matin", "Le Matin de France", "national daily", "FR")
def _matin(p: Page) -> None:
    p.lines(NAV, "ActualitéPolitiqueInternationalÉconomieSociétéSantéCultureSport")
    p.add(("Le Matin de France", NAV), ("S'abonner", ENGAGE), ("Se connecter", NAV))
    if p.chance(0.3):
        p.cookie()
    p.lines(NAV, p.section)
    p.headline(p.pick(["", "", "", "VIDÉO - ", "EXCLUSIF - ", "ANALYSE - ", "RÉCIT - "]))
    p.byline(
        p.pick(
            [
                f"Par {p.author}",
                f"Par {p.author}",
                "Par Le Matin de France avec AFP",
                f"Par {p.author} et {p.author2}",
            ]
        )
    )
    stamp = f"Publié le {p.when('dmy', 'colon')}"
    if p.has_update:
        stamp += f", Mis à jour le {p.when('dmy', 'colon', updated=True)}"
    p.lines(BYLINE, stamp)
    p.add(("Copier le lien", SHARE), ("Lien copié", SHARE))
    if p.chance(0.5):
        p.add(("Écouter cet article", NAV), (f"00:00/0{p.rng.randint(2, 9)}:{p.rng.randint(10, 59)}", NAV))
    p.chapo()
    if p.chance(0.5):
        p.add((p.caption_en() if p.chance(0.4) else f"{p.caption_text()} {p.credit()}", CAPTION))
    inserts = [lambda: p.related("À VOIR AUSSI - {}"), lambda: p.ad(["Publicité"])]
    if p.chance(0.5):
        inserts.append(lambda: p.related("LIRE AUSSI - {}"))
    if p.chance(0.4):
        inserts.append(
            lambda: p.add(("Lecture en cours", NAV), (f"0{p.rng.randint(0, 4)}:{p.rng.randint(10, 59)}", NAV))
        )
    if p.chance(0.3):
        inserts.append(
            lambda: p.lines(
                ENGAGE,
                f"Cet article est réservé aux abonnés. Il vous reste {p.rng.randint(50, 90)}% à découvrir.",
                "Vous avez envie de lire la suite ?",
                "Débloquez tous les articles immédiatement.",
            )
        )
    p.body(*inserts)
    p.related_list("La rédaction vous conseille", p.rng.randint(2, 4))
    if p.chance(0.5):
        p.comments(f"Commentaires ({p.rng.randint(1, 90)})", ("Répondre", "Signaler un abus"))
    _footer(
        p,
        "Le Matin de France",
        "Mentions légalesCGUContactPublicitéRecrutement",
        f"© Le Matin de France {p.day.year}",
    )


@_site("national-daily-horizon", "L'Horizon", "national daily", "FR", spacing="single")
def _horizon(p: Page) -> None:
    p.lines(NAV, "Menu", "L'Horizon", "Se connecter")
    p.lines(ENGAGE, "S'abonner")
    p.lines(NAV, p.pick([p.section, "Reportage", "Décryptage", "Récit", "Enquête"]))
    p.headline()
    p.chapo()
    p.byline(f"par {p.author}" if p.chance(0.7) else f"par {p.author} et {p.author2}")
    p.lines(BYLINE, f"publié le {p.when('long', 'hh')}")
    if p.has_update:
        p.lines(BYLINE, f"(mis à jour le {p.when('long', 'hh', updated=True)})")
    p.lines(SHARE, "FacebookTwitterLinkedInEmail" if p.chance(0.5) else "Partager")
    if p.chance(0.6):
        p.lines(CAPTION, p.caption_text(), f"(Photo {p.credit(('Hans Lucas', 'AFP', 'Divergence'))})")
    inserts = [lambda: p.add(("A lire aussi", RELATED), (p.other(), RELATED))]
    if p.chance(0.4):
        inserts.append(lambda: p.quote_box("«{}»"))
    p.body(*inserts)
    p.related_list("Dans la même rubrique", p.rng.randint(3, 5))
    if p.chance(0.5):
        p.tags("Sur le même sujet : {}", sep=" · ")
    _footer(p, "L'Horizon", "Nous contacter", "Mentions légales", "Paramétrer les cookies")


@_site("regional-daily-vigie", "La Vigie de l'Ouest", "regional daily", "FR")
def _vigie(p: Page) -> None:
    p.lines(NAV, "BrestQuimperLorientVannesSaint-BrieucRennes", "Faits diversSportsLoisirsAvis de décès")
    p.add(("Mon compte", NAV), ("Je m'abonne", ENGAGE))
    city = p.pick(["Quimper", "Brest", "Lorient", "Vannes"])
    p.lines(NAV, f"Accueil > Bretagne > {city}")
    if p.chance(0.3):
        p.lines(ENGAGE, "Abonnés")
    p.headline()
    if p.chance(0.5):
        p.byline("La Vigie de l'Ouest")
    else:
        p.byline(f"{p.author}.", p.author)
    p.lines(BYLINE, f"Publié le {p.when('dmy', 'hh')}")
    if p.has_update:
        p.lines(BYLINE, f"Modifié le {p.when('dmy', 'hh', updated=True)}")
    p.chapo()
    p.lines(SHARE, "Partager")
    if p.chance(0.6):
        p.lines(CAPTION, f"{p.caption_text()} | Photo : {p.credit(('La Vigie', 'archives La Vigie'))}")
    inserts = [lambda: p.related("Lire aussi : {}"), lambda: p.ad(["Publicité"])]
    if p.chance(0.4):
        inserts.append(
            lambda: p.lines(
                ENGAGE, "Votre avis nous intéresse", "Cet article vous a-t-il été utile ?", "Oui", "Non"
            )
        )
    p.body(*inserts)
    if p.chance(0.4):
        p.tags("Mots-clés : {}")
    p.related_list(p.pick(["Les plus lus", "LES PLUS LUS"]), 5, "{i}. {t}")
    _footer(
        p,
        "Nous contacter",
        "Mentions légales",
        "Données personnelles",
        "Cookies",
        f"© La Vigie de l'Ouest {p.day.year}",
    )


@_site("regional-daily-gazette", "La Gazette de l'Est", "regional daily", "FR", spacing="double")
def _gazette(p: Page) -> None:
    p.lines(NAV, "La Gazette de l'Est", "Meurthe-et-MoselleMoselleVosgesMeuseAlsace")
    if p.chance(0.3):
        p.cookie()
    p.lines(NAV, f"{p.section} | {p.pick(['Nancy', 'Metz', 'Épinal', 'Verdun'])}")
    p.headline()
    name = f"Par {p.author} (avec AFP)" if p.chance(0.4) else f"Par {p.author}"
    p.byline(f"{name} - {p.when('dmy', 'colon')}", name)
    if p.has_update:
        p.lines(BYLINE, f"- Mis à jour le {p.when('dmy', 'colon', updated=True)}")
    p.lines(ENGAGE, f"| Vu {p.rng.randint(1, 9)}\u202f{p.rng.randint(100, 999)} fois")
    p.add(("Partager sur Facebook", SHARE), ("Partager sur X", SHARE), ("Partager par mail", SHARE))
    if p.chance(0.7):
        p.lines(CAPTION, f"{p.caption_text()} Photo d'illustration Gazette /{p.credited('{name}')}")
    p.chapo()
    inserts = [lambda: p.related("LIRE AUSSI. {}"), lambda: p.ad(["Publicité", "PUBLICITÉ"])]
    if p.chance(0.5):
        inserts.append(p.quote_box)
    p.body(*inserts)
    p.add(("Vos commentaires", ENGAGE), ("Connectez-vous pour commenter", ENGAGE))
    p.related_list("Nos articles sur le même thème", 3)
    _footer(
        p,
        "Mentions légalesPolitique de confidentialitéContactPublicité",
        f"© La Gazette de l'Est - {p.day.year}",
    )


@_site("regional-daily-midi", "Le Midi Soleil", "regional daily", "FR", indent=True)
def _midi(p: Page) -> None:
    p.lines(NAV, "Menu", "L'actu", "Toulouse Montpellier Perpignan Carcassonne Nîmes")
    p.lines(ENGAGE, "Abonnez-vous à partir de 1\u20ac")
    p.lines(NAV, p.pick(["l'essentiel", p.section, p.section.upper()]))
    p.headline()
    p.chapo()
    p.byline(f"{p.author.split()[0]} {p.author.split(maxsplit=1)[1].upper()}")
    stamp = f"Publié le {p.when('dmy', 'colon')}"
    if p.has_update and p.update_day == p.day:
        stamp += f" , mis à jour à {_fmt_time(*p.update_time, 'colon')}"
    p.lines(BYLINE, stamp)
    p.add(("Facebook Twitter Email", SHARE), ("Écouter l'article", NAV))
    if p.chance(0.6):
        p.lines(CAPTION, p.caption_text(), f"{p.credit(('Le Midi Soleil', 'MAXPPP'))}")
    inserts = [lambda: p.add(("A lire aussi :", RELATED), (p.other(), RELATED)), lambda: p.ad(["Publicité"])]
    if p.chance(0.4):
        inserts.append(
            lambda: p.lines(
                ENGAGE,
                "Ce contenu est bloqué car vous n'avez pas accepté les cookies et autres traceurs.",
                "Gérer mes cookies",
            )
        )
    p.body(*inserts)
    p.lines(ENGAGE, "Voir les commentaires")
    p.related_list("Les plus lus", 4, "{i} {t}")
    _footer(p, "Le Midi Soleil", "Contact Mentions légales CGU Gérer mes cookies")


@_site("news-channel-infocontinu", "InfoContinu", "24h news channel", "FR", spacing="single")
def _infocontinu(p: Page) -> None:
    p.lines(NAV, "InfoContinu", "Direct TV", "Replay", "Podcasts")
    p.lines(NAV, "PolitiqueInternationalSociétéFaits diversÉconomieTechMétéo")
    if p.chance(0.3):
        p.lines(NAV, "EN DIRECT")
    p.lines(NAV, p.section)
    p.headline(p.pick(["", "", "", "INFO INFOCONTINU - ", "VIDÉO - "]))
    p.byline(
        p.pick([f"{p.initials} avec AFP", p.author, f"{p.initials}", "La rédaction d'InfoContinu avec AFP"])
    )
    p.lines(BYLINE, f"Le {p.when('dmy', 'colon')}")
    if p.has_update:
        p.lines(BYLINE, f"Mis à jour le {p.when('dmy', 'colon', updated=True)}")
    if p.chance(0.5):
        p.add(
            ("Lecture en cours", NAV),
            (f"0{p.rng.randint(0, 3)}:{p.rng.randint(10, 59)}", NAV),
            (p.other(), CAPTION),
        )
    p.chapo()
    inserts = [lambda: p.ad(["Publicité"])]
    if p.chance(0.5):
        inserts.append(lambda: p.add(("Regarder la vidéo", NAV), (p.other(), CAPTION)))
    if p.chance(0.4):
        inserts.append(lambda: p.related("Lire aussi{}" if p.chance(0.5) else "Lire aussi : {}"))
    p.body(*inserts)
    p.lines(NAV, "Voir plus")
    p.related_list("Les + lus", 5, "{t}")
    p.lines(NAV, "À suivre")
    _footer(p, f"InfoContinu - Tous droits réservés - {p.day.year}", "Mentions légales")


@_site("news-channel-actu24", "Actu24", "24h news channel", "FR", spacing="double")
def _actu24(p: Page) -> None:
    p.lines(NAV, "Actu24", "Le direct", "Radio", "TV")
    p.lines(
        NAV,
        f"Accueil > {p.section} > {p.pick(['Europe', 'France', 'Société', 'Justice'])}"
        if p.chance(0.6)
        else f"{p.section}",
    )
    p.headline()
    p.chapo()
    if p.chance(0.5):
        p.add(("Article rédigé par", BYLINE), (f"{p.author} - Actu24", BYLINE))
        p.set_byline(f"{p.author} - Actu24")
    else:
        p.byline("Article rédigé par La rédaction d'Actu24 avec AFP")
    p.lines(BYLINE, f"Publié le {p.when('dmy', 'colon', ' ')}")
    if p.has_update:
        p.lines(BYLINE, f"Mis à jour le {p.when('dmy', 'colon', ' ', updated=True)}")
    p.lines(NAV, f"Temps de lecture : {p.rng.randint(1, 6)}min")
    if p.chance(0.7):
        p.lines(CAPTION, f"{p.caption_text()} ({p.credit(('MAXPPP', 'AFP', 'RADIO FRANCE')).upper()})")
    p.add(
        ("Partager : l\u2019article sur les réseaux sociaux", SHARE),
        ("Partagez sur whatsapp (nouvel onglet)", SHARE),
        ("Partagez sur facebook (nouvel onglet)", SHARE),
    )
    inserts = []
    if p.chance(0.6):
        inserts.append(lambda: p.related("Lire aussi {}"))
    if p.chance(0.4):
        inserts.append(
            lambda: p.lines(
                ENGAGE,
                "Ce contenu n'est pas accessible.",
                "Ce contenu est bloqué car vous n'avez pas accepté les cookies et autres traceurs. Ce contenu est fourni par X.",
            )
        )
    p.body(*inserts)
    p.tags("Sujets associés : {}")
    p.lines(ENGAGE, "Voir les commentaires")
    p.lines(SHARE, "Partager : l\u2019article sur les réseaux sociaux")
    _footer(p, "Actu24", "Radio France", "Gestion des cookies", "Accessibilité : partiellement conforme")


@_site("public-radio-hexagone", "Radio Hexagone", "public radio", "FR")
def _hexagone(p: Page) -> None:
    p.lines(NAV, "Radio Hexagone", "Le direct", "Podcasts", "Grille des programmes")
    p.lines(NAV, p.section)
    p.headline()
    p.lines(BYLINE, f"Publié le {p.when('wlong', 'colon')}")
    p.add(("Écouter (3 min)", NAV), ("Ajouter à la liste de lecture", NAV))
    p.byline(f"Écrit par {p.author}" if p.chance(0.6) else f"Avec {p.author}")
    if p.chance(0.4):
        p.lines(
            RELATED,
            f"Provenant du podcast {p.pick(['Le journal de 18h', 'Le 7/9', 'Les informations de la mi-journée'])}",
        )
    p.chapo()
    if p.chance(0.6):
        p.lines(CAPTION, f"{p.caption_text()} \u00a9 {p.credited('Maxppp - {name}')}")
    inserts = [lambda: p.add(("À lire aussi", RELATED), (p.other(), RELATED))]
    if p.chance(0.5):
        inserts.append(
            lambda: p.add(("Écouter plus tard", NAV), ("Lecture", NAV), (f"{p.rng.randint(2, 50)} min", NAV))
        )
    p.body(*inserts)
    p.lines(NAV, "Références")
    p.tags("Thèmes associés : {}")
    p.lines(NAV, "Écouter plus tard")
    _footer(p, "Radio Hexagone", "Radio publique", "Mentions légales · Cookies · Accessibilité")


@_site(
    "sports-site-zone",
    "SportZone",
    "sports site",
    "FR",
    genres=("national", "faits_divers", "people_media", "society"),
    spacing="single",
)
def _sportzone(p: Page) -> None:
    p.lines(NAV, "FootballRugbyTennisCyclismeF1BasketHandballLive")
    p.lines(NAV, "PSG 2-1 OM", "Lyon 0-0 Lens", "Résultats", "Classements")
    p.lines(NAV, p.pick(["Omnisport", "Hors-jeu", p.section]))
    p.headline()
    p.byline(f"Par {p.author} le {p.when('dmy', 'hh')}", f"Par {p.author}")
    if p.has_update:
        p.lines(BYLINE, f"Mis à jour le {p.when('dmy', 'hh', updated=True)}")
    p.lines(SHARE, "PartagerFacebookTwitterWhatsapp")
    if p.chance(0.5):
        p.lines(CAPTION, f"{p.caption_en()}" if p.chance(0.5) else f"{p.caption_text()} (Icon Sport)")
    p.chapo()
    inserts = [p.ad, lambda: p.related("À lire aussi sur SportZone : {}")]
    if p.chance(0.5):
        inserts.append(
            lambda: p.lines(
                NAV,
                "Play Video",
                "Pause",
                "Mute",
                "Current Time 0:00",
                "/",
                f"Duration {p.rng.randint(1, 4)}:{p.rng.randint(10, 59)}",
                "Loaded: 0%",
                "Fullscreen",
            )
        )
    p.body(*inserts)
    p.lines(NAV, "Classement Ligue 1", "1 Paris SG 45 pts", "2 Marseille 40 pts", "3 Monaco 38 pts")
    p.related_list("Les dernières infos", 4, f"{p.rng.randint(10, 23)}h{p.rng.randint(10, 59)} {{t}}")
    _footer(p, f"SportZone © {p.day.year}", "Contact - Mentions légales - Jeu responsable")


@_site(
    "business-daily-marches",
    "Éco & Marchés",
    "business daily",
    "FR",
    genres=("national", "politics", "international", "auto", "tech"),
)
def _marches(p: Page) -> None:
    p.lines(NAV, "CAC 407\u202f512,34+0,45%", "DOW JONES38\u202f654,42-0,12%", "EUR/USD1,0812+0,05%")
    p.lines(NAV, "BourseÉconomieEntreprisesPatrimoineImmobilierCarrière")
    p.lines(ENGAGE, "Abonnez-vous")
    p.lines(NAV, p.section.upper())
    if p.chance(0.3):
        p.lines(ENGAGE, "Réservé aux abonnés")
    p.headline()
    p.byline(p.author if p.chance(0.6) else f"{p.author} et {p.author2}")
    stamp = f"Publié le {p.when('abbr', 'colon1')}"
    if p.has_update:
        stamp += f"Mis à jour le {p.when('abbr', 'colon1', updated=True)}"
    p.lines(BYLINE, stamp)
    p.add(("Partager :", SHARE), ("LinkedIn", SHARE), ("Twitter", SHARE), ("Ajouter à mes favoris", NAV))
    p.chapo()
    inserts = [lambda: p.add(("À LIRE AUSSI", RELATED), (p.other(), RELATED)), lambda: p.ad(["Publicité"])]
    if p.chance(0.5):
        inserts.append(
            lambda: p.lines(
                ENGAGE,
                "Newsletter Éco & Marchés du matin",
                "Les informations économiques essentielles avant l'ouverture des marchés.",
            )
        )
    p.body(*inserts)
    p.related_list("Dans la même rubrique", 3)
    p.related_list("Les plus lus", 5, "{i}. {t}")
    p.lines(NAV, "Cotations fournies par un prestataire de données en temps différé de 15 minutes.")
    _footer(p, f"© Éco & Marchés {p.day.year}", "Mentions légales | CGU | Contact | Publicité")


@_site("tech-site-numeritech", "NumériTech", "tech site", "FR", genres=("tech",))
def _numeritech(p: Page) -> None:
    p.lines(NAV, "ActualitésTestsBons plansComparatifsGuides d'achat")
    if p.chance(0.5):
        p.lines(AD, "Bon plan : -30% sur les écouteurs sans fil")
    p.lines(NAV, p.pick(["High-Tech", p.section]))
    p.headline()
    p.add((p.author, BYLINE), ("Journaliste high-tech", BYLINE))
    p.set_byline(p.author)
    p.lines(BYLINE, f"Publié le {p.when('dmy2', 'hh')}")
    p.lines(SHARE, "Suivez NumériTech sur Google Actualités")
    p.lines(AD, "NumériTech peut percevoir une commission lorsque vous achetez via les liens de cet article.")
    p.chapo()
    if p.chance(0.5):
        p.lines(CAPTION, f"\u00a9 {p.credit(('Shutterstock', 'Unsplash', 'NumériTech'))}")
    inserts = [lambda: p.ad(["Publicité"]), lambda: p.related("À lire aussi : {}")]
    if p.chance(0.4):
        inserts.append(lambda: p.lines(AD, "Notre sélection", "Voir l'offre"))
    p.body(*inserts)
    p.bio()
    p.lines(ENGAGE, "Votre avis")
    p.related_list("Sur le même sujet", 3)
    _footer(p, "NumériTech", "Qui sommes-nous ?", "Mentions légales", "Charte de confidentialité")


@_site(
    "culture-magazine-culturama", "Culturama", "culture magazine", "FR", genres=("culture", "people_media")
)
def _culturama(p: Page) -> None:
    p.lines(NAV, "CinémaSériesMusiqueLivresExpositionsThéâtre")
    p.lines(NAV, p.section.upper())
    p.headline()
    p.byline(f"Par {p.author} | Le {p.when('long')}", f"Par {p.author}")
    p.chapo()
    if p.chance(0.5):
        p.lines(CAPTION, f"{p.caption_text()} \u00a9 DR")
    inserts = []
    if p.chance(0.6):
        inserts.append(
            lambda: p.add(("Diaporama", NAV), (f"1/{p.rng.randint(5, 15)}", NAV), (p.caption_text(), CAPTION))
        )
    if p.chance(0.5):
        inserts.append(p.quote_box)
    if p.chance(0.5):
        inserts.append(lambda: p.related("\u00bb {}"))
    p.body(*inserts)
    if p.chance(0.5):
        p.lines(NAV, f"Notre avis : {p.rng.randint(2, 5)}/5")
    p.newsletter()
    if p.chance(0.5):
        p.tags("{}", sep=" | ", n=2)
    else:
        p.lines(NAV, " ".join("#" + tag.replace(" ", "") for tag in p.rng.sample(GENRE_TAGS[p.genre], 2)))
    p.related_list("Vous aimerez aussi", 3)
    _footer(p, f"Culturama \u00a9 {p.day.year}", "À propos · Contact · Publicité")


@_site("free-daily-flash", "Flash Matin", "free daily", "FR")
def _flash(p: Page) -> None:
    p.lines(NAV, "Flash Matin", "ActuSportEntertainmentPlanèteÉconomieHigh-Tech")
    p.lines(NAV, p.section)
    p.headline()
    p.byline(p.initials if p.chance(0.5) else p.author)
    stamp = f"Publié le {p.when('dmy2', 'hh')}"
    if p.has_update:
        stamp += f" \u2014 Mis à jour le {p.when('dmy2', 'hh', updated=True)}"
    p.lines(BYLINE, stamp)
    p.add(
        ("Partager l'article sur Facebook", SHARE),
        ("Partager l'article sur X", SHARE),
        ("Copier le lien", SHARE),
    )
    p.chapo()
    inserts = [p.ad, lambda: p.add(("Lire aussi", RELATED), (p.other(), RELATED))]
    p.body(*inserts)
    n = p.rng.randint(0, 40)
    p.add((f"{n} commentaire{'s' if n > 1 else ''}", ENGAGE), ("Réagir", ENGAGE))
    p.tags("Sujets liés : {}", sep=" ")
    p.add(("Contenus sponsorisés", AD), *((t, AD) for t in p.rng.sample(_CLICKBAIT, 3)), ("par Taboola", AD))
    _footer(p, f"\u00a9 Flash Matin {p.day.year}", "Mentions légales", "Cookies")


@_site("portal-agency-wire", "Zap Actu", "agency wire on a portal", "FR")
def _zap(p: Page) -> None:
    p.lines(NAV, "MailMétéoHoroscopeJeuxActuSportsPeople")
    p.add(("Zap Actu", NAV), ("Se connecter", NAV))
    p.lines(NAV, f"Actu > {p.section}")
    p.headline()
    agency = p.pick(["AFP", "AFP", "Relaxnews", "Zap Actu avec AFP"])
    p.byline(f"{agency}, publié le {p.when('Wlong', 'hh')}", agency)
    p.chapo()
    if p.chance(0.6):
        p.lines(
            CAPTION, f"{p.caption_text()} ({p.credited('AFP / {name}')})" if p.chance(0.6) else p.caption_en()
        )
    inserts = [p.ad]
    if p.chance(0.4):
        inserts.append(lambda: p.lines(AD, "Sponsorisé par Assur'Plus"))
    p.body(*inserts)
    p.add(("Contenus sponsorisés", AD), *((t, AD) for t in p.rng.sample(_CLICKBAIT, 2)))
    p.related_list("Dernières actus", 4, f"{p.rng.randint(10, 23)}:{p.rng.randint(10, 59)} {{t}}")
    if p.chance(0.5):
        p.lines(
            BYLINE,
            "Cette dépêche a été rédigée par l'Agence France-Presse et n'a pas été modifiée par la rédaction de Zap Actu.",
        )
    _footer(
        p,
        f"\u00a9 Zap {p.day.year} - Tous droits réservés",
        "Informations légales | Données personnelles | Cookies",
    )


@_site("people-magazine-starmag", "Star Mag", "people magazine", "FR", genres=("people_media", "culture"))
def _starmag(p: Page) -> None:
    p.lines(NAV, "Star Mag", "PeopleTéléRoyautéMode & BeautéVidéos")
    p.lines(NAV, p.pick(["PEOPLE", p.section.upper()]))
    p.headline(p.pick(["", "", "PHOTOS - ", "VIDÉO - "]))
    p.byline(
        f"Par {p.author} | Rédactrice web" if p.gender == "f" else f"Par {p.author} | Rédacteur web",
        f"Par {p.author}",
    )
    p.lines(BYLINE, f"Publié le {p.when('dmy', 'hh')}")
    if p.chance(0.6):
        p.add((f"Voir le diaporama ({p.rng.randint(6, 25)} photos)", NAV), ("\u00a9 Bestimage", CAPTION))
        p.meta["credits"].append("Bestimage")
    p.chapo()
    inserts = [p.ad, lambda: p.related("A LIRE AUSSI >> {}")]
    if p.chance(0.5):
        inserts.append(lambda: p.quote_box("\u201c{}\u201d"))
    if p.chance(0.4):
        inserts.append(lambda: p.lines(CAPTION, "Crédits photos : Bestimage"))
    p.body(*inserts)
    if p.chance(0.4):
        p.title_again()
    p.related_list("Vous aimerez aussi", 4)
    _footer(p, "Star Mag", "Contact | Mentions légales | Gestion des cookies")


@_site("belgian-daily-phare", "Le Phare de Bruxelles", "Belgian daily", "BE", names="be")
def _phare(p: Page) -> None:
    p.lines(NAV, "BelgiqueRégionsMondeÉconomieSportsDiables RougesCulture", "Bruxelles Wallonie Flandre")
    if p.chance(0.3):
        p.cookie()
    p.lines(NAV, p.section)
    p.headline()
    p.byline(p.pick(["Belga", f"Par {p.author} (avec Belga)", f"Par {p.author}"]))
    p.lines(BYLINE, f"Publié le {p.when('dash', 'colon')}")
    if p.has_update:
        p.lines(BYLINE, f"Mis à jour le {p.when('dash', 'colon', updated=True)}")
    if p.chance(0.6):
        p.lines(CAPTION, f"{p.caption_text()} \u00a9 {p.credit(('Belga',))}")
    p.chapo()
    inserts = [lambda: p.related("Lire aussi\u00a0: {}"), lambda: p.ad(["Publicité"])]
    if p.chance(0.4):
        inserts.append(lambda: p.lines(ENGAGE, "Abonnez-vous au Phare dès 1\u20ac le premier mois"))
    p.body(*inserts)
    p.related_list("Les plus lus", 5, "{i}{t}")
    p.related_list("Sur le même sujet", 2)
    _footer(p, f"\u00a9 Le Phare de Bruxelles {p.day.year}", "Conditions générales | Vie privée | Contact")


@_site("swiss-daily-tribune", "La Tribune du Léman", "Swiss daily", "CH", names="ch")
def _tribune(p: Page) -> None:
    p.lines(NAV, "SuisseVaudGenèveMondeÉconomieSportCulture")
    if p.chance(0.3):
        p.lines(ENGAGE, "Abo")
    p.lines(NAV, p.section)
    p.headline()
    p.chapo()
    p.lines(BYLINE, f"Publié: {p.when('dot', 'hh', ', ')}")
    if p.has_update:
        p.lines(BYLINE, f"Mis à jour: {p.when('dot', 'hh', ', ', updated=True)}")
    agency = p.pick(["ATS", "ATS/AFP", "Keystone-ATS"])
    if p.chance(0.5):
        p.add((p.author, BYLINE), (agency, BYLINE))
        p.set_byline(p.author)
    else:
        p.byline(agency)
    p.add(("Partager cet article", SHARE), ("Facebook", SHARE), ("X", SHARE), ("E-mail", SHARE))
    if p.chance(0.6):
        p.lines(CAPTION, p.caption_text(), p.credited("Keystone/{name}"))
    inserts = [lambda: p.ad(["Publicité"])]
    if p.chance(0.5):
        inserts.append(lambda: p.related("Lire aussi: {}"))
    p.body(*inserts)
    p.lines(ENGAGE, "Vous avez trouvé une erreur? Merci de nous la signaler.")
    p.lines(ENGAGE, f"{p.rng.randint(0, 30)} commentaires")
    _footer(p, "La Tribune du Léman", "Impressum", "Protection des données", "Conditions générales")


@_site("quebec-daily-echo", "L'Écho laurentien", "Québec daily", "CA", names="qc")
def _echo(p: Page) -> None:
    p.lines(NAV, "ActualitésPolitiqueInternationalÉconomieCultureSportsOpinions")
    if p.chance(0.4):
        p.cookie(
            [
                [
                    "Ce site utilise des témoins (cookies) afin d'améliorer votre expérience de navigation.",
                    "J'accepte",
                ]
            ]
        )
    p.lines(NAV, p.section)
    p.headline()
    p.byline(p.pick([p.author, p.author, "Agence France-Presse", "La Presse Canadienne"]))
    p.lines(BYLINE, f"Publié le {p.when('long', 'sp')}")
    if p.has_update:
        p.lines(BYLINE, f"Mis à jour le {p.when('long', 'sp', updated=True)}")
    p.add(("Partager sur Facebook", SHARE), ("Partager sur X", SHARE), ("Partager par courriel", SHARE))
    if p.chance(0.6):
        name = p.pick(_PHOTOGRAPHERS)
        p.meta["credits"].append(name)
        p.lines(CAPTION, f"PHOTO {name.upper()}, AGENCE FRANCE-PRESSE", p.caption_text())
    p.chapo()
    inserts = [lambda: p.related("Lire aussi : {}"), lambda: p.ad(["Publicité"])]
    if p.chance(0.5):
        inserts.append(
            lambda: p.lines(
                ENGAGE,
                "Abonnez-vous à notre infolettre",
                "Recevez nos nouvelles quotidiennement dans votre boîte courriel.",
                "Adresse courriel",
                "Je m'abonne",
            )
        )
    p.body(*inserts)
    p.related_list("Les plus lus", 4, "{i} {t}")
    _footer(p, f"\u00a9 L'Écho laurentien {p.day.year}", "Politique de confidentialité", "Nous joindre")


@_site("african-daily-dakar", "Dakar Matin", "African francophone daily", "SN", names="af", spacing="single")
def _dakar(p: Page) -> None:
    p.lines(NAV, _fmt_date(p.day, "Wlong"))
    p.lines(NAV, "Dakar Matin", "AccueilPolitiqueÉconomieSociétéSportsInternationalCulture")
    p.lines(NAV, p.section)
    p.headline()
    p.byline(p.pick(["Par APS", f"Par {p.author}", "Par La Rédaction"]))
    p.lines(BYLINE, f"Publié le : {p.when('dmy', 'colon', ' - ')}")
    p.lines(ENGAGE, f"Lu {p.rng.randint(100, 9999)} fois")
    p.add(("WhatsApp", SHARE), ("Facebook", SHARE), ("Twitter", SHARE))
    p.chapo()
    inserts = [lambda: p.ad(["Publicité"]), lambda: p.related("LIRE AUSSI : {}")]
    p.body(*inserts)
    if p.chance(0.5):
        p.add(("Source : APS", BYLINE))
        p.meta["source"] = "APS"
    p.add(("Facebook Comments", ENGAGE), (f"{p.rng.randint(0, 12)} Commentaires", ENGAGE))
    p.related_list("Dernières infos", 5)
    _footer(p, f"\u00a9 {p.day.year} Dakar Matin - Tous droits réservés")


@_site("auto-site-passion", "AutoPassion", "auto site", "FR", genres=("auto",))
def _autopassion(p: Page) -> None:
    p.lines(NAV, "ActualitéEssaisOccasionCote autoÉlectriqueMoto")
    p.lines(NAV, p.pick(["Auto", "Nouveautés", p.section]))
    p.headline()
    p.byline(f"Par {p.author} le {p.when('dmy', 'hh')}", f"Par {p.author}")
    if p.chance(0.5):
        p.add((f"Voir les {p.rng.randint(5, 30)} photos", NAV), ("Crédit photo : Constructeur", CAPTION))
        p.meta["credits"].append("Constructeur")
    p.chapo()
    inserts = [p.ad, lambda: p.related("À lire aussi : {}")]
    if p.chance(0.4):
        inserts.append(lambda: p.lines(AD, "Estimez gratuitement la cote de votre véhicule", "Estimer"))
    p.body(*inserts)
    p.tags("Mots-clés : {}")
    p.related_list("Les derniers essais", 3)
    _footer(p, f"AutoPassion \u00a9 {p.day.year}", "Mentions légales - Contact - Cookies")


@_site("health-site-santeplus", "Santé Plus", "health site", "FR", genres=("society",))
def _santeplus(p: Page) -> None:
    p.lines(NAV, "MaladiesNutritionForme & Bien-êtreGrossesseMédicaments")
    p.lines(NAV, p.section)
    p.headline()
    p.byline(f"Rédigé par {p.author}")
    if p.chance(0.5):
        p.lines(BYLINE, f"Relu par Dr {p.author2}, médecin généraliste")
    stamp = f"Publié le {p.when('dmy')}"
    if p.has_update:
        stamp += f" - Mis à jour le {p.when('dmy', updated=True)}"
    p.lines(BYLINE, stamp)
    p.chapo()
    inserts = [p.ad]
    if p.chance(0.4):
        inserts.append(lambda: p.related("Lire aussi : {}"))
    p.body(*inserts)
    p.lines(
        ENGAGE,
        "Les informations de cet article ne remplacent pas l'avis d'un professionnel de santé. En cas de doute, consultez votre médecin.",
    )
    p.newsletter()
    _footer(p, "Santé Plus", "Qui sommes-nous | Charte éditoriale | Mentions légales")


# --- held out: test split only ---------------------------------------------------------------------


@_site(
    "quebec-news-laurentides",
    "Info Laurentides",
    "Québec news site",
    "CA",
    names="qc",
    held_out=True,
    spacing="double",
)
def _laurentides(p: Page) -> None:
    p.lines(NAV, "Info Laurentides", "Régions", "Grands titres", "En continu")
    p.lines(NAV, p.section)
    p.headline()
    p.chapo()
    p.byline(f"Un texte de {p.author}" if p.chance(0.6) else "La Presse canadienne")
    stamp = f"Publié à {_fmt_time(*p.time, 'sp')} le {p.when('long')}"
    p.lines(BYLINE, stamp)
    if p.has_update:
        p.lines(BYLINE, f"Mis à jour le {p.when('long', 'sp', updated=True)}")
    if p.day.year < 2020 and p.chance(0.5):
        p.lines(
            ENGAGE,
            f"Prenez note que cet article publié en {p.day.year} pourrait contenir des informations qui ne sont plus à jour.",
        )
    p.add(("Partager", SHARE), ("Facebook", SHARE), ("Courriel", SHARE))
    if p.chance(0.6):
        p.lines(CAPTION, p.caption_text(), f"Photo : {p.credited('La Presse canadienne / {name}')}")
    inserts = [lambda: p.related_list("À lire aussi :", 2, "{t}")]
    if p.chance(0.4):
        inserts.append(
            lambda: p.lines(
                ENGAGE, "Infolettre Info Laurentides", "Recevez chaque matin les manchettes de votre région."
            )
        )
    p.body(*inserts)
    p.related_list("Vous aimerez aussi", 3)
    _footer(p, "Info Laurentides", "Conditions d'utilisation", "Politique de confidentialité")


@_site(
    "african-portal-abidjan", "Abidjan Express", "African francophone portal", "CI", names="af", held_out=True
)
def _abidjan(p: Page) -> None:
    p.lines(NAV, "Abidjan Express", "AccueilPolitiqueÉconomieSociétéCultureSportsMonde")
    stamp = f"Publié le {p.when('Wlong', 'colon')} | Lu {p.rng.randint(1, 9)} {p.rng.randint(100, 999)} fois | {p.rng.randint(0, 9)} commentaire"
    p.lines(BYLINE, stamp)
    p.byline(p.pick([f"Par {p.author}", "AIP", f"{p.author} (AIP)"]))
    p.headline()
    p.chapo()
    p.add(("Partager sur Facebook", SHARE), ("Partager sur WhatsApp", SHARE))
    inserts = [lambda: p.ad(["Publicité", "PUB"]), lambda: p.related("Lire aussi >> {}")]
    if p.chance(0.5):
        inserts.append(lambda: p.lines(CAPTION, "Image d'illustration"))
    p.body(*inserts, first=0)
    p.comments("Réagir à cet article", ("Répondre",))
    p.related_list("Dans la même rubrique", 4)
    _footer(p, f"Copyright \u00a9 {p.day.year} Abidjan Express. Tous droits réservés.")


@_site(
    "swiss-public-radio-lemanique", "Radio Lémanique", "Swiss public radio", "CH", names="ch", held_out=True
)
def _lemanique(p: Page) -> None:
    p.lines(NAV, "Radio Lémanique", "Info", "Sport", "Culture", "Audio", "Vidéo")
    p.headline()
    p.chapo()
    p.add(("Écouter le sujet", NAV), ("00:00", NAV))
    if p.chance(0.6):
        p.lines(CAPTION, f"{p.caption_text()} {p.credited('Keystone - {name}')}")
    stamp = f"Publié le {p.when('dot', 'colon')}"
    if p.has_update:
        stamp += f" Modifié le {p.when('dot', 'colon', updated=True)}"
    p.lines(BYLINE, stamp)
    inserts = []
    if p.chance(0.5):
        inserts.append(lambda: p.add((p.other(), RELATED), ("Info - Publié aujourd'hui", RELATED)))
    p.body(*inserts)
    initials = p.pick(["ther", "jpr", "mh", "ebz"])
    p.byline(p.pick([f"ats/{initials}", f"{p.author}/{initials}", f"afp/{initials}"]))
    p.lines(SHARE, "Partager")
    p.lines(ENGAGE, "Vous avez aimé cet article ? Abonnez-vous à notre newsletter.")
    _footer(p, "Radio Lémanique", "Contact", "Protection des données", "Conditions générales")


@_site(
    "regional-daily-eclaireur",
    "L'Éclaireur du Centre",
    "regional daily",
    "FR",
    held_out=True,
    spacing="single",
)
def _eclaireur(p: Page) -> None:
    p.lines(NAV, "ClermontVichyMoulinsAurillacLe Puy", "L'Éclaireur du Centre")
    p.lines(NAV, f"Accueil / {p.section} / {p.headline_text}")
    p.headline()
    name = f"Par {p.author}"
    p.byline(f"{name}Publié le {p.when('dmy', 'hh')}", name)
    if p.has_update:
        p.lines(BYLINE, f"Mis à jour le {p.when('dmy', 'hh', updated=True)}")
    p.lines(SHARE, "Partager :FacebookTwitterEmail")
    if p.chance(0.6):
        p.lines(CAPTION, f"{p.caption_text()} Photo {p.credited('{name}')}")
    p.chapo()
    inserts = [lambda: p.related("Lire aussi{}"), lambda: p.ad(["Publicité"])]
    if p.chance(0.5):
        inserts.append(lambda: p.quote_box("« {} »"))
    if p.chance(0.4):
        inserts.append(
            lambda: p.add(
                ("Nos dernières vidéos", NAV),
                ("Lecture en cours", NAV),
                (p.other(), CAPTION),
                (f"0{p.rng.randint(0, 4)}:{p.rng.randint(10, 59)}", NAV),
            )
        )
    p.body(*inserts)
    p.title_again(SHARE, "Partager : {}")
    p.lines(ENGAGE, "Voir les commentaires")
    p.related_list("Les plus lus", 5, "{i}{t}")
    _footer(p, f"\u00a9 L'Éclaireur du Centre {p.day.year}")


@_site("news-aggregator-hub", "Actus Hub", "news aggregator", "FR", held_out=True)
def _hub(p: Page) -> None:
    p.lines(NAV, "Actus Hub", "Fil d'actualité", "Découvrir", "Suivis")
    outlet = p.pick(["Le Courrier national", "InfoContinu", "La Gazette de l'Est", "Flash Matin"])
    p.lines(NAV, outlet)
    name = f"Histoire de {p.author}"
    if p.chance(0.5):
        p.byline(f"{name} \u2022 {p.rng.randint(1, 10)} h", name)
    else:
        p.byline(name)
        p.lines(BYLINE, p.when("dmy"))
    p.lines(NAV, f"\u2022 {p.rng.randint(1, 8)} min de lecture")
    p.headline()
    p.chapo()
    inserts = [lambda: p.ad(["Publicité", "Annonce"]), lambda: p.ad(["Contenu sponsorisé"])]
    p.body(*inserts)
    p.lines(NAV, "Continuer la lecture")
    p.related_list("Plus pour vous", 4, f"{{t}} \u2022 {outlet}")
    p.add(("Commentaires", ENGAGE), ("Commentaires (0)", ENGAGE))
    _footer(p, f"Conditions d'utilisation Confidentialité et cookies Publicité \u00a9 {p.day.year} Actus Hub")


@_site("weekly-magazine-hebdo", "L'Hebdo des Idées", "weekly magazine", "FR", held_out=True, spacing="double")
def _hebdo(p: Page) -> None:
    p.lines(
        NAV, "L'Hebdo des Idées", "Le magazine", f"Édition du {_fmt_date(p.day + timedelta(days=1), 'wlong')}"
    )
    p.byline(f"Par {p.author}")
    p.lines(BYLINE, f"Publié le {p.when('dmy1', 'h')}")
    p.lines(NAV, p.pick(["ANALYSE", "DÉCRYPTAGE", "ENTRETIEN", p.section.upper()]))
    p.headline()
    p.chapo()
    inserts = [lambda: p.quote_box("\u2014 {}")]
    if p.chance(0.5):
        inserts.append(
            lambda: p.lines(
                ENGAGE,
                "Cet article est réservé aux abonnés",
                "Abonnez-vous pour lire la suite",
                "Sans engagement, résiliable à tout moment",
            )
        )
    p.body(*inserts)
    p.lines(BYLINE, f"Cet article est paru dans le numéro {p.rng.randint(1000, 3000)} de L'Hebdo des Idées.")
    p.bio()
    _footer(p, "L'Hebdo des Idées", "Mentions légales · Abonnement · Contact")


# --- the corpus ---------------------------------------------------------------------------------------


def _pools(shared: Path) -> dict[str, list[dict[str, Any]]]:
    """OrangeSum articles by split: `*_valid` ones are test, the other `*_train` ones dev."""
    test = {d["id"]: d for s in ("heading_valid", "title_valid") for d in orangesum_docs(shared, s)}
    dev = [d for d in orangesum_docs(shared, "title_train") if d["id"] not in test]
    # Every `heading_train` article is also in `title_train` or in `title_valid`.

    def usable(doc: dict[str, Any]) -> bool:
        return (
            bool(doc["title"] and doc["heading"]) and _MIN_WORDS <= len(doc["article"].split()) <= _MAX_WORDS
        )

    return {
        "dev": [d for d in dev if usable(d)],
        "test": [d for d in sorted(test.values(), key=lambda d: int(d["id"])) if usable(d)],
    }


def _build(doc: dict[str, Any], template: Template, split: str, n: int, others: list[str]) -> dict[str, Any]:
    rng = random.Random(f"{SEED}-{split}-{n}-{doc['id']}")
    page = Page(rng, doc, template, others)
    template.render(page)
    text, lines = page.render()
    return {
        "id": f"gen-{split}-{n:03d}-{template.key}",
        "source": None,
        "site": template.key,
        "genre": page.genre,
        "split": split,
        "held_out_site": template.held_out,
        "orangesum_id": doc["id"],
        "input": text,
        "title": page.title,
        "lines": lines,
        "metadata": page.meta,
        "entities": [],
        "topics": None,
        "summary": [],
        "quotes": [],
    }


def _match(genres: list[str], sites: list[Template]) -> None:
    """Swap genres between pages so topical sites (tech, auto, people...) carry their own genres."""
    for i, site in enumerate(sites):
        if not site.genres or genres[i] in site.genres:
            continue
        for j, other in enumerate(sites):
            if genres[j] in site.genres and (not other.genres or genres[i] in other.genres):
                genres[i], genres[j] = genres[j], genres[i]
                break


def generated_pages(shared: Path = DEFAULT_SHARED, count: int = DEFAULT_COUNT) -> list[dict[str, Any]]:
    """`count` pages (dev first, then test), the same on every run for the same OrangeSum file."""
    pools = _pools(shared)
    sizes = {"dev": round(count * DEV_SHARE)}
    sizes["test"] = count - sizes["dev"]
    seen = [t for t in TEMPLATES.values() if not t.held_out]
    held = [t for t in TEMPLATES.values() if t.held_out]
    pages = []
    for split, size in sizes.items():
        rng = random.Random(f"{SEED}-{split}")
        by_genre: dict[str, list[dict[str, Any]]] = {}
        for doc in pools[split]:
            by_genre.setdefault(genre_of(doc["section"]), []).append(doc)
        genres = sorted(by_genre)
        order = [genres[i % len(genres)] for i in range(size)]
        rng.shuffle(order)
        if split == "dev":
            sites = [seen[i % len(seen)] for i in range(size)]
        else:
            n_held = round(size * HELD_OUT_SHARE)
            sites = [held[i % len(held)] for i in range(n_held)] + [
                seen[i % len(seen)] for i in range(size - n_held)
            ]
        rng.shuffle(sites)
        _match(order, sites)
        others = [" ".join(d["title"].split()) for d in pools[split]]
        for n, (genre, template) in enumerate(zip(order, sites, strict=True)):
            pool = by_genre[genre]
            doc = pool.pop(rng.randrange(len(pool)))
            pages.append(_build(doc, template, split, n, others))
    return pages


def written_pages() -> list[dict[str, Any]]:
    """The hand-written pages of bench/data/clean/written/ (none when the folder is absent)."""
    pages = []
    for path in sorted(WRITTEN.glob("*.json")) if WRITTEN.is_dir() else []:
        try:
            page = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            print(f"skipped {path.name}: {error}")
            continue
        if isinstance(page, dict) and page.get("input") and page.get("lines") and page.get("split"):
            page.setdefault("id", path.stem)
            page.setdefault("site", "written")
            page.setdefault("genre", "unknown")
            pages.append(page)
        else:
            print(f"skipped {path.name}: no input, lines or split")
    return pages


def load_corpus(shared: Path = DEFAULT_SHARED, count: int = DEFAULT_COUNT) -> list[dict[str, Any]]:
    """The generated pages plus every hand-written page."""
    return generated_pages(shared, count) + written_pages()


def _counts(pages: list[dict[str, Any]]) -> None:
    for key in ("genre", "site"):
        table = Counter((p[key], p["split"]) for p in pages)
        names = sorted({k for k, _ in table})
        rows: list[list[object]] = [[k, table[k, "dev"], table[k, "test"]] for k in names]
        if key == "site":
            rows = [
                [*row, "yes" if TEMPLATES.get(str(row[0])) and TEMPLATES[str(row[0])].held_out else ""]
                for row in rows
            ]
        print_table(rows, [key, "dev", "test", *(["held out"] if key == "site" else [])])
        print()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT)
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="folder for the JSON pages (keep it out of git)"
    )
    args = parser.parse_args()
    pages = generated_pages(args.shared, args.count)
    args.out.mkdir(parents=True, exist_ok=True)
    for page in pages:
        (args.out / f"{page['id']}.json").write_text(
            json.dumps(page, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
    print(f"{len(pages)} pages from {len(TEMPLATES)} templates written to {args.out}\n")
    _counts(pages)


if __name__ == "__main__":
    main()
