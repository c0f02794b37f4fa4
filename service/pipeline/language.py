"""The language stage: py3langid (its model ships inside its wheel) on the start of the cleaned body."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from service.errors import UnsupportedLanguageError
from service.model import Language
from service.pipeline.article import Article, StageResources, need

__all__ = ["LanguageDetector", "LanguageGuess", "LanguageStage"]

# Under this many letters a guess says little ("Bonjour" scores 0.15 French); such texts
# are accepted rather than refused on noise.
_MIN_LETTERS = 40
# A few paragraphs identify the language as well as the whole article, at a fraction of the cost.
_SAMPLE_CHARS = 3_000
# The identifier's cost is linear in its input (about 1 ms per 1,000 characters): a first look
# at the start settles a clearly French text (400 OrangeSum articles: all of them, each with the
# confidence the full sample gives), and only the others are read on to the full sample.
_FIRST_LOOK_CHARS = 600
_SURELY_FRENCH = 0.9999


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    """The most likely language, its probability and the probability of French."""

    code: str
    confidence: float
    french: float
    decisive: bool


class LanguageDetector:
    """Identifies the language of a text; loaded once per worker."""

    def __init__(self) -> None:
        self._identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)

    def detect(self, text: str) -> LanguageGuess:
        """Guess the language of `text`; `decisive` is false when the text is too short to judge."""
        ranked = self._identifier.rank(text)
        code, confidence = ranked[0]
        french = next((float(p) for lang, p in ranked if lang == "fr"), 0.0)
        # Counting stops at the threshold: only whether there are that many letters matters.
        letters = sum(1 for _ in itertools.islice(filter(str.isalpha, text[:2_000]), _MIN_LETTERS))
        return LanguageGuess(
            code=str(code),
            confidence=float(confidence),
            french=french,
            decisive=letters >= _MIN_LETTERS,
        )


class LanguageStage:
    """Stage: the body's language; a text that is clearly not French is refused."""

    name = "language"
    version = "2"
    data_files: tuple[str, ...] = ()

    def __init__(self) -> None:
        self._detector: LanguageDetector | None = None
        self._min_french = 0.0

    def load(self, resources: StageResources) -> None:
        """Load the identifier model and the refusal threshold."""
        self._detector = LanguageDetector()
        self._min_french = resources.min_french_confidence

    def __call__(self, article: Article) -> None:
        """Set `article.language`, or raise UnsupportedLanguageError."""
        body = need(article.cleaned, "the cleaned body").body
        detector = need(self._detector, "the language identifier")
        guess = detector.detect(body[:_FIRST_LOOK_CHARS])
        if len(body) > _FIRST_LOOK_CHARS and not (guess.decisive and guess.french >= _SURELY_FRENCH):
            guess = detector.detect(body[:_SAMPLE_CHARS])
        if guess.decisive and guess.code != "fr" and guess.french < self._min_french:
            msg = f"the text looks like '{guess.code}' (p={guess.confidence:.2f}); only French is supported"
            raise UnsupportedLanguageError(msg, language=guess.code, confidence=guess.confidence)
        article.language = Language(code="fr", confidence=round(guess.french, 4))
