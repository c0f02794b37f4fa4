"""Who a cue's subject is: a named entity, a pronoun or a role resolved to a cluster, or a source."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from service.model import Entity, QuoteSpeaker
from service.pipeline.quotes.cues import Cues
from service.pipeline.text.fold import fold

__all__ = [
    "SEARCH_WINDOW",
    "EntityIndex",
    "Resolver",
    "TitlePerson",
    "first_of_cue",
    "inverted_pronoun",
    "title_persons",
]

_SPEAKER_LABELS = frozenset({"PER", "ORG"})
SEARCH_WINDOW = 3_000
"""How far back (characters) a pronoun or a role looks for the entity it stands for."""
# Words read before a person's mention to guess the gender from the role apposed to it.
_GENDER_WORDS = 6
# A role noun ("le magistrat") names the nearest person mentioned this many characters before it.
_PERSON_WINDOW = 600
# A pronoun with no antecedent names the person mentioned this close after it.
_FORWARD_WINDOW = 200
# An organisation noun ("le syndicat") names the nearest organisation this close before it.
_ORG_WINDOW = 400
# Words of a role noun phrase kept in a speaker's name: "le ministre de l'Intérieur".
_MAX_NAME_TOKENS = 7
# Words of a proper name read after a role ("le député Grand Shapps").
_NAME_RUN = 4
# A role noun ("la ministre") names the person whose mention stands this close to it.
_ROLE_WINDOW = 4
# Earlier mentions a role reads when looking for the person it describes.
_ROLE_CANDIDATES = 40
_PERSONAL = frozenset({"il", "elle", "-il", "-elle", "-t-il", "-t-elle", "t-il", "t-elle"})
_INVERTED = frozenset({"-il", "-elle", "-t-il", "-t-elle", "-ils", "-elles", "-t-ils", "-t-elles"})
_PLURAL = frozenset({"ils", "elles", "-ils", "-elles", "-t-ils", "-t-elles"})
# An inverted pronoun however the tokenizer cut it: "-t-il", or "-", "t", "-", "il" when a glued
# sentence follows ("raconte-t-il.C'est").
_INVERSION = re.compile(r"-(?:t-)?(?:il|elle|ils|elles|on)", re.IGNORECASE)
_INVERSION_TOKENS = 4
# "Il estime que …" is often parsed as an expletive subject: for a cue verb it is a person.
_SPEAKER_DEPS = frozenset({"nsubj", "nsubj:pass", "expl:subj"})
_NAME_DEPS = frozenset({"det", "amod", "nmod", "case", "flat:name", "flat", "appos", "nummod", "fixed"})
_AUX_DEPS = frozenset({"aux", "aux:tense", "aux:pass"})
_AUX_REACH = 4
# Dependencies that keep a token in a subject's noun phrase (clauses and verb complements do not).
_PHRASE_DEPS = frozenset(
    {"det", "amod", "nmod", "case", "flat:name", "flat", "appos", "nummod", "fixed", "conj", "cc", "compound"}
)
_MAX_PHRASE_TOKENS = 30
# Dependents that make an organisation word a name of its own ("le ministère de la Santé").
_DESCRIBING_DEPS = frozenset({"amod", "nmod", "appos", "flat:name"})
# How far back (tokens) an organisation word looks for a fuller phrase with the same noun.
_EARLIER_TOKENS = 80
# Endings of nationality nouns ("Slovène", "Danois", "Italienne", "Américain").
_DEMONYM_ENDINGS = (
    *("ais", "aise", "ois", "oise", "ien", "ienne", "ène", "ain", "aine", "an", "ane", "ol", "ole"),
    *("and", "ande", "on", "onne", "que", "ite", "in", "ine", "ard", "arde", "ote", "ate"),
)
# Words of a description shorter than this ("de", "la") do not tell two roles apart.
_CONTENT_CHARS = 4
_NAME_PREPOSITIONS = frozenset({"de", "d'", "d\u2019", "du", "des", "au", "aux"})
# An inverted subject stands at most this many tokens after its verb ("a estimé, vendredi, M. Peskov").
_INCISE_REACH = 20
_REFLEXIVE = frozenset({"s'", "s\u2019", "se"})
# Dependencies of a mention that is a verb's object or oblique, rarely the next pronoun's antecedent.
_OBJECT_DEPS = frozenset({"obj", "iobj", "obl", "obl:arg", "obl:mod", "obl:agent"})
_CLITICS = frozenset(
    {"s'", "s\u2019", "se", "y", "en", "lui", "leur", "me", "m'", "m\u2019", "te", "t'", "t\u2019"}
)


_WORD_EDGE = ',.;:()«»"“”'
_ELISION = ("l'", "l\u2019", "d'", "d\u2019")
# Titles between a role and a name that say nothing of the gender ("son avocate, Me Claire Dumas").
_HONORIFICS = frozenset({"me", "maître", "dr", "docteur", "pr", "professeur"})
# Titles the parser may take for a subject before the name they precede ("confie Me X", "M. X").
_TITLES = _HONORIFICS | {"m", "mme", "mlle", "monsieur", "madame", "mgr"}
# Adjectives before a role that show the gender ("X, ancienne ministre").
# Adjectives of a former role ("l'ancien ministre de …"), which stands for a person named before.
_POSSESSIVE = frozenset({"son", "sa", "ses", "leur", "leurs"})
# "Me Florence Rault": the title of a lawyer, who is then "l'avocat" or "son avocate".
_LAWYER_TITLES = frozenset({"me", "maitre"})
# Nouns of several people: never one person's cluster ("confie le couple").
_GROUP_NOUNS = frozenset({"couple", "famille", "duo", "trio", "tandem", "parents", "fratrie", "foyer"})
_FORMER = frozenset({"ancien", "ancienne", "ex", "ex-"})
# Determiners of a description that points back to someone ("la sénatrice", "cette sénatrice").
_DEFINITE = frozenset({"le", "la", "l'", "l\u2019", "ce", "cet", "cette"})
_GENDERED_ADJECTIVES = {"ancienne": "F", "nouvelle": "F", "ancien": "M", "nouveau": "M", "nouvel": "M"}


# Parts of speech that end the phrase a role noun opens before a name.
_ROLE_BREAKS = frozenset({"VERB", "AUX", "CCONJ", "SCONJ", "PRON"})
# Feminine and masculine endings of role nouns ("avocate"/"avocat", "directrice"/"directeur").
_ROLE_ENDINGS = (("trice", "teur"), ("euse", "eur"), ("enne", "en"), ("ère", "er"), ("e", ""))


def _role_forms(word: str) -> set[str]:
    """A role noun with its other-gender forms: "leur avocat" is the "avocate" named before."""
    out = {word}
    for feminine, masculine in _ROLE_ENDINGS:
        if word.endswith(feminine) and len(word) > len(feminine) + 2:
            out.add(word[: len(word) - len(feminine)] + masculine)
        if masculine and word.endswith(masculine):
            out.add(word[: len(word) - len(masculine)] + feminine)
    if not word.endswith("e"):
        out.add(word + "e")
    return out


def _bare_word(word: str) -> str:
    """A word without edge punctuation and elided article ("l'avocate," -> "avocate")."""
    word = word.strip(_WORD_EDGE)
    for prefix in _ELISION:
        if word.startswith(prefix):
            return word[len(prefix) :]
    return word


def _of_complement(token: Token) -> bool:
    """Whether a token may belong to a role's name: a noun complement must open with "de" or "à".

    "le prévenu à la barre" is a role plus where it stood; the parser often hangs such a
    complement of the verb on the subject ("le Slovène sur le podium").
    """
    if token.dep_ != "nmod":
        return True
    cases = [c.lower_ for c in token.children if c.dep_ == "case"]
    return not cases or cases[0] in _NAME_PREPOSITIONS


def _demonym(head: Token) -> bool:
    """A capitalised nationality after a lower-case article is a role ("a confié le Slovène")."""
    determiners = [c for c in head.children if _is_determiner(c, head)]
    if not determiners or not head.text[:1].isupper() or not head.lower_.endswith(_DEMONYM_ENDINGS):
        return False
    article = determiners[0]
    # "Le Danois a reconnu …" opens its sentence: only there may the article be capitalised.
    opening = article.i == 0 or article.is_sent_start or article.nbor(-1).is_punct
    return article.lower_ in {"le", "la", "l'", "l\u2019"} and (article.text.islower() or bool(opening))


def _is_determiner(child: Token, head: Token) -> bool:
    """A determiner of the head, however the parser labelled it ("a répété le prévenu": `le` as obj)."""
    return child.dep_ == "det" or (child.pos_ == "DET" and child.i < head.i)


def _bare_words(text: str) -> list[str]:
    """Lower-case words of a text without punctuation or elided articles."""
    return [_bare_word(w) for w in text.lower().split()]


def _vote(gender: str | None) -> int:
    return 0 if gender is None else (1 if gender == "F" else -1)


def _before_gender(words: list[str], cues: Cues) -> str | None:
    """The gender the words right before a person's name show ("Mme", "l'avocate", "la présidente de X,")."""
    if not words:
        return None
    last = words[-1]
    if last in cues.feminine | cues.masculine and last not in {"la", "le"}:
        return "F" if last in cues.feminine else "M"
    bare = _bare_word(last)
    if not last.endswith(","):
        # "l'avocate Claire Dumas", "la ministre Rachida Dati": a role just before the name.
        return cues.role_gender(bare, words[-2] if len(words) > 1 else None)
    for k in range(len(words)):
        gender = cues.role_gender(_bare_word(words[k]), words[k - 1] if k else None)
        if gender is not None:
            return gender
    for k in range(len(words) - 2, -1, -1):
        if words[k] in {"la", "le"} and (k == 0 or words[k - 1] not in {"de", "à"}):
            return "F" if words[k] == "la" else "M"
    return None


def _after_gender(words: list[str], cues: Cues) -> str | None:
    """The gender of a role apposed after a name ("Claire Dumas, avocate de …", "X, la présidente")."""
    determiner = None
    for word in words:
        bare = _bare_word(word)
        if bare in {"la", "le", "une", "un"}:
            determiner = bare
            continue
        if bare in _GENDERED_ADJECTIVES:
            return _GENDERED_ADJECTIVES[bare]
        return cues.role_gender(bare, determiner)
    return None


@dataclass(frozen=True, slots=True)
class _Mention:
    start: int
    end: int
    entity: int


class EntityIndex:
    """The response's entity mentions by offset, with a guessed gender for person clusters."""

    def __init__(self, body: str, entities: list[Entity], cues: Cues) -> None:
        mentions = sorted(
            (_Mention(m.start, m.end, i) for i, e in enumerate(entities) for m in e.mentions),
            key=lambda m: m.start,
        )
        self.entities = entities
        self.mentions = mentions
        self._starts = [m.start for m in mentions]
        self.gender = self._genders(body, cues)
        self.evidence = dict(self.gender)
        """Genders read in the text (names, titles, roles), before any pronoun taught one."""

    def _genders(self, body: str, cues: Cues) -> dict[int, str]:
        """Gender ("F" or "M") of person clusters, from first names, "Mme"/"M." and apposed roles.

        "le procureur de la République, Jean Vicentini": the role and its determiner, not the
        "la" of its complement, say the gender; "Claire Dumas, avocate de …" says it after.
        """
        votes: dict[int, int] = {}
        for m in self.mentions:
            if self.entities[m.entity].label != "PER":
                continue
            vote = 0
            first = body[m.start : m.end].split()[:1]
            named = cues.first_name_gender(first[0].strip(_WORD_EDGE)) if first else None
            if named is not None:
                vote += 2 if named == "F" else -2
            words = [w.lower() for w in body[max(0, m.start - 80) : m.start].split()][-_GENDER_WORDS:]
            while words and words[-1].strip(_WORD_EDGE) in _HONORIFICS:
                words.pop()
            vote += _vote(_before_gender(words, cues))
            after = body[m.end : m.end + 60]
            if after.startswith(","):
                vote += _vote(_after_gender(after[1:].lower().split()[:3], cues))
            if vote:
                votes[m.entity] = votes.get(m.entity, 0) + vote
        return {k: ("F" if v > 0 else "M") for k, v in votes.items() if v}

    def counts(self) -> dict[int, int]:
        """Mentions per entity (how present each cluster is in the article)."""
        out: dict[int, int] = {}
        for m in self.mentions:
            out[m.entity] = out.get(m.entity, 0) + 1
        return out

    def at(self, start: int, end: int) -> list[_Mention]:
        """Mentions overlapping [start, end), in order."""
        i = bisect.bisect_left(self._starts, start)
        # A mention starting before `start` may still overlap it.
        j = max(0, i - 1)
        return [m for m in self.mentions[j:] if m.start < end and m.end > start][:8] if self.mentions else []

    def before(self, offset: int, window: int = SEARCH_WINDOW) -> Iterator[_Mention]:
        """Mentions that end before `offset`, nearest first, at most `window` characters back.

        The bound keeps every look-up short: an article with thousands of pronouns and names
        costs linear time, not one scan of every earlier mention per pronoun.
        """
        i = bisect.bisect_left(self._starts, offset)
        for k in range(i - 1, -1, -1):
            m = self.mentions[k]
            if m.start < offset - window:
                return
            if m.end <= offset:
                yield m


@dataclass(frozen=True, slots=True)
class TitlePerson:
    """A person the headline names: a body cluster (entity set) or a name the body never spells out."""

    speaker: QuoteSpeaker
    gender: str | None


# A capitalised word of a headline, an elided article or preposition before it set apart.
_TITLE_WORD = re.compile(r"(?:[ldLD]['\u2019])?([\w\u00c0-\u024f][\w\u00c0-\u024f'\u2019.-]*)")
# Words of a person's name a headline spells ("Alain Juppé", "Jean-Paul Belmondo").
_TITLE_NAME_WORDS = 3


def _title_runs(title: str) -> list[list[str]]:
    """Runs of capitalised words of a headline, each at most _TITLE_NAME_WORDS long."""
    runs: list[list[str]] = []
    last_end = -2
    for match in _TITLE_WORD.finditer(title):
        word = match.group(1).rstrip(".")
        capital = word[:1].isupper()
        if capital and runs and match.start() == last_end + 1 and len(runs[-1]) < _TITLE_NAME_WORDS:
            runs[-1].append(word)
        elif capital:
            runs.append([word])
        last_end = match.end() if capital else -2
    return runs


def title_persons(title: str | None, index: EntityIndex, cues: Cues) -> list[TitlePerson]:
    """The persons a headline names, in its order: "Emmanuel Macron plaide pour … Michel Platini".

    A run of capitalised words is a person when it is a person cluster's name or one of its
    forms, the last word of one ("Belmondo"), or opens on a known first name ("Alain Juppé",
    whom the body may only call "il"); the headline is not parsed (no second model pass).
    """
    if not title:
        return []
    forms: dict[str, int] = {}
    for i, entity in enumerate(index.entities):
        if entity.label == "PER":
            # "Belmondo" in the headline is the body's "Jean-Paul Belmondo".
            for form in (entity.name, *entity.aliases, entity.name.split()[-1]):
                forms.setdefault(fold(form.lower()), i)
    found: list[TitlePerson] = []
    for run in _title_runs(title):
        text = " ".join(run)
        cluster = forms.get(fold(text.lower()))
        if cluster is not None:
            person = TitlePerson(_speaker(index.entities, cluster), index.gender.get(cluster))
        elif len(run) > 1 and cues.first_name_gender(run[0]) is not None:
            person = TitlePerson(QuoteSpeaker(name=text, entity=None), cues.first_name_gender(run[0]))
        else:
            continue
        if all(p.speaker.name != person.speaker.name for p in found):
            found.append(person)
    return found


def _speaker(entities: list[Entity], index: int) -> QuoteSpeaker:
    return QuoteSpeaker(name=entities[index].name, entity=index)


def inverted_pronoun(verb: Token) -> Token | None:
    """The last token of the pronoun inverted right after a verb ("raconte-t-il"), if there is one.

    The tokenizer splits "-t-il" into "-", "t", "-", "il" when a sentence is glued after it
    ("raconte-t-il.C'est"): the tokens written without space after the verb are read together.
    """
    doc = verb.doc
    written = ""
    previous = verb
    for token in doc[verb.i + 1 : min(len(doc), verb.i + 1 + _INVERSION_TOKENS)]:
        if previous.whitespace_:
            return None
        written += token.text
        if _INVERSION.fullmatch(written):
            return token
        previous = token
    return None


def first_of_cue(verb: Token) -> Token:
    """The first word of a verb's cue: its auxiliaries and reflexive pronoun ("s'est réjoui")."""
    first = verb
    for child in verb.children:
        reflexive = child.lower_ in _REFLEXIVE and child.i < verb.i
        if (child.dep_ in _AUX_DEPS or reflexive) and verb.i - _AUX_REACH <= child.i < first.i:
            first = child
    return first


class Resolver:
    """Turns the subject of a cue into a speaker, reading the entities and the text before it."""

    def __init__(
        self, doc: Doc, body: str, index: EntityIndex, cues: Cues, quoted: list[tuple[int, int]]
    ) -> None:
        self.doc = doc
        # `Doc.text` joins every token on each access: the caller reads it once.
        self.body = body
        self.index = index
        self.cues = cues
        # Names quoted by someone else are rarely the speaker of the next quote. The spans are
        # merged into disjoint sorted runs so a look-up is a bisection, not a scan of every quote.
        runs: list[tuple[int, int]] = []
        for a, b in sorted(quoted):
            if runs and a <= runs[-1][1]:
                runs[-1] = (runs[-1][0], max(runs[-1][1], b))
            else:
                runs.append((a, b))
        self._quoted_starts = [a for a, _ in runs]
        self._quoted_runs = runs
        self._counts: dict[int, int] | None = None
        self._salient_by_gender: dict[str, int | None] = {}
        self._subjects: dict[tuple[int, int], int | None] = {}
        self.topic: Callable[[int, str | None], QuoteSpeaker | None] | None = None
        """Who the sentence before an offset is about (set by the extractor, which knows sentences)."""
        self.organisation_topic: Callable[[int], int | None] | None = None
        """The organisation the sentence before an offset is about (set by the extractor)."""
        self.organisation_source: Callable[[int], int | None] | None = None
        """The same, or the organisation the sentence before cites ("Selon Météo France, …")."""
        self.title: str | None = None
        """The article's headline (set by the extractor); its persons are read on first need."""
        self._title_people: list[TitlePerson] | None = None

    @property
    def title_people(self) -> list[TitlePerson]:
        """The persons the headline names, read once, when a pronoun or a role first needs them."""
        if self._title_people is None:
            self._title_people = title_persons(self.title, self.index, self.cues)
        return self._title_people

    def title_person(self, before: int, gender: str | None) -> QuoteSpeaker | None:
        """The first person of the headline who fits, when the body names no fitting person before.

        "La 1ère réaction d'Alain Juppé" over "Il a affirmé …": a pronoun or role that opens an
        article stands for the person its headline is about.
        """
        if not self.title_people:
            return None
        named = self._person_before(before, gender or "", any_gender=gender is None, subjects_only=True)
        if named is not None:
            return None
        for person in self.title_people:
            if gender is None or person.gender in {None, gender}:
                return person.speaker
        return None

    @staticmethod
    def inverted_pronoun_of(verb: Token) -> Token | None:
        """The pronoun inverted after a verb ("dit-il"), however the tokenizer cut it."""
        return inverted_pronoun(verb)

    def _inside_quote(self, offset: int) -> bool:
        at = bisect.bisect_right(self._quoted_starts, offset) - 1
        return at >= 0 and offset < self._quoted_runs[at][1]

    def incise(self, verb: Token) -> bool:
        """Whether a verb stands in an incise: after a comma or a closing mark, or inverted ("dit-il")."""
        first = first_of_cue(verb)
        k = first.i - 1
        while k >= 0 and (
            self.doc[k].lower_ in _REFLEXIVE
            or self.doc[k].pos_ == "AUX"
            or self.doc[k].lower_ in {"-t", "t"}
            or self.doc[k].lower_ in _INVERTED
        ):
            k -= 1
        previous = self.doc[k] if k >= 0 else None
        following = self.doc[verb.i + 1] if verb.i + 1 < len(self.doc) else None
        after_comma = previous is not None and previous.text in {",", "»", "”", '"'}
        return after_comma or (following is not None and following.text.startswith("-"))

    def subject(self, verb: Token, *, depth: int = 0) -> Token | None:
        """The subject of a cue verb, looking through coordination ("a souri et a ajouté").

        In an incise the parser often takes the inverted subject for an object ("…, a précisé
        Catherine Vautrin"): the first noun or pronoun right after the verb is then the subject.
        Read once per verb: every quotation of a sentence asks again for the same verbs.
        """
        key = (verb.i, depth)
        if key not in self._subjects:
            found = self._subject(verb, depth)
            self._subjects[key] = None if found is None else found.i
        at = self._subjects[key]
        return None if at is None else self.doc[at]

    def _subject(self, verb: Token, depth: int) -> Token | None:
        # "a-t-il ajouté", "déclare-t-elle": the inverted pronoun, however the parser attached it.
        for token in self.doc[max(0, verb.i - 3) : min(len(self.doc), verb.i + 3)]:
            if token.lower_ in _INVERTED:
                return token
        glued = inverted_pronoun(verb)
        if glued is not None:
            return glued
        found = self._parsed_subject(verb) if verb.pos_ in {"VERB", "AUX"} else self.mistagged_subject(verb)
        if found is None and self.incise(verb):
            found = self.inverted_subject(verb)
        if found is not None and found.lower_.rstrip(".") in _TITLES and found.i + 1 < len(self.doc):
            # "confie Me Florence Rault": the parser makes the title the subject, the name follows.
            following = found.nbor(1)
            if self._mention_of(following) is not None:
                found = following
        if found is None:
            found = self._named_before(verb)
        # "…, ajoutant que …", "notant que …": a participle speaks with its governor's subject.
        if found is None and depth == 0 and verb.dep_ in {"advcl", "xcomp", "conj"} and verb.head.i != verb.i:
            found = self.subject(verb.head, depth=1)
            if (
                found is None
                and "Part" in verb.morph.get("VerbForm", [])
                and "Pres" in verb.morph.get("Tense", [])
            ):
                # "Elle a publié une vidéo montrant son mari danser, reconnaissant …": the
                # sentence's subject, however deep the parser hung the participle.
                root = verb.sent.root
                found = self.subject(root, depth=1) if root.i != verb.i else None
        return found

    def _named_before(self, verb: Token) -> Token | None:
        """A person or organisation named right before the cue: "Météo-France a annoncé que …".

        The parser sometimes reads a hyphenated name as a sentence of its own and leaves the
        verb without subject.
        """
        first = first_of_cue(verb)
        if first.i == 0 or verb.pos_ not in {"VERB", "AUX"}:
            return None
        previous = self.doc[first.i - 1]
        mentions = self.index.at(previous.idx, previous.idx + len(previous.text))
        if mentions and self.index.entities[mentions[0].entity].label in _SPEAKER_LABELS:
            # "… joué dans une pièce de Molière ajoute : « … »": a name after a preposition is a
            # complement, not the verb's subject.
            span = self.doc.char_span(mentions[0].start, mentions[0].end, alignment_mode="expand")
            if span is not None and span.start > 0 and self.doc[span.start - 1].pos_ == "ADP":
                return None
            return previous
        return None

    def mistagged_subject(self, token: Token) -> Token | None:
        """The subject before a speech verb the tagger took for a noun or adjective.

        "Le mathématicien déplore …", "Cédric Villani regrette …": a known verb form right after
        a noun, a name or a pronoun is that verb, and the word before it its subject.
        """
        if token.i == 0 or not (
            token.lower_ in self.cues.speech_forms or token.lower_ in self.cues.that_forms
        ):
            return None
        previous = self.doc[token.i - 1]
        if previous.pos_ in {"NOUN", "PROPN"} or previous.lower_ in {"il", "elle", "ils", "elles"}:
            return previous
        # "Sa présidente, Agnès Giannotti, juge que …": the verb read as an apposition of the name.
        following = self.doc[token.i + 1] if token.i + 1 < len(self.doc) else None
        if (
            previous.text == ","
            and token.dep_ == "appos"
            and token.head.pos_ in {"NOUN", "PROPN"}
            and following is not None
            and following.lower_ in {"que", "qu'", "qu\u2019"}
        ):
            return token.head
        return None

    def _parsed_subject(self, verb: Token) -> Token | None:
        """The subject the parser gives the verb (or the verb it is coordinated with).

        "X a été mis en examen, a révélé Mediapart": an incise the parser coordinated with the
        clause before has its own inverted subject, not that clause's.
        """
        coordinated = verb.dep_ == "conj" and not (
            self.incise(verb) and self.inverted_subject(verb) is not None
        )
        for holder in (verb, verb.head) if coordinated else (verb,):
            for child in holder.children:
                # A subject inside the quotation is the parser reading the quote as the clause.
                if child.dep_ in _SPEAKER_DEPS and not self._inside_quote(child.idx):
                    # "Ankara, qui a assuré que …": the relative pronoun stands for its antecedent.
                    if child.lower_ == "qui" and holder.dep_ == "acl:relcl":
                        return holder.head
                    if child.pos_ == "VERB":
                        # "Contacté par Gala, le service de presse a fait savoir …": the participle
                        # clause is not the subject; the noun after its comma is.
                        return self._after_participle(child, holder) or child
                    return child
        opening = self.doc[verb.sent.start]
        if opening.i >= first_of_cue(verb).i - 1 and opening.i > 0:
            # "…, directrice de l'école, a répondu": the parser may cut the sentence before the verb.
            opening = self.doc[self.doc[opening.i - 1].sent.start]
        if opening.i < verb.i and opening.pos_ == "VERB" and "Part" in opening.morph.get("VerbForm", []):
            # "Contactée par Téléstar, Pascale Albertini, productrice, a répondu …": the parser
            # hung the name on the opening participle; it stands after that clause's comma.
            return self._after_participle(opening, verb)
        return None

    def _after_participle(self, participle: Token, verb: Token) -> Token | None:
        """The first noun after the comma that closes a participle clause opening the sentence."""
        comma = None
        for k in range(participle.i + 1, first_of_cue(verb).i):
            if self.doc[k].text == ",":
                comma = k
                break
        if comma is None:
            return None
        for token in self.doc[comma + 1 : first_of_cue(verb).i]:
            if token.pos_ in {"NOUN", "PROPN", "PRON"}:
                return token
            if token.pos_ not in {"DET", "ADJ"}:
                return None
        return None

    def said_after(self, verb: Token) -> Token | None:
        """The speech infinitive of "…, finit par dire X", "…, a fini par lâcher X", if there is one."""
        if verb.i + 2 >= len(self.doc) or verb.nbor(1).lower_ != "par":
            return None
        said = verb.nbor(2)
        infinitive = "Inf" in said.morph.get("VerbForm", []) and said.head.i == verb.i
        return said if infinitive and self.cues.speech(said.lemma_, said.lower_) else None

    def inverted_subject(self, verb: Token) -> Token | None:
        """The first noun or pronoun after an incise verb, past its complements.

        "assène dans le quotidien la présidente …", "soutenait, mercredi 24 juin, la Ligue":
        complements of the verb come before its inverted subject.
        """
        said = self.said_after(verb)
        if said is not None:
            # "…, finit par dire Cali": the name stands after the infinitive.
            verb = said
        complements: set[int] = set()
        for child in verb.children:
            if child.i > verb.i and (child.dep_.startswith("obl") or child.dep_ in {"advmod", "nummod"}):
                # The complement up to its first comma: "mercredi 24 juin", "dans le quotidien".
                for token in self.doc[child.left_edge.i : child.right_edge.i + 1]:
                    if token.text == "," and token.i > child.i:
                        break
                    complements.add(token.i)
        for token in self.doc[verb.i + 1 : min(len(self.doc), verb.i + 1 + _INCISE_REACH)]:
            skipped = (
                token.i in complements or token.text == "," or token.lower_ in {"alors", "encore", "aussi"}
            )
            if (
                skipped
                or token.dep_ in {"obl:mod", "advmod", "obl", "nummod"}
                or token.pos_ in {"NUM", "ADP"}
            ):
                continue
            if self._inside_quote(token.idx) and not self._inside_quote(verb.idx):
                # ", évoquant une « mesure de précaution »": the quoted words are its object.
                return None
            if token.pos_ == "PRON" and (token.lower_ in _CLITICS or token.dep_.startswith("expl")):
                # "…, reconnaissant s'être …": a clitic of the next verb, not an inverted subject.
                return None
            if token.pos_ in {"PROPN", "NOUN", "PRON"}:
                return token
            if token.pos_ not in {"DET", "ADJ", "PUNCT"}:
                return None
        return None

    def is_vague(self, head: Token) -> bool:
        """A subject that stands for nobody in particular ("on", "les experts", "une étude")."""
        lemma = head.lemma_.lower()
        if _demonym(head) and "Plur" not in head.morph.get("Number", []):
            # "a souri le Français": one person; "les Français" are nobody in particular.
            return False
        if lemma in self.cues.vague_subjects or head.lower_ in self.cues.vague_subjects:
            return True
        return any(c.dep_ == "det" and c.lower_ in {"nos", "notre"} for c in head.children)

    def pronoun(self, text: str, before: int, *, plural: bool = False) -> QuoteSpeaker | None:
        """The nearest person mentioned before `before` that fits the pronoun (for "ils", an organisation)."""
        if plural:
            # "ils" are people the article does not name, unless the sentence before has an
            # organisation for subject ("Les syndicats de la SNCF ont appelé … Ils estiment …"):
            # never the nearest organisation, often the newspaper that reports them.
            group = self.organisation_topic(before) if self.organisation_topic is not None else None
            return None if group is None else _speaker(self.index.entities, group)
        gender = "F" if "elle" in text.lower() else "M"
        if self.topic is not None:
            # "X a rencontré Y. « … », a-t-il déclaré": the pronoun goes on with the subject.
            topic = self.topic(before, gender)
            if topic is not None and topic.entity is not None:
                return self._learn(topic.entity, gender)
            if topic is not None:
                # An unnamed role is the topic ("la ministre de la Santé … Elle …"): it stays
                # unnamed unless a person known to be of that gender was named before.
                known = self._person_before(before, gender, known=True)
                return topic if known is None else self._learn(known, gender)
        found = self._person_or_headline(before, gender)
        if found is not None:
            return found
        # "« … », a-t-elle déclaré. Nadine Oliveira, 51 ans, …": the name may come just after.
        for m in self.index.mentions[bisect.bisect_left(self.index._starts, before) :]:
            if m.start > before + _FORWARD_WINDOW:
                break
            # A name quoted in the next quotation ("« … comme nous y invite Zola … »") is not it.
            if self._fits(m, gender) and not self._inside_quote(m.start):
                return self._learn(m.entity, gender)
        # An article that opens on "a-t-il détaillé" speaks of the person it is about.
        return self._salient(gender)

    def _person_or_headline(self, before: int, gender: str) -> QuoteSpeaker | None:
        """The nearest fitting person before a pronoun, else the headline's person, else a complement.

        A headline's person fits better than a name the body gave only as a complement ("il a
        apporté son soutien à X. « … », a-t-il affirmé").
        """
        found = self._person_before(before, gender, subjects_only=bool(self.title_people))
        headline = self.title_person(before, gender) if found is None else None
        if headline is not None:
            return headline if headline.entity is None else self._learn(headline.entity, gender)
        found = found if found is not None else self._person_before(before, gender)
        return None if found is None else self._learn(found, gender)

    def _fits(self, m: _Mention, gender: str, *, known: bool = False, any_gender: bool = False) -> bool:
        """Whether a mention is of a person of that gender (or of unknown gender, unless `known`)."""
        if self.index.entities[m.entity].label != "PER":
            return False
        if any_gender:
            return True
        if known:
            return self.index.evidence.get(m.entity) == gender
        return self.index.gender.get(m.entity, gender) == gender

    def _person_before(
        self,
        before: int,
        gender: str,
        *,
        known: bool = False,
        any_gender: bool = False,
        subjects_only: bool = False,
    ) -> int | None:
        """The nearest fitting person before a pronoun, a noun's complement only when no other fits.

        With `subjects_only`, a complement is no answer either.
        """
        complement: int | None = None
        for seen, m in enumerate(self.index.before(before)):
            if self._inside_quote(m.start) or not self._fits(m, gender, known=known, any_gender=any_gender):
                continue
            # "un dîner de Saint-Valentin", "la femme de X": a noun's complement is rarely "il";
            # nor is the object of a clause ("il a apporté son soutien à X. « … », a-t-il dit").
            preceding = self.body[max(0, m.start - 4) : m.start].rstrip().lower()
            nominal = preceding.endswith((" de", " du", " des", "d'", "d\u2019"))
            if (nominal or self._object_mention(m)) and seen < _ROLE_CANDIDATES:
                complement = m.entity if complement is None else complement
                continue
            return m.entity
        return None if subjects_only else complement

    def _object_mention(self, m: _Mention) -> bool:
        """Whether a mention is an object, an oblique or a complement with a preposition ("à X").

        The inverted subject of an incise ("…, a déclaré X") is often parsed as an object: it
        stays a subject.
        """
        span = self.doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            return False
        root = span.root
        # An apposition or a coordinated name has its head's function ("entre lui, le criminologue X").
        for _ in range(3):
            if root.dep_ not in {"appos", "conj"} or root.head.i == root.i:
                break
            root = root.head
        governed = any(c.dep_ == "case" for c in root.children)
        if root.dep_ == "nsubj" and root.head.dep_ == "acl:relcl":
            # "celui que Jacques Chirac surnommait « … »": the subject of a relative clause on
            # an object pronoun describes someone else, who is the one spoken of.
            return any(c.lower_ in {"que", "qu'", "qu\u2019"} and c.i < root.i for c in root.head.children)
        if root.dep_ not in _OBJECT_DEPS and not governed:
            return False
        head = root.head
        return not (head.i < root.i and self.cues.speech(head.lemma_.lower(), head.lower_))

    def _salient(self, gender: str) -> QuoteSpeaker | None:
        """The person of that gender the article mentions most, when no one is named near a pronoun."""
        if gender not in self._salient_by_gender:
            # Once per gender: an article with thousands of pronouns reads its entities once.
            # Names said inside quotations ("« … comme nous y invite Zola »") are not what the
            # article is about.
            counts: dict[int, int] = {}
            for m in self.index.mentions:
                if not self._inside_quote(m.start):
                    counts[m.entity] = counts.get(m.entity, 0) + 1
            best: tuple[int, int] | None = None
            for entity, count in counts.items():
                if (
                    self.index.entities[entity].label != "PER"
                    or self.index.gender.get(entity, gender) != gender
                ):
                    continue
                if best is None or count > best[0]:
                    best = (count, entity)
            self._salient_by_gender[gender] = None if best is None else best[1]
        found = self._salient_by_gender[gender]
        return None if found is None else self._learn(found, gender)

    def _learn(self, entity: int, gender: str) -> QuoteSpeaker:
        """The speaker a pronoun resolved to; the pronoun tells the cluster's gender from now on."""
        self.index.gender.setdefault(entity, gender)
        return _speaker(self.index.entities, entity)

    def role(self, head: Token, name: str, before: int) -> QuoteSpeaker:
        """A role or an organisation word: the cluster it names nearby, else the words themselves.

        "le ministre de l'Intérieur" is the person apposed to "ministre de l'Intérieur" earlier;
        among several ministers the one sharing most words of the description wins, and a
        person of the other gender never does.
        """
        forms = _role_forms(fold(head.lemma_.lower())) | _role_forms(fold(head.lower_))
        described = {fold(w) for w in _bare_words(name) if len(w) >= _CONTENT_CHARS} - forms
        gender = self.described_gender(head)
        text = self.body
        best: tuple[int, int] | None = None
        # Persons the role was apposed to whose known gender is the other one ("le capitaine des
        # pompiers Céline Duval … a indiqué le capitaine"): the answer only when alone.
        crossed: set[int] = set()
        for seen, m in enumerate(self.index.before(before)):
            if seen >= _ROLE_CANDIDATES:
                break
            entity = self.index.entities[m.entity]
            if entity.label == "ORG" and forms & set(fold(entity.name.lower()).split()):
                return _speaker(self.index.entities, m.entity)
            if entity.label != "PER":
                continue
            # The words apposed to the mention, within its sentence and before the role itself.
            left = [fold(w) for w in _bare_words(text[max(0, m.start - 60) : m.start].rsplit(". ", 1)[-1])]
            right = [fold(w) for w in _bare_words(text[m.end : min(m.end + 60, head.idx)].split(". ", 1)[0])]
            # "X et son secrétaire d'État Y": a role after "et" is the next person's.
            right = right[: right.index("et")] if "et" in right else right
            mention_words = len(text[m.start : m.end].split())
            if "avocat" in forms and left and left[-1] in _LAWYER_TITLES:
                left = [*left, "avocat"]
            if not (
                forms & set(left[-_ROLE_WINDOW:])
                or forms & set(right[:_ROLE_WINDOW])
                or (forms & set(left + right) and mention_words > _MAX_NAME_TOKENS)
                or self._role_before(m, forms)
            ):
                continue
            if gender is not None and self.index.gender.get(m.entity, gender) != gender:
                crossed.add(m.entity)
                continue
            score = len(described & set(left[-_ROLE_WINDOW * 2 :] + right[: _ROLE_WINDOW * 2]))
            if best is None or score > best[0]:
                best = (score, m.entity)
        if best is not None:
            return _speaker(self.index.entities, best[1])
        if len(crossed) == 1:
            return _speaker(self.index.entities, crossed.pop())
        return QuoteSpeaker(name=name, entity=None)

    def _role_before(self, m: _Mention, forms: set[str]) -> bool:
        """A role noun opening the phrase that ends on the name, its complement between them.

        "le secrétaire d'État à la fonction publique Olivier Dussopt": no verb, clause or comma
        stands between the role and the name.
        """
        span = self.doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            return False
        for token in reversed(self.doc[max(0, span.start - _ROLE_WINDOW * 2) : span.start]):
            if token.pos_ in _ROLE_BREAKS or token.is_punct:
                return False
            if fold(token.lower_) in forms or fold(token.lemma_.lower()) in forms:
                return True
        return False

    def phrase_tokens(self, head: Token) -> list[Token]:
        """The subject's noun phrase with its appositions and coordinated names, no clause.

        "Comme le rappelle un article de Gala, le dernier rôle de X …": a clause the parser
        hung on the subject names nobody who speaks.
        """
        out = [head]
        stack = [c for c in head.children if c.dep_ in _PHRASE_DEPS]
        while stack and len(out) < _MAX_PHRASE_TOKENS:
            token = stack.pop()
            if token.dep_ == "nmod" and not _of_complement(token):
                continue
            out.append(token)
            stack.extend(c for c in token.children if c.dep_ in _PHRASE_DEPS)
        return out

    def noun_phrase(self, head: Token) -> str:
        """The words naming a subject: its determiner, adjectives and complements, no clause."""
        tokens = [head]
        # "selon une source": the preposition that governs the head is not part of its name.
        stack = [
            c
            for c in head.children
            if c.dep_ in _NAME_DEPS
            and not (c.dep_ == "case" and c.i < head.i)
            and (head.text[:1].isupper() or _of_complement(c))
        ]
        while stack and len(tokens) < _MAX_NAME_TOKENS:
            token = stack.pop()
            # "Le mathématicien déplore": a verb the tagger took for an adjective is no part of a name.
            if token.dep_ == "appos" or token.is_punct or token.lower_ in self.cues.speech_forms:
                continue
            tokens.append(token)
            stack.extend(c for c in token.children if c.dep_ in _NAME_DEPS and not c.is_punct)
        tokens.sort(key=lambda t: t.i)
        # Keep the contiguous run around the head only.
        run = [head]
        pos = {t.i for t in tokens}
        i = head.i - 1
        while i in pos:
            run.insert(0, self.doc[i])
            i -= 1
        i = head.i + 1
        while i in pos:
            run.append(self.doc[i])
            i += 1
        start, end = run[0].idx, run[-1].idx + len(run[-1].text)
        return self.body[start:end]

    def _mention_of(self, token: Token) -> int | None:
        """The entity whose mention holds `token`."""
        for m in self.index.at(token.idx, token.idx + len(token.text)):
            return m.entity
        return None

    def _appos_after(self, head: Token) -> int | None:
        """A person named right after the noun phrase: "le ministre de l'Intérieur, Gérald Darmanin"."""
        right = head.right_edge
        if right.i + 2 >= len(self.doc) or self.doc[right.i + 1].text != ",":
            return None
        entity = self._mention_of(self.doc[right.i + 2])
        if entity is not None and self.index.entities[entity].label == "PER":
            return entity
        return None

    def nearest_person(self, before: int, window: int, gender: str | None = None) -> QuoteSpeaker | None:
        """The nearest person mentioned in the `window` characters before `before`, outside quotations."""
        for m in self.index.before(before):
            if m.end < before - window:
                return None
            if self.index.entities[m.entity].label != "PER" or self._inside_quote(m.start):
                continue
            if gender is None or self.index.gender.get(m.entity, gender) == gender:
                return _speaker(self.index.entities, m.entity)
        return None

    def salient_person(self, before: int, window: int, gender: str | None = None) -> QuoteSpeaker | None:
        """Of the fitting persons named in the `window` characters before, the one named most.

        "… le criminologue X … « … », assure l'ancien PDG": a description is the person the
        article is about rather than the last one named; the nearest wins a tie.
        """
        if self._counts is None:
            self._counts = self.index.counts()
        best: tuple[int, int] | None = None
        for m in self.index.before(before):
            if m.end < before - window:
                break
            if self.index.entities[m.entity].label != "PER" or self._inside_quote(m.start):
                continue
            if gender is not None and self.index.gender.get(m.entity, gender) != gender:
                continue
            count = self._counts.get(m.entity, 0)
            if best is None or count > best[0]:
                best = (count, m.entity)
        return None if best is None else _speaker(self.index.entities, best[1])

    def _nearest_organisation(self, lemma: str, before: int, *, media: bool = False) -> int | None:
        """An organisation whose name holds the word, a press title for "le quotidien", else the nearest one.

        A press title is a cluster cited as a source before ("selon Les Échos", "a révélé
        Mediapart", "le magazine Gala"); the tagger often calls it MISC.
        """
        labels = {"ORG", "MISC"} if media else {"ORG"}
        for m in self.index.before(before):
            entity = self.index.entities[m.entity]
            if entity.label in labels and lemma in fold(entity.name.lower()).split():
                return m.entity
        if media:
            for m in self.index.before(before):
                if self.index.entities[m.entity].label in labels and self._cited(m):
                    return m.entity
        return None

    def _nearest_org(self, before: int) -> int | None:
        """The nearest organisation just before `before`, outside quotations."""
        for m in self.index.before(before):
            if m.end < before - _ORG_WINDOW:
                break
            if self.index.entities[m.entity].label == "ORG" and not self._inside_quote(m.start):
                return m.entity
        return None

    def _cited(self, m: _Mention) -> bool:
        """Whether a mention reads as a press source: "selon X", "a révélé X", "le quotidien X", "au X"."""
        words = _bare_words(self.body[max(0, m.start - 40) : m.start])[-3:]
        if not words:
            return False
        if {"selon", "après", "par"} & set(words) or set(words) & self.cues.media_nouns:
            return True
        if words[-1] in {"au", "à"}:
            return True
        # "comme le rappelle Gala", "a révélé Mediapart": the title is the inverted subject of a cue.
        span = self.doc.char_span(m.start, m.end, alignment_mode="expand")
        k = span.start - 1 if span is not None else -1
        while k >= 0 and self.doc[k].pos_ == "DET":
            k -= 1
        return k >= 0 and self.cues.speech(self.doc[k].lemma_, self.doc[k].lower_)

    @staticmethod
    def _former(head: Token) -> bool:
        """A former role: "l'ancien ministre", "l'ex-collaborateur"."""
        return head.lower_.startswith("ex-") or any(
            c.lower_ in _FORMER and c.i < head.i for c in head.children
        )

    def _bare(self, head: Token) -> bool:
        """A role with only a determiner and adjectives before it ("le magistrat", "l'ancien ministre").

        Such a role stands for someone named before; "l'adjoint aux finances" or "le procureur
        général" is a new, unnamed person.
        """
        if self._former(head):
            # "l'ancien chef de l'État", "l'ex-collaborateur du président": a former role is an
            # epithet of someone the article named, whatever its complement.
            return True
        # A relative clause tells what the person does, not who: "a dit l'acteur qui préfère …".
        return all(
            _is_determiner(c, head) or (c.dep_ == "amod" and c.i < head.i) or not _of_complement(c)
            for c in head.children
            if c.dep_ not in {"punct", "acl:relcl"}
        )

    def speaker(self, head: Token, before: int, *, until: int | None = None) -> QuoteSpeaker | None:
        """The speaker a subject (or the object of "selon") names, or None when it names nobody.

        `until` ends the phrase: "Selon Le Monde, Joan Bowell a …" names the paper, not a person
        the parser hung on it after the phrase's comma.
        """
        standing = self._pronoun_for(head)
        if standing is not None:
            text, plural = standing
            return self.pronoun(text, before, plural=plural)
        if head.pos_ == "PRON" and self._mention_of(head) is None:
            # "BFMTV rapporte …": a name in capitals the tagger took for a pronoun still names.
            return None
        named = self.named(head, until=until)
        if named is not None:
            return named
        if self.is_vague(head) and not self._reports_for(head):
            return None
        return self._unlabelled_name(head) or self._described(head, before)

    def _reports_for(self, head: Token) -> bool:
        """A report noun with its source: "selon les informations de Sky News", "les précisions du X"."""
        if not {fold(head.lemma_.lower()), head.lower_} & self.cues.spokesperson_nouns:
            return False
        phrase = self.phrase_tokens(head)
        left = min(t.idx for t in phrase)
        right = max(t.idx + len(t.text) for t in phrase)
        return any(self.index.entities[m.entity].label != "PER" for m in self.index.at(left, right))

    def pronoun_like(self, head: Token) -> bool:
        """Whether a word stands for a person named before: "il", "elle", "celle qui", "ce dernier"."""
        return self._pronoun_for(head) is not None

    def _pronoun_for(self, head: Token) -> tuple[str, bool] | None:
        """(pronoun, plural) a subject amounts to: "-t-elle", "ils", "celle qui", "ce dernier"."""
        # ".Elle estime …": a paragraph glued to the previous one leaves the stop on the pronoun.
        lowered = head.lower_.lstrip('.!?…»"”')
        nxt = head.nbor(1) if head.i + 1 < len(self.doc) else None
        if lowered in {"-t", "t"} and nxt is not None:
            return nxt.lower_, nxt.lower_.endswith("s")
        if lowered in _PLURAL or lowered == "eux":
            return lowered, True
        if lowered in _PERSONAL or lowered == "lui" or lowered.endswith(("-il", "-elle")):
            return lowered, False
        # "celle qui …", "celui qui …", "ce dernier", "cette dernière": the person just named.
        if lowered in {"celle", "celui"}:
            return ("elle" if lowered == "celle" else "il"), False
        if head.lemma_.lower() == "dernier" and any(c.lower_ in {"ce", "cette"} for c in head.children):
            return ("elle" if head.lower_.endswith("e") else "il"), False
        return None

    def definite_person(self, head: Token) -> bool:
        """A definite description of a person ("l'animateur de télévision", "cette sénatrice").

        Not of an organisation ("le ministère").
        """
        determiners = {c.lower_ for c in head.children if _is_determiner(c, head)}
        words = {fold(head.lemma_.lower()), head.lower_}
        return (
            head.pos_ == "NOUN"
            and bool(determiners & _DEFINITE)
            and not words & (self.cues.organisation_nouns | self.cues.spokesperson_nouns | _GROUP_NOUNS)
        )

    def described_gender(self, head: Token) -> str | None:
        """The gender a description's determiner or noun shows ("la ministre" F, "le maire" M)."""
        determiners = [c.lower_ for c in head.children if _is_determiner(c, head)]
        determiner = determiners[0] if determiners else None
        if head.lower_ in self.cues.genderless_nouns or head.lemma_.lower() in self.cues.genderless_nouns:
            # "la victime" may be a man, "le témoin" a woman.
            return None
        gender = self.cues.role_gender(head.lower_, determiner)
        if gender is None and head.lower_ not in self.cues.epicene_roles:
            gender = {"la": "F", "le": "M", "une": "F", "un": "M"}.get(determiner or "")
        marked = head.morph.get("Gender", [])
        if gender is None and marked and head.lower_ not in self.cues.epicene_roles:
            gender = "F" if "Fem" in marked else "M"
        return gender

    def named(self, head: Token, *, until: int | None = None) -> QuoteSpeaker | None:
        """A person in the subject or apposed to it, else the entity the subject itself is."""
        entities = self.index.entities
        subtree = self.phrase_tokens(head)
        left = min(t.idx for t in subtree)
        right = max(t.idx + len(t.text) for t in subtree)
        if until is not None:
            right = min(right, until)
        person = [m for m in self.index.at(left, right) if entities[m.entity].label == "PER"]
        if person:
            found = [self._mention_of(c) for c in (head, *(c for c in head.children if c.dep_ == "conj"))]
            pair = [e for e in found if e is not None and entities[e].label == "PER"]
            if len(set(pair)) > 1:
                # "Igor et Grichka Bogdanov ont nié": the one the article speaks of most.
                if self._counts is None:
                    self._counts = self.index.counts()
                counts = self._counts
                return _speaker(entities, max(pair, key=lambda e: counts.get(e, 0)))
            return _speaker(entities, person[0].entity)
        appos = self._appos_after(head) if until is None else None
        if appos is not None:
            return _speaker(entities, appos)
        own = self._mention_of(head)
        # A demonym ("le Danois") is a role, not the speaker; a magazine the tagger called MISC speaks.
        if own is not None and (entities[own].label != "MISC" or not _demonym(head)):
            return _speaker(entities, own)
        return None

    def _described(self, head: Token, before: int) -> QuoteSpeaker:
        """A subject described, not named: a spokesperson, an organisation word or a role."""
        entities = self.index.entities
        name = self.noun_phrase(head)
        words = {fold(head.lemma_.lower()), head.lower_}
        determiners = [c.lower_ for c in head.children if _is_determiner(c, head)]
        phrase = self.phrase_tokens(head)
        left = min(t.idx for t in phrase)
        right = max(t.idx + len(t.text) for t in phrase)
        others = [m.entity for m in self.index.at(left, right) if entities[m.entity].label != "PER"]
        if words & self.cues.spokesperson_nouns and (others or not words & self.cues.organisation_nouns):
            # "un porte-parole du ministère" speaks for it; "le site d'information" is a title itself.
            # The paper it speaks to ("un membre de la chambre d'agriculture à La Nouvelle
            # République") is not what it speaks for.
            sources = [
                m.entity
                for m in self.index.at(left, right)
                if entities[m.entity].label != "PER" and not self._addressed(m)
            ]
            return self._spokesperson(name, sources, determiners, before)
        demonym = self._mention_of(head) is not None or _demonym(head)
        unnamed = any(d in self.cues.unnamed_determiners for d in determiners)
        if unnamed or (head.pos_ == "PROPN" and not demonym):
            # "Leur avocat annonce …" after "Me Florence Rault": a possessive role is the person
            # it was given to before, when there is one ("sa mère" alone names nobody).
            possessive = any(d in _POSSESSIVE for d in determiners) and self.cues.is_role(head.lower_)
            return self.role(head, name, before) if possessive else QuoteSpeaker(name=name, entity=None)
        if words & self.cues.organisation_nouns:
            return self._organisation(head, name, others, before)
        role = self.role(head, name, before)
        if role.entity is None and not self._bare(head) and self.definite_person(head):
            # "Le maire de Bordeaux y croyait." opening an article about Alain Juppé.
            return self.title_person(before, self.described_gender(head)) or role
        if role.entity is not None or not self._bare(head) or not self._person_noun(head):
            # "confie le couple": a noun that is no one's role names nobody in particular.
            return role
        gender = self.described_gender(head)
        # "Alcaraz affrontera Zverev. L'Espagnol estime …": the role is who the sentence before is about.
        topic = self.topic(before, gender) if self.topic is not None else None
        if topic is None and self._former(head):
            # "l'ancien PDG": a former role is an epithet of the person the article is about.
            topic = self.salient_person(before, SEARCH_WINDOW, gender)
        return (
            topic
            or self.nearest_person(before, _PERSON_WINDOW, gender)
            or self.title_person(before, gender)
            or role
        )

    def _unlabelled_name(self, head: Token) -> QuoteSpeaker | None:
        """The proper name right after a role, which the entity stage made no mention of.

        "raconte le député Grand Shapps": the name's words are who speaks, not the role's. A surname
        the entity stage found ("le député Pellow" after "Tom Pellow") is a mention: the role path
        reads it.
        """
        if head.pos_ != "NOUN" or not (self.cues.is_role(head.lower_) or self.cues.is_role(head.lemma_)):
            return None
        run: list[Token] = []
        for token in self.doc[head.i + 1 : min(len(self.doc), head.i + 1 + _NAME_RUN)]:
            letters = token.text.replace("-", "").replace("'", "")
            # "le député LR": a party's acronym after a role is no name of the person.
            shaped = token.text[:1].isupper() and letters.isalpha() and not letters.isupper()
            if not shaped:
                break
            run.append(token)
        # The words hang on the role or on each other ("Grand" on "Shapps", "Shapps" on "député").
        inside = {head.i, *(t.i for t in run)}
        if not run or all(t.pos_ != "PROPN" for t in run) or any(t.head.i not in inside for t in run):
            return None
        start, end = run[0].idx, run[-1].idx + len(run[-1].text)
        if self.index.at(start, end):
            # A party, a place or a title the entity stage found ("le député Renaissance").
            return None
        return QuoteSpeaker(name=self.body[start:end], entity=None)

    def _person_noun(self, head: Token) -> bool:
        """A noun that may stand for one person: not a group ("le couple", "la famille")."""
        return head.lemma_.lower() not in _GROUP_NOUNS and head.lower_ not in _GROUP_NOUNS

    def _addressed(self, m: _Mention) -> bool:
        """Whether a mention follows "à"/"au" ("… à La Nouvelle République"): who is spoken to."""
        words = _bare_words(self.body[max(0, m.start - 12) : m.start])
        while words and words[-1] in {"la", "le", "les", ""}:
            words.pop()
        return bool(words) and words[-1] in {"à", "au", "aux"}

    def _spokesperson(
        self, name: str, others: list[int], determiners: list[str], before: int
    ) -> QuoteSpeaker:
        """A spokesperson or a document: the organisation in its phrase, else the one just written of.

        "Dans un communiqué, Downing Street se veut rassurant. « … », confirme le texte."
        """
        if others:
            return _speaker(self.index.entities, others[0])
        definite = any(d in {"le", "la", "l'", "l\u2019", "ce", "cette"} for d in determiners)
        author = self.organisation_source(before) if definite and self.organisation_source else None
        return (
            QuoteSpeaker(name=name, entity=None) if author is None else _speaker(self.index.entities, author)
        )

    def _organisation(self, head: Token, name: str, others: list[int], before: int) -> QuoteSpeaker:
        """An organisation word: the entity in its phrase, an earlier fuller phrase, or a cluster near."""
        entities = self.index.entities
        if others:
            return _speaker(entities, others[0])
        # "le ministère de la Santé" names itself: only a bare "le ministère" is an earlier one.
        described = any(c.dep_ in _DESCRIBING_DEPS for c in head.children)
        earlier = None if described else self._earlier_phrase(head)
        if earlier is not None:
            # "Le ministère israélien des Affaires étrangères a démenti. Le ministère affirme …"
            return self.named(earlier) or QuoteSpeaker(name=self.noun_phrase(earlier), entity=None)
        words = {fold(head.lemma_.lower()), head.lower_}
        media = bool(words & self.cues.media_nouns)
        found = self._nearest_organisation(fold(head.lemma_.lower()), before, media=media)
        # "Les syndicats saluent …": several organisations, none of them in particular.
        plural = "Plur" in head.morph.get("Number", [])
        if found is None and self.organisation_source is not None and not plural:
            # "Airbus a relevé ses prévisions. L'avionneur européen explique …"
            found = self.organisation_source(before)
        if found is None and not plural:
            found = self._nearest_org(before)
        return QuoteSpeaker(name=name, entity=None) if found is None else _speaker(entities, found)

    def _earlier_phrase(self, head: Token) -> Token | None:
        """An earlier, fuller noun phrase with the same head noun ("le ministère israélien …")."""
        lemma = head.lemma_.lower()
        for k in range(head.i - 1, max(-1, head.i - _EARLIER_TOKENS), -1):
            token = self.doc[k]
            if (
                token.lemma_.lower() == lemma
                and token.pos_ == "NOUN"
                and not self._inside_quote(token.idx)
                and any(c.dep_ in _DESCRIBING_DEPS for c in token.children)
            ):
                return token
        return None
