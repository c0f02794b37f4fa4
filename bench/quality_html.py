"""HTML input against trafilatura on OrangeSum's raw pages: body words, title, date, time.

    python -m bench.quality_html [--shared ../shared] [--limit N]

Every one of the 1,500 `html_valid` pages (actu.orange.fr, CC BY-SA 4.0) goes through our markup
and clean stages (`read_page` + `clean_page`, no model) and through `trafilatura.bare_extraction`
(comments off, its best setting for this reference), in the same run. Scores: word-multiset
P/R/F1 of the body against the corpus' `heading + article`; title exactly the corpus title
(white space folded); published date the corpus date (same day). The pages are split in two by
a hash of their id: `dev` is the half the HTML path was tuned on, `test` the half it was not,
reported apart. Speed: per-page time of both, the median of our/their ratio, and our time to a
result or a refusal, with the service's text limit, on two 2 MB pages built from a real one: its
paragraphs repeated (refused: its text is over MAX_TEXT_CHARS) and its head padded with script.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import statistics
import time
from pathlib import Path
from typing import Any

from bench._common import DEFAULT_SHARED, print_table, split_words, word_prf, write_result
from service.errors import EnrichmentError, TextTooLargeError
from service.pipeline.clean.rules import load_rules
from service.pipeline.clean.stage import clean_page
from service.pipeline.markup import read_page
from service.settings import LimitSettings

_BIG_PAGE_BYTES = 2 * 1024 * 1024
_MAX_TEXT_CHARS = 10_000_000
_SPLITS = ("dev", "test")


def split_of(doc_id: str) -> str:
    """`dev` or `test`, fixed by a hash of the page id (not chosen after seeing results)."""
    return "test" if hashlib.sha256(doc_id.encode()).digest()[0] % 2 else "dev"


def _fold(text: str | None) -> str:
    return " ".join((text or "").split())


def load_pages(shared: Path, limit: int | None = None) -> list[dict[str, Any]]:
    """Every valid page with its corpus reference, title and date, in id order."""
    root = shared / "orangesum"
    files = {f.name.split(".")[0]: f for f in sorted((root / "html_valid").glob("*.html.gz"))}
    pages = []
    with gzip.open(root / "docs_dev.jsonl.gz", "rt", encoding="utf-8") as stream:
        for row in stream:
            doc = json.loads(row)
            path = files.get(doc["id"])
            if path is None:
                continue
            pages.append(
                {
                    "id": doc["id"],
                    "html": gzip.decompress(path.read_bytes()).decode("utf-8", "replace"),
                    "reference": f"{doc['heading']}\n\n{doc['article']}",
                    "title": doc["title"],
                    "date": doc.get("date"),
                }
            )
    pages.sort(key=lambda p: int(p["id"]))
    return pages[:limit] if limit else pages


def _ours(page: str) -> tuple[str, str | None, str | None, float]:
    rules = load_rules()
    started = time.perf_counter()
    try:
        text, evidence = read_page(page, _MAX_TEXT_CHARS)
        cleaned = clean_page(text, evidence, rules)
    except EnrichmentError:  # a refused page scores as an empty body
        return "", None, None, (time.perf_counter() - started) * 1000
    elapsed = (time.perf_counter() - started) * 1000
    return cleaned.body, cleaned.title, cleaned.metadata.published, elapsed


def _trafilatura(page: str) -> tuple[str, str | None, str | None, float]:
    import trafilatura  # noqa: PLC0415  (bench-only dependency)

    started = time.perf_counter()
    doc = trafilatura.bare_extraction(page, include_comments=False, with_metadata=True)
    elapsed = (time.perf_counter() - started) * 1000
    if doc is None:
        return "", None, None, elapsed
    return doc.text or "", doc.title, doc.date, elapsed


def _score(page: dict[str, Any], body: str, title: str | None, date: str | None) -> dict[str, float]:
    precision, recall, f1 = word_prf(split_words(body), split_words(page["reference"]))
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "title": float(_fold(title) == _fold(page["title"])),
        "date": float(bool(page["date"]) and (date or "")[:10] == page["date"]),
    }


def _summary(rows: list[dict[str, float]]) -> dict[str, float]:
    return {key: round(statistics.fmean(r[key] for r in rows), 4) for key in rows[0]} if rows else {}


def _big_pages(page: str) -> dict[str, str]:
    """Two 2 MB pages from a real one: its paragraphs repeated, and its markup padded with script."""
    head, _, rest = page.partition("<p>")
    paragraph_end = rest.find("</p>")
    paragraph = "<p>" + rest[: paragraph_end + 4] if paragraph_end >= 0 else "<p>Texte.</p>"
    copies = max(1, (_BIG_PAGE_BYTES - len(page.encode())) // max(len(paragraph.encode()), 1))
    statement = "window.__STATE__.items.push({id: 1, teaser: 'Un titre', url: '/a'});"
    script = "<script>" + statement * ((_BIG_PAGE_BYTES - len(page.encode())) // len(statement)) + "</script>"
    return {
        "paragraphs_2mb": head + paragraph * copies + "<p>" + rest,
        "script_2mb": page.replace("</head>", script + "</head>", 1),
    }


def _service_time(page: str) -> float:
    """Milliseconds to a result or a refusal, with the service's default text limit."""
    rules = load_rules()
    started = time.perf_counter()
    try:
        text, evidence = read_page(page, LimitSettings().max_text_chars)
        clean_page(text, evidence, rules)
    except TextTooLargeError:
        pass
    return (time.perf_counter() - started) * 1000


def evaluate(shared: Path, limit: int | None = None) -> dict[str, Any]:
    """Score ours and trafilatura on every page, per split; time both."""
    pages = load_pages(shared, limit)
    scores: dict[str, dict[str, list[dict[str, float]]]] = {
        name: {split: [] for split in _SPLITS} for name in ("ours", "trafilatura")
    }
    times: dict[str, list[float]] = {"ours": [], "trafilatura": []}
    worst: list[tuple[float, str]] = []
    for page in pages:
        split = split_of(page["id"])
        for name, extract in (("ours", _ours), ("trafilatura", _trafilatura)):
            body, title, date, elapsed = extract(page["html"])
            score = _score(page, body, title, date)
            scores[name][split].append(score)
            times[name].append(elapsed)
            if name == "ours":
                worst.append((score["f1"], page["id"]))
    ratios = [o / t for o, t in zip(times["ours"], times["trafilatura"], strict=True) if t > 0]
    big = _big_pages(pages[0]["html"]) if pages else {}
    big_ms = {name: round(min(_service_time(page) for _ in range(3)), 1) for name, page in big.items()}
    result: dict[str, Any] = {"pages": len(pages), "splits": {}, "speed": {}}
    for name in scores:
        every = scores[name]["dev"] + scores[name]["test"]
        result["splits"][name] = {"all": _summary(every)} | {s: _summary(scores[name][s]) for s in _SPLITS}
    result["speed"] = {
        "ours_median_ms": round(statistics.median(times["ours"]), 2),
        "trafilatura_median_ms": round(statistics.median(times["trafilatura"]), 2),
        "median_ratio_ours_over_trafilatura": round(statistics.median(ratios), 3),
        **{f"ours_{name}_ms": value for name, value in big_ms.items()},
    }
    result["worst"] = [{"id": doc_id, "f1": round(f1, 3)} for f1, doc_id in sorted(worst)[:5]]
    result["split_sizes"] = {s: len(scores["ours"][s]) for s in _SPLITS}
    return result


def _print(result: dict[str, Any]) -> None:
    rows = []
    for name, splits in result["splits"].items():
        for split, s in splits.items():
            if s:
                rows.append([name, split, s["precision"], s["recall"], s["f1"], s["title"], s["date"]])
    print(f"OrangeSum raw pages: {result['pages']} ({result['split_sizes']})")
    print_table(rows, ["system", "split", "P", "R", "F1", "title", "date"])
    print_table([[k, v] for k, v in result["speed"].items()], ["speed", "value"])
    print("worst pages (ours):", result["worst"])


def main() -> None:
    """Run the HTML bench and write bench/results/quality_html.json."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    result = evaluate(args.shared, args.limit)
    _print(result)
    write_result("quality_html", result)


if __name__ == "__main__":
    main()
