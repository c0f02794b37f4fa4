"""Nothing is lost by cleaning: the body and the removed spans hold every character of the input."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from service.pipeline.clean import clean
from service.pipeline.clean.rules import load_rules
from service.pipeline.normalize import normalize, removals_in_input

RULES = load_rules()
DATA = Path(__file__).resolve().parents[2] / "data"
PROSE = "Le maire a présenté jeudi un plan de rénovation des écoles, estimé à 40 millions d'euros. "

SHAPES = {
    "symbol run in prose": PROSE + "(" * 500 + " " + PROSE,
    "emoji run in prose": PROSE + "\U0001f600" * 300 + "\n" + PROSE,
    "stacked marks": PROSE + "e" + "\u0301\u0316" * 200 + " " + PROSE,
    "crlf and odd spaces": (PROSE + "\r\n\u00a0Partager\u202f: Facebook\r\n") * 3,
    "unclosed quote": "Il a déclaré : « " + PROSE * 20,
    "credit lines": PROSE + "\n" + "\n".join(f"© Photo {i} / AFP" for i in range(50)) + "\n" + PROSE,
    "newlines": "Titre\n" + "\n" * 500 + PROSE,
}


def _texts() -> list[tuple[str, str]]:
    files = sorted((DATA / "articles").glob("*.txt")) + sorted((DATA / "clean").glob("*.txt"))
    return [(p.name, p.read_text(encoding="utf-8")) for p in files] + list(SHAPES.items())


def _letters(text: str) -> Counter[str]:
    return Counter(ch for ch in text if not ch.isspace())


@pytest.mark.parametrize(("name", "raw"), _texts(), ids=[name for name, _ in _texts()])
def test_body_and_removals_rebuild_the_input(name: str, raw: str) -> None:
    """Every non-blank character of the normalized input is in the body or in exactly one removal."""
    text = normalize(raw)
    cleaned = clean(text, RULES)
    kept = _letters(cleaned.body) + sum((_letters(r.text) for r in cleaned.removed), Counter())
    assert _letters(text.text) == kept
    for removal in removals_in_input(cleaned.removed, text):
        assert removal.text == raw[removal.start : removal.end]
    for paragraph in cleaned.paragraphs:
        assert cleaned.body[paragraph.start : paragraph.end].strip()
