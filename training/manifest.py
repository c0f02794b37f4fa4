"""The record of how each file in service/data/ was made, with its SHA-256.

    python -m training.manifest            # re-hash every data file into MANIFEST.json
    python -m training.manifest --check    # exit 1 when a file differs from its record

Every builder in training/ writes its file deterministically (fixed seeds, sorted keys, a zip
written with fixed timestamps) and then calls `record`, so the same data gives the same bytes
and the same hash. Hand-edited word lists are recorded as such. A unit test compares the shipped
files with this record.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import sys
import zipfile
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parents[1] / "service" / "data"
MANIFEST = DATA / "MANIFEST.json"
_NOT_DATA = {"__init__.py", MANIFEST.name}

BUILDERS = {
    "boilerplate.json": "hand-edited",
    "entity_gazetteer.json": "training/build_entities.py",
    "entity_kb.json": "training/build_entities.py",
    "entity_ner.bin": "training/train_ner.py",
    "entity_patterns.jsonl": "hand-edited",
    "entity_places.json": "hand-edited",
    "entity_words.json": "hand-edited",
    "iptc_topics.json": "training/build_iptc.py",
    "keyphrase_stoplist.json": "hand-edited",
    "quote_cues.json": "hand-edited",
    "summary.json": "training/fit_summary.py (weights); word lists hand-edited",
    "topic_lexicon.json": "hand-edited",
    "topic_model.npz": "training/train_topics.py",
    "topic_subtopics.npz": "training/train_topics_l2.py",
}
"""How each data file is made."""

# Any fixed date: zip entries carry one, and a changing one would change the file's bytes.
_ZIP_DATE = (2020, 1, 1, 0, 0, 0)


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def data_files() -> list[Path]:
    """Every shipped data file, sorted by name."""
    return sorted(p for p in DATA.iterdir() if p.is_file() and p.name not in _NOT_DATA)


def write_npz(path: Path, **arrays: np.ndarray) -> None:
    """`np.savez_compressed` with fixed entry order and timestamps, so equal arrays give equal bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(arrays):
            member = io.BytesIO()
            np.lib.format.write_array(member, np.asanyarray(arrays[name]), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, member.getvalue())
    path.write_bytes(buffer.getvalue())


def manifest() -> dict[str, dict[str, str]]:
    """The record as it should be for the files on disk now."""
    return {p.name: {"sha256": sha256(p), "built_by": BUILDERS.get(p.name, "unknown")} for p in data_files()}


def record() -> None:
    """Rewrite MANIFEST.json from the files on disk (builders call this after writing)."""
    MANIFEST.write_text(json.dumps(manifest(), indent=1, sort_keys=True) + "\n", encoding="utf-8")


def main() -> None:
    """Refresh or check the manifest."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    if args.check:
        stored = json.loads(MANIFEST.read_text(encoding="utf-8"))
        if stored != manifest():
            print("service/data differs from MANIFEST.json")
            sys.exit(1)
        print("service/data matches MANIFEST.json")
        return
    record()
    print(f"wrote {MANIFEST}")


if __name__ == "__main__":
    main()
