"""The language stage: a first look at the body's start, the full sample only when in doubt."""

from __future__ import annotations

import pytest

from service.errors import UnsupportedLanguageError
from service.model import EnrichOptions
from service.pipeline.article import Article, Cleaned, StageResources
from service.pipeline.language import LanguageDetector, LanguageStage
from service.pipeline.normalize import normalize

_FRENCH = (
    "Le syndicat des transports de la métropole a présenté mardi son plan pour les cinq prochaines "
    "années. Les lignes de bus seront prolongées jusqu'aux communes de la deuxième couronne, et deux "
    "nouvelles stations de tramway ouvriront avant la rentrée. Les élus de l'opposition regrettent "
    "que le calendrier des travaux reste flou et demandent une réunion publique dans chaque quartier "
    "concerné. "
)
_ENGLISH = (
    "The regional transport authority presented its five-year plan on Tuesday. Bus routes will be "
    "extended to the outer suburbs, and two new tram stations are expected to open before the "
    "autumn. Opposition councillors complained that the construction schedule remains vague and "
    "asked for a public meeting in every district affected by the works. "
)


def _stage() -> LanguageStage:
    stage = LanguageStage()
    stage.load(StageResources(nlp=None, min_french_confidence=0.5))  # type: ignore[arg-type]
    return stage


def _article(body: str) -> Article:
    article = Article(id="t", text=normalize(body), title=None, options=EnrichOptions())
    article.cleaned = Cleaned(title=None, body=body, paragraphs=[])
    return article


def test_a_french_article_is_french_from_its_first_look() -> None:
    """A French article is settled on its first 600 characters, with full confidence."""
    body = _FRENCH * 8
    article = _article(body)
    _stage()(article)
    assert article.language is not None
    assert "fr" == article.language.code
    assert article.language.confidence >= 0.9999


def test_an_english_article_is_refused() -> None:
    """A text clearly in another language is refused, whatever its length."""
    with pytest.raises(UnsupportedLanguageError):
        _stage()(_article(_ENGLISH * 8))


def test_a_french_article_opening_on_an_english_quotation_is_read_on() -> None:
    """A start that is not surely French sends the stage on to the first 3,000 characters, which decide."""
    body = _ENGLISH * 2 + _FRENCH * 8
    assert "en" == LanguageDetector().detect(body[:600]).code
    article = _article(body)
    _stage()(article)
    assert article.language is not None
    assert "fr" == article.language.code


def test_a_text_too_short_to_judge_is_accepted() -> None:
    """Under 40 letters a guess says nothing: the text is accepted rather than refused on noise."""
    article = _article("OK, thanks!")
    _stage()(article)
    assert article.language is not None
