"""The summary stage: which sentences it picks, in which order, with which offsets."""

from __future__ import annotations

import pytest
from spacy.language import Language

from service.model import Paragraph, SummarySentence
from service.pipeline.summary.features import FEATURES, features
from service.pipeline.summary.stage import load_summary_model, summarize

MODEL = load_summary_model()

LEDE = (
    "Le gouvernement a annoncé mardi un plan de 2,5 milliards d'euros pour rénover les écoles "
    "rurales du pays."
)
MINISTER = "M. Durand, ministre de l'Éducation, a présenté les mesures devant les députés."
QUOTE = (
    "« Nous voulons que chaque enfant étudie dans de bonnes conditions. C'est une priorité », "
    "a déclaré Mme Martin, secrétaire d'État, lors d'une conférence de presse."
)
QUESTION = "Pourquoi le gouvernement agit-il seulement maintenant, après des années d'attente ?"
HEADING = "Des travaux dès l'été"
WORKS = "Les premiers chantiers commenceront en juillet dans trois régions pilotes."
BARE_QUOTE = "« Les élus locaux seront consultés avant chaque décision. »"
ATTRIBUTION = "C'est ce qu'a précisé le ministre jeudi soir."
SHORT = "Le calendrier reste flou."
UNIONS = "Les syndicats d'enseignants ont salué l'annonce mais demandent des moyens humains supplémentaires."
BLOCKS = [
    ("paragraph", f"{LEDE} {MINISTER}"),
    ("paragraph", QUOTE),
    ("paragraph", QUESTION),
    ("heading", HEADING),
    ("paragraph", f"{WORKS} {BARE_QUOTE} {ATTRIBUTION}"),
    ("paragraph", SHORT),
    ("paragraph", UNIONS),
]


def _article(blocks: list[tuple[str, str]]) -> tuple[str, list[Paragraph]]:
    """Join blocks with blank lines as the cleaning stage does, with their paragraph offsets."""
    paragraphs = []
    offset = 0
    for kind, text in blocks:
        paragraphs.append(Paragraph(start=offset, end=offset + len(text), kind=kind))  # type: ignore[arg-type]
        offset += len(text) + 2
    return "\n\n".join(text for _, text in blocks), paragraphs


def _summary(nlp: Language, blocks: list[tuple[str, str]], count: int) -> tuple[str, list[SummarySentence]]:
    body, paragraphs = _article(blocks)
    return body, summarize(nlp(body), paragraphs, [], [], count, model=MODEL)


def test_every_eligible_sentence_when_asking_for_many(nlp: Language) -> None:
    """Asking for 10 gives every eligible sentence: no heading, question, fragment or bare quote."""
    body, summary = _summary(nlp, BLOCKS, 10)
    assert [LEDE, MINISTER, QUOTE, WORKS, ATTRIBUTION, UNIONS] == [s.text for s in summary]
    assert [s.text for s in summary] == [body[s.start : s.end] for s in summary]


def test_three_sentences_in_article_order_with_the_lede(nlp: Language) -> None:
    """The default three picks come in article order, the lede first, with exact offsets."""
    body, summary = _summary(nlp, BLOCKS, 3)
    assert [(0, len(LEDE)), (len(LEDE) + 1, len(LEDE) + 1 + len(MINISTER))] == [
        (s.start, s.end) for s in summary[:2]
    ]
    assert 3 == len(summary)
    assert sorted(s.start for s in summary) == [s.start for s in summary]
    assert [s.text for s in summary] == [body[s.start : s.end] for s in summary]


def test_scores_are_relative_to_the_best_sentence(nlp: Language) -> None:
    """Scores lie in [0, 1] and the article's best sentence scores exactly 1.0."""
    _, summary = _summary(nlp, BLOCKS, 10)
    assert 1.0 == max(s.score for s in summary)
    assert all(0.0 <= s.score <= 1.0 for s in summary)


def test_near_duplicate_is_not_picked_twice(nlp: Language) -> None:
    """Redundancy removal skips a sentence that repeats an already picked one."""
    repeat = "Un plan de 2,5 milliards d'euros pour rénover les écoles rurales du pays a été annoncé mardi."
    other = "Les maires des petites communes attendent depuis longtemps une aide pour leurs bâtiments."
    _, summary = _summary(nlp, [("paragraph", f"{LEDE} {repeat}"), ("paragraph", other)], 2)
    assert [LEDE, other] == [s.text for s in summary]


def test_short_article_gives_fewer_sentences(nlp: Language) -> None:
    """An article with one eligible sentence returns only that one, whatever the request."""
    _, summary = _summary(nlp, [("heading", HEADING), ("paragraph", f"{WORKS} {SHORT}")], 3)
    assert [WORKS] == [s.text for s in summary]


@pytest.mark.parametrize("blocks", [[], [("heading", HEADING)]])
def test_nothing_to_pick_gives_an_empty_summary(nlp: Language, blocks: list[tuple[str, str]]) -> None:
    """A body with no paragraph sentence gives an empty summary."""
    _, summary = _summary(nlp, blocks, 3)
    assert [] == summary


def test_shipped_model_matches_the_feature_columns() -> None:
    """The weights file names the same feature columns, in the same order, as the code."""
    model = load_summary_model()
    assert len(FEATURES) == len(model.weights)
    assert "déclarer" in model.vocabulary.attribution_lemmas


def test_glued_heading_is_never_picked(nlp: Language) -> None:
    """A heading glued to the first sentence of its block is left out of the summary."""
    _, summary = _summary(nlp, [("paragraph", f"Des travaux dès l'été {WORKS}"), ("paragraph", UNIONS)], 3)
    assert [WORKS, UNIONS] == [s.text for s in summary]


FLOOD = (
    "La crue de la Loire a inondé mardi plusieurs quartiers d'Orléans et forcé l'évacuation "
    "de deux cents habitants."
)
FIRE = (
    "Un incendie de forêt a détruit mercredi près de trois cents hectares de pins dans le massif des Landes."
)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        (None, FIRE),
        ("Orléans sous les eaux après la crue de la Loire", FLOOD),
        ("Les Landes ravagées par un incendie de forêt", FIRE),
    ],
)
def test_title_decides_between_two_close_sentences(nlp: Language, title: str | None, expected: str) -> None:
    """Of two sentences of the same shape, the one that echoes the title is the one-sentence summary."""
    body, paragraphs = _article([("paragraph", f"{FLOOD} {FIRE}")])
    summary = summarize(nlp(body), paragraphs, [], [], 1, model=MODEL, title=title)
    assert [expected] == [s.text for s in summary]


def test_title_columns_measure_the_echo_of_the_title(nlp: Language) -> None:
    """Title overlap is the share of the title's content words a sentence repeats; none without a title."""
    body, paragraphs = _article([("paragraph", f"{FLOOD} {FIRE}")])
    doc = nlp(body)
    vocabulary = load_summary_model().vocabulary
    overlap = FEATURES.index("title_overlap")
    best = FEATURES.index("title_overlap_best")
    title = "Orléans sous les eaux après la crue de la Loire"
    with_title = features(doc, paragraphs, [], [], vocabulary, title=title)
    without = features(doc, paragraphs, [], [], vocabulary)
    assert [0.75, 0.0] == with_title.matrix[:, overlap].tolist()
    assert [1.0, 0.0] == with_title.matrix[:, best].tolist()
    assert [0.0, 0.0] == without.matrix[:, overlap].tolist()
