"""The French quotation cues the quotes stage reads: speech verbs, attribution words, roles."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from spacy.strings import get_string_id

from service.data import DATA_DIR

__all__ = ["OPENING_WORDS", "QUOTE_CUES", "Cues", "load_cues"]

QUOTE_CUES = DATA_DIR / "quote_cues.json"
OPENING_WORDS = frozenset({"d'", "d\u2019", "comme"})
"""Words besides the "selon" prepositions that open "d'après X" or "comme le rappelle X"."""
"""The shipped word lists of the quotes stage."""


def _lemmas(words: list[str]) -> frozenset[str]:
    """Single-token lemmas of a list: a reflexive keeps its verb ("se dire" -> dire); phrases are dropped."""
    out: set[str] = set()
    for word in words:
        if word.startswith("s'"):
            out.add(word[2:])
        elif word.startswith("se "):
            out.add(word[3:])
        elif " " not in word:
            out.add(word)
    return frozenset(out)


_ER_ENDINGS = (
    "e",
    "es",
    "ent",
    "é",
    "ée",
    "és",
    "ées",
    "ait",
    "aient",
    "a",
    "èrent",
    "era",
    "eront",
    "erait",
    "eraient",
    "ant",
)


def _forms(lemmas: frozenset[str], irregular: dict[str, list[str]]) -> frozenset[str]:
    """Inflected forms of the lemmas: the tagger's lemmas miss some ("estime" stays "estime")."""
    out: set[str] = set(lemmas)
    for lemma in lemmas:
        if lemma.endswith("er"):
            stem = lemma[:-2]
            # "répéter" -> "répète": the stem's last é turns grave before a mute ending.
            out.update(stem + ending for ending in _ER_ENDINGS)
            if "é" in stem[-3:]:
                grave = stem[::-1].replace("é", "è", 1)[::-1]
                out.update({grave + "e", grave + "ent"})
        out.update(irregular.get(lemma, []))
    return frozenset(out)


@dataclass(frozen=True, slots=True)
class Cues:
    """Word lists that make a quotation attributed, a clause reported, or a term not a quote."""

    speech_verbs: frozenset[str]
    """Lemmas whose subject says a quotation next to them."""
    that_verbs: frozenset[str]
    """Lemmas that report a statement in a `que` clause ("X affirme que ...")."""
    de_verbs: frozenset[str]
    """Lemmas that report a statement as "de" + infinitive ("X lui reproche d'avoir …", "X nie avoir …")."""
    fragment_verbs: frozenset[str]
    """Lemmas that weave a quoted fragment into their clause ("X dénonce une réforme « injuste »")."""
    according_to: frozenset[str]
    """Prepositions that attribute the clause they open ("selon", "d'après")."""
    for_pronouns: frozenset[str]
    """Pronouns that make "pour X, ..." an attribution ("pour lui, ...")."""
    vague_subjects: frozenset[str]
    """Subjects that stand for a whole field or nobody in particular: not a speaker."""
    title_cues: frozenset[str]
    """Words before a short quoted term that make it a name or a label, not a quote."""
    feminine: frozenset[str]
    """Words before a person's name that say she is a woman ("Mme", "la")."""
    masculine: frozenset[str]
    """Words before a person's name that say he is a man ("M.", "le")."""
    organisation_nouns: frozenset[str]
    """Common nouns that stand for an organisation ("le ministère", "le syndicat")."""
    spokesperson_nouns: frozenset[str]
    """Nouns of someone speaking for the organisation named after them ("un porte-parole du ministère")."""
    unnamed_determiners: frozenset[str]
    """Determiners of an unnamed source ("un témoin", "sa mère"): no cluster is guessed for it."""
    speech_forms: frozenset[str]
    """Lower-case forms of the speech verbs."""
    that_forms: frozenset[str]
    """Lower-case forms of the reporting verbs."""
    fragment_forms: frozenset[str]
    """Lower-case forms of the fragment verbs."""
    de_forms: frozenset[str]
    """Lower-case forms of the "de" + infinitive verbs."""
    feminine_roles: frozenset[str] = frozenset()
    """Role nouns that name a woman ("avocate", "présidente")."""
    masculine_roles: frozenset[str] = frozenset()
    """Role nouns that name a man ("avocat", "président")."""
    epicene_roles: frozenset[str] = frozenset()
    """Role nouns whose determiner tells the gender ("la ministre", "le juge")."""
    genderless_nouns: frozenset[str] = frozenset()
    """Nouns whose grammatical gender says nothing of the person ("la victime", "le témoin")."""
    media_nouns: frozenset[str] = frozenset()
    """Nouns that stand for a press title ("le quotidien", "le site d'information")."""
    first_names: dict[str, str] | None = None
    """Lower-case first names with their gender ("F" or "M")."""
    turn_verbs: frozenset[str] = frozenset()
    """Lemmas that take a turn in a dialogue only as an incise after the words ("« … » a fini X")."""
    reflexive_only: frozenset[str] = frozenset()
    """Lemmas and forms of speech verbs listed only as reflexive ("s'inquiéter", not "inquiéter")."""
    opener_lemma_ids: frozenset[int] = frozenset()
    """String ids of the lemmas that may open a reported statement (speech, `que`, `de` verbs, "savoir")."""
    opener_form_ids: frozenset[int] = frozenset()
    """String ids of the lower-case forms that may open one (the verbs' forms, "selon", "d'", "comme")."""
    cue_lemma_ids: frozenset[int] = frozenset()
    """String ids of the lemmas that may attribute a quotation (speech and fragment verbs, "savoir")."""
    cue_form_ids: frozenset[int] = frozenset()
    """String ids of the lower-case forms of the speech and fragment verbs."""

    def role_gender(self, noun: str, determiner: str | None) -> str | None:
        """Gender ("F"/"M") a role noun shows, its determiner deciding for "ministre" or "juge"."""
        noun = noun.lower()
        if noun in self.feminine_roles:
            return "F"
        if noun in self.masculine_roles:
            return "M"
        if noun in self.epicene_roles and determiner is not None:
            return {"la": "F", "une": "F", "cette": "F", "le": "M", "un": "M", "ce": "M", "cet": "M"}.get(
                determiner.lower()
            )
        return None

    def is_role(self, noun: str) -> bool:
        """Whether a noun names a person's role or occupation (gendered or not)."""
        noun = noun.lower()
        return noun in self.feminine_roles or noun in self.masculine_roles or noun in self.epicene_roles

    def first_name_gender(self, word: str) -> str | None:
        """Gender of a first name ("Claire" F, "Marc" M), None when unknown or shared."""
        return (self.first_names or {}).get(word.lower())

    def speech(self, lemma: str, lower: str) -> bool:
        """Whether a verb (lemma, lower-case form) is a speech verb."""
        return lemma in self.speech_verbs or lower in self.speech_forms

    def needs_reflexive(self, lemma: str, lower: str) -> bool:
        """Whether a speech verb speaks only with its reflexive pronoun ("s'inquiète", not "inquiétait")."""
        return lemma in self.reflexive_only or lower in self.reflexive_only

    def reporting(self, lemma: str, lower: str) -> bool:
        """Whether a verb reports a statement in a `que` clause."""
        return lemma in self.that_verbs or lower in self.that_forms

    def infinitive(self, lemma: str, lower: str) -> bool:
        """Whether a verb reports a statement as "de" + infinitive."""
        return lemma in self.de_verbs or lower in self.de_forms

    def weaving(self, lemma: str, lower: str) -> bool:
        """Whether a verb weaves a quoted fragment into its clause."""
        return lemma in self.fragment_verbs or lower in self.fragment_forms


def load_cues(path: Path = QUOTE_CUES) -> Cues:
    """Read the cue lists (the quotes stage does it once per process)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    speech, that, fragment = (_lemmas(data[k]) for k in ("speech_verbs", "that_verbs", "fragment_verbs"))
    irregular: dict[str, list[str]] = data["irregular_forms"]
    plain = _lemmas([w for w in data["speech_verbs"] if not w.startswith(("s'", "se "))])
    reflexive = _lemmas([w for w in data["speech_verbs"] if w.startswith(("s'", "se "))]) - plain
    de = _lemmas(data["de_verbs"])
    forms = {k: _forms(v, irregular) for k, v in (("speech", speech), ("that", that), ("de", de))}
    openers = frozenset(data["according_to"]) | OPENING_WORDS
    return Cues(
        speech_verbs=speech,
        that_verbs=that,
        fragment_verbs=fragment,
        de_verbs=de,
        de_forms=forms["de"],
        speech_forms=forms["speech"],
        that_forms=forms["that"],
        fragment_forms=_forms(fragment, irregular),
        according_to=frozenset(data["according_to"]),
        for_pronouns=frozenset(data["for_pronouns"]),
        vague_subjects=frozenset(data["vague_subjects"]),
        title_cues=frozenset(data["title_cues"]),
        feminine=frozenset(data["feminine_words"]),
        organisation_nouns=frozenset(data["organisation_nouns"]),
        spokesperson_nouns=frozenset(data["spokesperson_nouns"]),
        unnamed_determiners=frozenset(data["unnamed_determiners"]),
        masculine=frozenset(data["masculine_words"]),
        feminine_roles=frozenset(data["feminine_roles"]),
        masculine_roles=frozenset(data["masculine_roles"]),
        epicene_roles=frozenset(data["epicene_roles"]),
        genderless_nouns=frozenset(data["genderless_nouns"]),
        media_nouns=frozenset(data["media_nouns"]),
        turn_verbs=frozenset(data.get("turn_verbs", [])),
        reflexive_only=reflexive | (_forms(reflexive, irregular) - _forms(plain, irregular)),
        first_names={
            **{n.lower(): "F" for n in data["feminine_first_names"]},
            **{n.lower(): "M" for n in data["masculine_first_names"]},
        },
        opener_lemma_ids=frozenset(get_string_id(w) for w in speech | that | de | {"savoir"}),
        opener_form_ids=frozenset(
            get_string_id(w) for w in forms["speech"] | forms["that"] | forms["de"] | openers
        ),
        cue_lemma_ids=frozenset(get_string_id(w) for w in speech | fragment | {"savoir"}),
        cue_form_ids=frozenset(get_string_id(w) for w in forms["speech"] | _forms(fragment, irregular)),
    )
