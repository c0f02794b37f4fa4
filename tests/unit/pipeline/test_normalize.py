"""Normalization unifies Unicode and white space while keeping exact offsets into the raw input."""

from __future__ import annotations

import pytest

from service.pipeline.normalize import normalize


def test_clean_text_is_returned_as_is() -> None:
    """Text needing no change maps every offset to itself."""
    raw = "Le maire a parlé.\nFin."
    text = normalize(raw)
    assert raw == text.text
    assert (4, 9) == text.span_to_input(4, 9)


def test_line_endings_spaces_and_invisible_characters() -> None:
    """CRLF becomes LF, odd spaces become spaces, zero-width characters disappear."""
    raw = "Prix\u00a0: 12\u202f€\r\nSo\u00adlde\u200b fin\rX"
    assert "Prix : 12 €\nSolde fin\nX" == normalize(raw).text


def test_decomposed_accents_are_composed() -> None:
    """A letter followed by a combining accent becomes the precomposed letter."""
    raw = "e\u0301le\u0300ve"
    assert "élève" == normalize(raw).text


@pytest.mark.parametrize("word", ["président", "fin", "Solde", "€"])
def test_spans_map_back_to_the_raw_text(word: str) -> None:
    """Any span of the normalized text maps to the raw characters it came from."""
    raw = "Le\u00a0pre\u0301sident\r\na dit : So\u00adlde 3\u202f€\r\nfin"
    text = normalize(raw)
    start = text.text.index(word)
    a, b = text.span_to_input(start, start + len(word))
    assert word == normalize(raw[a:b]).text


def test_offset_map_covers_every_character_and_the_end() -> None:
    """The map has one entry per normalized character plus the end, ending at the raw length."""
    raw = "a\r\nb\u200bc"
    text = normalize(raw)
    assert len(text.text) + 1 == len(text.origin)
    assert len(raw) == text.to_input(len(text.text))
