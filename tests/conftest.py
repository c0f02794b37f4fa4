"""Shared fixtures: the French model and the pipeline load once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from service.pipeline.chain import Pipeline
from service.resources import build_pipeline
from service.settings import NlpSettings

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    """The whole pipeline with the real fr_core_news_md model, loaded once."""
    return build_pipeline(NlpSettings())


@pytest.fixture(scope="session")
def nlp(pipeline: Pipeline) -> Language:
    """The loaded spaCy pipeline (the pipeline's own, so it loads once)."""
    return pipeline.nlp


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """Folder of the test articles written for this project."""
    return DATA


@pytest.fixture
def anyio_backend() -> str:
    """Run async tests on asyncio, the loop uvicorn uses."""
    return "asyncio"
