"""Sentence segmentation for the summary: French news punctuation, quotes and block limits."""

from __future__ import annotations

from types import SimpleNamespace
from typing import cast

from spacy.language import Language

from service.model import Paragraph
from service.pipeline.article import Article
from service.pipeline.sentences import SentencesStage
from service.pipeline.text.sentences import split_sentences


def _body(*blocks: tuple[str, str]) -> tuple[str, list[Paragraph]]:
    """Join (kind, text) blocks the way the cleaning stage does, with their offsets."""
    paragraphs = []
    offset = 0
    for kind, text in blocks:
        paragraphs.append(Paragraph(start=offset, end=offset + len(text), kind=kind))  # type: ignore[arg-type]
        offset += len(text) + 2
    return "\n\n".join(text for _, text in blocks), paragraphs


def _texts(nlp: Language, *blocks: tuple[str, str]) -> list[str]:
    body, paragraphs = _body(*blocks)
    sentences = split_sentences(nlp(body), paragraphs)
    return [body[s.start : s.end] for s in sentences]


def test_courtesy_titles_do_not_end_sentences(nlp: Language) -> None:
    """A full stop after "M." or "MM." and the title "Mme" never splits a sentence."""
    text = (
        "M. Leroux a reçu Mme Caron et MM. Petit et Blanc à la mairie. "
        "Ils ont parlé du budget de 2,5 milliards d'euros et du missile S-400."
    )
    expected = [
        "M. Leroux a reçu Mme Caron et MM. Petit et Blanc à la mairie.",
        "Ils ont parlé du budget de 2,5 milliards d'euros et du missile S-400.",
    ]
    assert expected == _texts(nlp, ("paragraph", text))


def test_quotation_with_attribution_stays_one_sentence(nlp: Language) -> None:
    """Sentences inside « » that end with their attribution form one sentence."""
    text = "« Le chantier est lancé. Nous tiendrons les délais », a assuré la maire de la ville mardi."
    assert [text] == _texts(nlp, ("paragraph", text))


def test_closing_quote_belongs_to_the_quoted_sentence(nlp: Language) -> None:
    """A closing straight quote after a full stop ends the quoted sentence, not the next one."""
    text = (
        '"Les riverains seront consultés. Aucune décision ne sera prise sans eux." '
        "Le conseil municipal se réunira lundi prochain pour voter le projet."
    )
    expected = [
        '"Les riverains seront consultés. Aucune décision ne sera prise sans eux."',
        "Le conseil municipal se réunira lundi prochain pour voter le projet.",
    ]
    assert expected == _texts(nlp, ("paragraph", text))


def test_sentences_never_cross_blocks(nlp: Language) -> None:
    """A heading block and the paragraph after it give separate sentences with exact offsets."""
    body, paragraphs = _body(
        ("heading", "Un hiver très doux"),
        ("paragraph", "Les stations de ski manquent de neige depuis le début du mois de janvier."),
    )
    sentences = split_sentences(nlp(body), paragraphs)
    expected = [
        (0, 18, True, "Un hiver très doux"),
        (20, 93, False, "Les stations de ski manquent de neige depuis le début du mois de janvier."),
    ]
    assert expected == [(s.start, s.end, s.heading, body[s.start : s.end]) for s in sentences]


def test_without_paragraphs_lines_are_blocks(nlp: Language) -> None:
    """With no paragraph list, every non-blank line of the body is a block of its own."""
    body = "Premier titre sans point\nLa suite de l'article explique la situation en détail."
    sentences = split_sentences(nlp(body), [])
    expected = [
        (0, "Premier titre sans point", False),
        (1, "La suite de l'article explique la situation en détail.", True),
    ]
    assert expected == [(s.block, body[s.start : s.end], s.terminal) for s in sentences]


def test_heading_glued_to_first_sentence_is_cut_off(nlp: Language) -> None:
    """A short heading without punctuation at the start of a block becomes its own unterminated piece."""
    text = "Des travaux dès l'été Les premiers chantiers commenceront en juillet dans trois régions."
    body, paragraphs = _body(("paragraph", text))
    sentences = split_sentences(nlp(body), paragraphs)
    expected = [
        ("Des travaux dès l'été", False),
        ("Les premiers chantiers commenceront en juillet dans trois régions.", True),
    ]
    assert expected == [(body[s.start : s.end], s.terminal) for s in sentences]


def test_capitalized_article_inside_names_does_not_split(nlp: Language) -> None:
    """Names with a capitalized article, such as Marine Le Pen or Le Monde, stay inside the sentence."""
    text = "Marine Le Pen a lu Le Figaro et Le Monde avant de partir au Havre."
    assert [text] == _texts(nlp, ("paragraph", text))


def test_sentences_stage_splits_once_for_the_stages_after_it(nlp: Language) -> None:
    """The sentences stage leaves the split on the Doc: quotes and summary then get that very split."""
    body, paragraphs = _body(
        ("body", "Le maire a parlé. « Nous ouvrirons l'école », a-t-il dit. Les parents applaudissent.")
    )
    doc = nlp(body)
    article = cast(Article, SimpleNamespace(doc=doc, cleaned=SimpleNamespace(paragraphs=paragraphs)))
    SentencesStage()(article)
    stored = doc.user_data["service.sentences"][1]
    again = split_sentences(doc, paragraphs)
    assert [body[s.start : s.end] for s in again] == [
        "Le maire a parlé.",
        "« Nous ouvrirons l'école », a-t-il dit.",
        "Les parents applaudissent.",
    ]
    assert all(a is b for a, b in zip(again, stored, strict=True))
