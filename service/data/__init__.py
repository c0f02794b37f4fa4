"""The shipped data files of the pipeline (vocabularies, word lists, fitted models).

Each is built by a script in `training/` or edited by hand; `MANIFEST.json` records how and
its SHA-256, which a test checks.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["DATA_DIR"]

DATA_DIR = Path(__file__).resolve().parent
"""This folder."""
