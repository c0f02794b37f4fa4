"""Language identification with py3langid, whose model ships inside its wheel."""

from __future__ import annotations

from dataclasses import dataclass

from py3langid.langid import MODEL_FILE, LanguageIdentifier

__all__ = ["LanguageDetector", "LanguageGuess"]

# Under this many letters a guess says little ("Bonjour" scores 0.15 French); such texts
# are accepted rather than refused on noise.
_MIN_LETTERS = 40


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
        letters = sum(1 for ch in text[:2_000] if ch.isalpha())
        return LanguageGuess(
            code=str(code),
            confidence=float(confidence),
            french=french,
            decisive=letters >= _MIN_LETTERS,
        )
