"""Validate the hand-written clean corpus in bench/data/clean/written/.

    python -m bench.check_written [--dir bench/data/clean/written]

Each `<id>.json` follows the gold format of shared/gold/FORMAT.md with its raw page in `input`,
plus `site`, `genre` and `split`. Checks: the JSON parses; required fields and their types;
every non-blank input line is listed exactly once, in order, with its `cat -n` number and its
stripped text; labels are known; exactly one `title` line when `title` is set, and its text is the
title; none when `title` is null; genre and split are known; dates are ISO 8601; body length is
150 to 900 words. Prints counts per genre, split and site, coverage notes, and exits 1 on any error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import typing
from collections import Counter
from pathlib import Path

from service.model import RemovalReason

DEFAULT_DIR = Path(__file__).resolve().parent / "data" / "clean" / "written"

LABELS = frozenset({"title", "heading", "body", *typing.get_args(RemovalReason)})
GENRES = (
    "live_blog",
    "interview",
    "agency_dispatch",
    "feature",
    "opinion",
    "sports_report",
    "company_results",
    "court",
    "science_health",
    "culture_review",
    "weather_disaster",
    "conflict",
    "education",
    "labour",
    "religion_society",
    "environment",
    "local_politics",
    "photo_video",
)
SPLITS = ("dev", "test")
# Minimum pages per genre asked of the corpus; the genres not listed need 3.
MIN_PER_GENRE = {"live_blog": 5, "sports_report": 5, "interview": 5, "opinion": 5}
MIN_WORDS, MAX_WORDS = 150, 900
MIN_SITES, MIN_UNTITLED = 20, 3
_WORD = re.compile(r"\w+")

# field -> accepted types (None stands for JSON null)
TOP_FIELDS: dict[str, tuple[type | None, ...]] = {
    "id": (str,),
    "source": (str, None),
    "input": (str,),
    "site": (str,),
    "genre": (str,),
    "split": (str,),
    "title": (str, None),
    "lines": (list,),
    "metadata": (dict,),
    "entities": (list,),
    "topics": (dict, None),
    "summary": (list,),
    "quotes": (list,),
}
META_FIELDS: dict[str, tuple[type | None, ...]] = {
    "byline": (str, None),
    "source": (str, None),
    "published": (str, None),
    "updated": (str, None),
    "credits": (list,),
}


def _type_ok(value: object, accepted: tuple[type | None, ...]) -> bool:
    if value is None:
        return None in accepted
    return any(t is not None and isinstance(value, t) and not isinstance(value, bool) for t in accepted)


def _iso_ok(value: str) -> bool:
    try:
        if "T" in value:
            dt.datetime.fromisoformat(value)
        else:
            dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _check_fields(doc: dict, errors: list[str]) -> bool:
    ok = True
    for field, accepted in TOP_FIELDS.items():
        if field not in doc:
            errors.append(f"missing field {field!r}")
            ok = False
        elif not _type_ok(doc[field], accepted):
            errors.append(f"field {field!r} has type {type(doc[field]).__name__}")
            ok = False
    meta = doc.get("metadata")
    if isinstance(meta, dict):
        for field, accepted in META_FIELDS.items():
            if field not in meta:
                errors.append(f"missing metadata field {field!r}")
            elif not _type_ok(meta[field], accepted):
                errors.append(f"metadata field {field!r} has type {type(meta[field]).__name__}")
        for field in ("published", "updated"):
            value = meta.get(field)
            if isinstance(value, str) and not _iso_ok(value):
                errors.append(f"metadata {field} {value!r} is not ISO 8601")
        credits = meta.get("credits")
        if isinstance(credits, list) and not all(isinstance(c, str) and c for c in credits):
            errors.append("metadata credits must be non-empty strings")
    return ok


def _check_lines(doc: dict, errors: list[str]) -> int:
    """Check `lines` against `input`; return the body word count."""
    raw = doc["input"].split("\n")
    expected = {i: line.strip() for i, line in enumerate(raw, start=1) if line.strip()}
    seen: set[int] = set()
    previous = 0
    titles: list[str] = []
    words = 0
    for k, entry in enumerate(doc["lines"]):
        if not isinstance(entry, dict) or set(entry) != {"n", "text", "label"}:
            errors.append(f"lines[{k}] must be an object with exactly n, text, label")
            continue
        n, text, label = entry["n"], entry["text"], entry["label"]
        if not isinstance(n, int) or isinstance(n, bool) or not isinstance(text, str):
            errors.append(f"lines[{k}] has a bad n or text type")
            continue
        if n <= previous:
            errors.append(f"lines[{k}] n={n} is not after n={previous}")
        previous = max(previous, n)
        if n in seen:
            errors.append(f"line {n} listed twice")
        seen.add(n)
        if n not in expected:
            errors.append(f"line {n} is blank or beyond the input ({len(raw)} lines)")
        elif text != expected[n]:
            errors.append(f"line {n} text {text[:40]!r} differs from input {expected[n][:40]!r}")
        if label not in LABELS:
            errors.append(f"line {n} has unknown label {label!r}")
        if label == "title":
            titles.append(text)
        if label in ("body", "heading"):
            words += len(_WORD.findall(text))
    errors.extend(f"input line {n} is not listed" for n in sorted(set(expected) - seen))
    title = doc["title"]
    if title is None and titles:
        errors.append(f"title is null but {len(titles)} line(s) are labelled title")
    if title is not None:
        if len(titles) != 1:
            errors.append(f"title is set but {len(titles)} line(s) are labelled title")
        elif titles[0] != title:
            errors.append(f"title {title!r} differs from its title line {titles[0]!r}")
    body_numbers = {e["n"] for e in doc["lines"] if isinstance(e, dict) and e.get("label") == "body"}
    errors.extend(f"summary line {n} is not a body line" for n in doc["summary"] if n not in body_numbers)
    return words


def _check_metadata_lines(doc: dict, errors: list[str]) -> None:
    """Byline and source must be read from byline lines, credits from caption lines."""
    meta = doc["metadata"]
    by_label: dict[str, list[str]] = {}
    for entry in doc["lines"]:
        if isinstance(entry, dict) and isinstance(entry.get("text"), str):
            by_label.setdefault(entry.get("label", ""), []).append(" ".join(entry["text"].split()))
    for field, label in (("byline", "byline"), ("source", "byline")):
        value = meta.get(field)
        if isinstance(value, str) and not any(value in text for text in by_label.get(label, [])):
            errors.append(f"metadata {field} {value!r} is in no {label} line")
    captions = by_label.get("caption", [])
    errors.extend(
        f"credit {credit!r} is in no caption line"
        for credit in meta.get("credits") or []
        if isinstance(credit, str) and not any(credit in text for text in captions)
    )


def check_file(path: Path) -> tuple[dict | None, list[str]]:
    """Validate one page; return it (when readable) and its errors."""
    errors: list[str] = []
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return None, [f"unreadable JSON: {exc}"]
    if not isinstance(doc, dict):
        return None, ["top level is not an object"]
    if not _check_fields(doc, errors):
        return doc, errors
    if doc["id"] != path.stem:
        errors.append(f"id {doc['id']!r} differs from file name {path.stem!r}")
    if doc["genre"] not in GENRES:
        errors.append(f"unknown genre {doc['genre']!r}")
    if doc["split"] not in SPLITS:
        errors.append(f"unknown split {doc['split']!r}")
    if not doc["site"].strip():
        errors.append("empty site")
    words = _check_lines(doc, errors)
    _check_metadata_lines(doc, errors)
    if not MIN_WORDS <= words <= MAX_WORDS:
        errors.append(f"body has {words} words, outside {MIN_WORDS}-{MAX_WORDS}")
    return doc, errors


def _coverage(docs: list[dict]) -> list[str]:
    """Notes on what the corpus as a whole lacks (reported, not fatal)."""
    notes: list[str] = []
    genres = Counter(d["genre"] for d in docs)
    tests = Counter(d["genre"] for d in docs if d["split"] == "test")
    for genre in GENRES:
        need = MIN_PER_GENRE.get(genre, 3)
        if genres[genre] < need:
            notes.append(f"genre {genre}: {genres[genre]} pages, {need} wanted")
        if not tests[genre]:
            notes.append(f"genre {genre}: no test page")
    sites = {d["site"] for d in docs}
    if len(sites) < MIN_SITES:
        notes.append(f"{len(sites)} sites, {MIN_SITES} wanted")
    untitled = sum(d["title"] is None for d in docs)
    if untitled < MIN_UNTITLED:
        notes.append(f"{untitled} pages without a headline, {MIN_UNTITLED} wanted")
    dev_sites = {d["site"] for d in docs if d["split"] == "dev"}
    if not sites - dev_sites:
        notes.append("no site appears only in test pages")
    return notes


def _table(title: str, counts: dict[str, Counter]) -> None:
    print(f"\n{title:28s} {'dev':>4s} {'test':>5s} {'all':>5s}")
    for key in sorted(counts):
        c = counts[key]
        print(f"{key:28s} {c['dev']:4d} {c['test']:5d} {c['dev'] + c['test']:5d}")


def main() -> None:
    """Check every page and print the corpus counts."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    args = parser.parse_args()
    paths = sorted(args.dir.glob("*.json"))
    if not paths:
        print(f"no pages in {args.dir}")
        sys.exit(1)
    docs: list[dict] = []
    failed = 0
    for path in paths:
        doc, errors = check_file(path)
        if errors:
            failed += 1
            for error in errors:
                print(f"{path.name}: {error}")
        elif doc is not None:
            docs.append(doc)
    by_genre: dict[str, Counter] = {}
    by_site: dict[str, Counter] = {}
    for doc in docs:
        by_genre.setdefault(doc["genre"], Counter())[doc["split"]] += 1
        by_site.setdefault(doc["site"], Counter())[doc["split"]] += 1
    _table("genre", by_genre)
    _table("site", by_site)
    splits = Counter(d["split"] for d in docs)
    labels = Counter(line["label"] for d in docs for line in d["lines"])
    print(
        f"\n{len(paths)} pages, {len(docs)} valid: dev {splits['dev']}, test {splits['test']}; "
        f"{len(by_site)} sites; {sum(d['title'] is None for d in docs)} without headline"
    )
    print("labels: " + ", ".join(f"{k} {v}" for k, v in sorted(labels.items())))
    for note in _coverage(docs):
        print(f"coverage: {note}")
    if failed:
        print(f"{failed} page(s) with errors")
        sys.exit(1)


if __name__ == "__main__":
    main()
