"""Quality of the clean stage against the seed gold and OrangeSum whole pages, with peers.

    python -m bench.quality_clean [--shared ../shared] [--limit N] [--json]

Seeds (gold line labels): line-level precision/recall/F1 of boilerplate removal and body
retention, for ours and jusText. OrangeSum valid pages converted to text with
`inscriptis.get_text(html)`: word-multiset P/R/F1 of the body against heading + article, for
ours, keep-everything, jusText on the text lines, and trafilatura on the original HTML.
Clean texts (gold body lines, OrangeSum references split into paragraphs): lines removed.
Seed outputs: gold title, byline, source and credits matched exactly.
Speed: clean time per page and on a 5,000-word page (wall and CPU).

Corpus (bench/clean_corpus.py: OrangeSum articles in generated site clutter, plus the hand-written
pages of bench/data/clean/written/), per split and per genre: body retention (gold body and
heading words kept, aligned as for the seeds) and its per-page minimum, boilerplate-line P/R/F1
(a line is removed when most of its words are not in the body), title exactly right, byline found
(shares a name word with the gold byline), publication date right (same day); the test split also
by held-out and seen site templates; the 5 pages that keep least of their body, with the lines
lost. Run it alone with `python -m bench.quality_clean --corpus-only [--count N] [--by-site]`.
"""

from __future__ import annotations

import argparse
import difflib
import functools
import gzip
import html
import json
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench._common import print_table, split_words, word_prf, write_result
from bench.clean_corpus import DEFAULT_COUNT, GLUED, load_corpus
from service.pipeline.clean import clean
from service.pipeline.clean.rules import RuleSet, load_rules
from service.pipeline.normalize import NormalizedText, normalize

_GLUED = GLUED
_SAMPLE_EVERY = 10
_SPEED_WORDS = 5_000

Extractor = Callable[[str], str]


@functools.cache
def _rules() -> RuleSet:
    """The clean stage's phrase rules, compiled once for the whole bench."""
    return load_rules()


def _ours(text: str) -> str:
    return clean(normalize(text), _rules()).body


def _keep_all(text: str) -> str:
    return text


def _justext(text: str) -> str:
    import justext  # noqa: PLC0415  (bench-only dependency)

    paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in text.split("\n") if line.strip())
    document = f"<html><body>{paragraphs}</body></html>".encode()
    kept = justext.justext(document, justext.get_stoplist("French"))
    return "\n\n".join(p.text for p in kept if not p.is_boilerplate)


def _trafilatura(page_html: str) -> str:
    import trafilatura  # noqa: PLC0415  (bench-only dependency)

    return trafilatura.extract(page_html) or ""


def _aligned_words(lines: list[str], body: str) -> list[tuple[int, int]]:
    """(words aligned in order with the body, words) per line; a line is kept when most are.

    Copies of one line cannot be told apart in the body, so the aligned words of identical
    lines are credited to the earliest copies (the gold calls the later ones `duplicate`).
    """
    words: list[str] = []
    owner: list[int] = []
    for n, line in enumerate(lines):
        for word in split_words(line):
            words.append(word)
            owner.append(n)
    matched = [0] * len(lines)
    matcher = difflib.SequenceMatcher(None, words, split_words(body), autojunk=False)
    for block in matcher.get_matching_blocks():
        for i in range(block.a, block.a + block.size):
            matched[owner[i]] += 1
    copies: dict[tuple[str, ...], list[int]] = {}
    for n, line in enumerate(lines):
        copies.setdefault(tuple(split_words(line)), []).append(n)
    for group in copies.values():
        for n, found in zip(group, sorted((matched[n] for n in group), reverse=True), strict=True):
            matched[n] = found
    return [(matched[n], len(split_words(line))) for n, line in enumerate(lines)]


def _gold_inputs(shared: Path) -> list[tuple[dict[str, object], str]]:
    items = []
    for path in sorted((shared / "gold").glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        raw = gold.get("input") or (shared / "seeds" / str(gold["source"])).read_text(encoding="utf-8")
        items.append((gold, str(raw)))
    return items


@dataclass
class _LineCounts:
    """Boilerplate lines removed (tp), body lines lost (fp), boilerplate kept (fn), body words."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    words: int = 0
    kept: int = 0
    lost: list[str] = field(default_factory=list)


def _line_counts(lines: list[Any], body: str) -> _LineCounts:
    """Score gold-labelled lines against a cleaned body: a line is kept when most of its words are."""
    counts = _LineCounts()
    aligned = _aligned_words([str(line["text"]) for line in lines], body)
    for line, (found, total) in zip(lines, aligned, strict=True):
        is_kept = total > 0 and found * 2 > total
        boilerplate = line["label"] not in ("body", "heading")
        counts.tp += boilerplate and not is_kept
        counts.fp += not boilerplate and not is_kept
        counts.fn += boilerplate and is_kept
        if not boilerplate:
            counts.words += total
            counts.kept += found
            if not is_kept:
                counts.lost.append(f"[{line['n']}] {line['text']}")
    return counts


def _seed_scores(items: list[tuple[dict[str, object], str]], extract: Extractor) -> dict[str, float]:
    tp = fp = fn = 0
    body_words = kept_words = 0
    for gold, raw in items:
        lines = gold["lines"]
        assert isinstance(lines, list)
        counts = _line_counts(lines, extract(raw))
        tp, fp, fn = tp + counts.tp, fp + counts.fp, fn + counts.fn
        body_words += counts.words
        kept_words += counts.kept
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    retention = kept_words / body_words if body_words else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "body_retention": retention}


def _gold_body(gold: dict[str, object]) -> str:
    """The gold's body and heading lines as a clean text, one paragraph each."""
    lines = gold["lines"]
    assert isinstance(lines, list)
    return "\n\n".join(str(line["text"]) for line in lines if line["label"] in ("body", "heading"))


def _orangesum_pages(shared: Path, limit: int | None) -> list[tuple[str, str, str]]:
    """(id, html, reference) for every tenth valid page, in file-name order."""
    root = shared / "orangesum"
    files = sorted((root / "html_valid").glob("*.html.gz"))[::_SAMPLE_EVERY]
    wanted = {f.name.split(".")[0]: f for f in files}
    references: dict[str, str] = {}
    with gzip.open(root / "docs_dev.jsonl.gz", "rt", encoding="utf-8") as stream:
        for row in stream:
            doc = json.loads(row)
            if doc["id"] in wanted:
                references[doc["id"]] = f"{doc['heading']}\n\n{doc['article']}"
    pages = []
    for doc_id, path in wanted.items():
        if doc_id in references:
            page = gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
            pages.append((doc_id, page, references[doc_id]))
    return pages[:limit] if limit is not None else pages


def _mean(values: list[float]) -> float:
    return statistics.fmean(values) if values else 0.0


def _timed(normalized: NormalizedText, runs: int) -> tuple[float, float]:
    """Best wall and CPU milliseconds of `runs` cleanings (CPU time ignores other processes)."""
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        clean(normalized, _rules())
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return min(wall), min(cpu)


def _speed(texts: list[str]) -> dict[str, float]:
    timings = [_timed(normalize(text), 1)[0] for text in texts]
    big = ""
    for text in texts:
        if len(big.split()) >= _SPEED_WORDS:
            break
        big += text + "\n"
    wall, cpu = _timed(normalize(big), 5)
    return {
        "page_ms_median": statistics.median(timings) if timings else 0.0,
        "page_ms_max": max(timings, default=0.0),
        "big_page_words": float(len(big.split())),
        "big_page_ms": wall,
        "big_page_cpu_ms": cpu,
    }


def _seed_outputs(items: list[tuple[dict[str, object], str]]) -> dict[str, float]:
    """How many seeds get the gold title, byline, source and photo credits exactly."""
    counts = dict.fromkeys(("title", "byline", "source", "credits"), 0.0)
    for gold, raw in items:
        result = clean(normalize(raw), _rules())
        meta = gold.get("metadata") or {}
        assert isinstance(meta, dict)
        counts["title"] += result.title == gold.get("title")
        counts["byline"] += result.metadata.byline == meta.get("byline")
        counts["source"] += result.metadata.source == meta.get("source")
        counts["credits"] += result.metadata.credits == (meta.get("credits") or [])
    return {"seeds": float(len(items)), **counts}


@dataclass(frozen=True, slots=True)
class PageClean:
    """What the corpus evaluation reads from the cleaner's result."""

    title: str | None
    body: str
    byline: str | None
    published: str | None


def clean_page(text: str) -> PageClean:
    """The corpus evaluation's one call into the cleaner: page text in, what it scores out."""
    result = clean(normalize(text), _rules())
    return PageClean(result.title, result.body, result.metadata.byline, result.metadata.published)


# Words that say nothing about who wrote a byline ("Par", "Un texte de", "avec").
_BYLINE_FILLER = frozenset(
    ("par", "by", "de", "du", "des", "d", "l", "la", "le", "les", "un", "une", "texte", "avec", "and", "et",
     "à", "a", "écrit", "rédigé", "article", "publié", "publiée")
)  # fmt: skip
_WORST = 5


def _same_title(ours: str | None, gold: object) -> bool:
    if gold is None or ours is None:
        return gold is None and ours is None
    return " ".join(ours.split()) == " ".join(str(gold).split())


def _page_score(page: dict[str, Any]) -> dict[str, Any]:
    """One page's counts: words kept, boilerplate lines removed or kept, title, byline, date."""
    ours = clean_page(str(page["input"]))
    lines = page["lines"]
    counts = _line_counts(lines, ours.body)
    tp, fp, fn, words, kept, lost = counts.tp, counts.fp, counts.fn, counts.words, counts.kept, counts.lost
    meta = page.get("metadata") or {}
    gold_byline, gold_date = meta.get("byline"), meta.get("published")
    byline = None
    if gold_byline:
        wanted = set(split_words(str(gold_byline))) - _BYLINE_FILLER
        byline = bool(ours.byline) and bool(wanted & set(split_words(ours.byline or "")))
    published = None if not gold_date else (ours.published or "")[:10] == str(gold_date)[:10]
    return {
        "id": page["id"],
        "split": page["split"],
        "genre": page.get("genre", "unknown"),
        "site": page.get("site", "unknown"),
        "held_out": bool(page.get("held_out_site")),
        "generated": "orangesum_id" in page,
        "words": words,
        "kept": kept,
        "retention": kept / words if words else 1.0,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "title": _same_title(ours.title, page.get("title")),
        "byline": byline,
        "published": published,
        "ours": {"title": ours.title, "byline": ours.byline, "published": ours.published},
        "lost": lost,
    }


def _corpus_summary(scores: list[dict[str, Any]]) -> dict[str, float]:
    tp, fp, fn = (sum(s[k] for s in scores) for k in ("tp", "fp", "fn"))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    words = sum(s["words"] for s in scores)
    bylines = [s["byline"] for s in scores if s["byline"] is not None]
    dates = [s["published"] for s in scores if s["published"] is not None]
    return {
        "pages": float(len(scores)),
        "body_retention": sum(s["kept"] for s in scores) / words if words else 0.0,
        "min_retention": min((s["retention"] for s in scores), default=0.0),
        "precision": precision,
        "recall": recall,
        "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "title": _mean([float(s["title"]) for s in scores]),
        "byline": _mean([float(b) for b in bylines]),
        "byline_pages": float(len(bylines)),
        "published": _mean([float(d) for d in dates]),
        "published_pages": float(len(dates)),
    }


def _groups(scores: list[dict[str, Any]], key: str) -> dict[str, dict[str, float]]:
    names = sorted({s[key] for s in scores})
    return {name: _corpus_summary([s for s in scores if s[key] == name]) for name in names}


def evaluate_corpus(shared: Path, count: int | None = None, *, by_site: bool = False) -> dict[str, object]:
    """Score the cleaner on the generated and hand-written corpus pages; print the tables."""
    pages = load_corpus(shared, count or DEFAULT_COUNT)
    scores = [_page_score(page) for page in pages]
    result: dict[str, object] = {}
    for split in sorted({s["split"] for s in scores}):
        in_split = [s for s in scores if s["split"] == split]
        generated = [s for s in in_split if s["generated"]]
        groups = {"all": _corpus_summary(in_split), "generated": _corpus_summary(generated)}
        if split == "test":
            groups["  held-out sites"] = _corpus_summary([s for s in generated if s["held_out"]])
            groups["  seen sites"] = _corpus_summary([s for s in generated if not s["held_out"]])
        groups["written"] = _corpus_summary([s for s in in_split if not s["generated"]])
        worst = sorted(in_split, key=lambda s: (s["retention"], s["id"]))[:_WORST]
        result[split] = {
            **groups,
            "genres": _groups(in_split, "genre"),
            "sites": _groups(in_split, "site"),
            "worst": [{k: s[k] for k in ("id", "genre", "site", "retention", "lost", "ours")} for s in worst],
        }
    _print_corpus(result, by_site=by_site)
    return result


def _corpus_row(name: str, s: dict[str, float]) -> list[object]:
    return [
        name,
        f"{s['pages']:.0f}",
        f"{s['body_retention']:.3f}",
        f"{s['min_retention']:.3f}",
        f"{s['precision']:.3f}",
        f"{s['recall']:.3f}",
        f"{s['f1']:.3f}",
        f"{s['title']:.2f}",
        f"{s['byline']:.2f} /{s['byline_pages']:.0f}",
        f"{s['published']:.2f} /{s['published_pages']:.0f}",
    ]


def _print_corpus(result: dict[str, object], *, by_site: bool) -> None:
    header = ["", "pages", "body kept", "min", "P", "R", "F1", "title", "byline /n", "date /n"]
    for split, data in result.items():
        assert isinstance(data, dict)
        print(f"clean stage: corpus pages, {split} split (byline and date over the pages whose gold has one)")
        rows = [_corpus_row(name, s) for name, s in data.items() if name not in ("genres", "sites", "worst")]
        rows += [_corpus_row(f"genre {name}", s) for name, s in data["genres"].items()]
        if by_site:
            rows += [_corpus_row(f"site {name}", s) for name, s in data["sites"].items()]
        print_table(rows, header)
        print(f"  the {_WORST} pages keeping least of their body:")
        for page in data["worst"]:
            lost = page["lost"]
            print(
                f"  {page['id']} ({page['genre']}, {page['site']}): {page['retention']:.3f}, {len(lost)} lines lost"
            )
            for text in lost[:4]:
                print(f"      {text[:110]}")
            if len(lost) > 4:
                print(f"      (+{len(lost) - 4} more)")
        print()


def print_genre_table(corpus: dict[str, object], split: str = "test") -> None:
    """Print one split's per-genre table: body retention (overall and worst page), line F1, title."""
    data = corpus.get(split)
    if not isinstance(data, dict):
        return
    rows = [
        [name, f"{s['pages']:.0f}", f"{s['body_retention']:.3f}", f"{s['min_retention']:.3f}",
         f"{s['f1']:.3f}", f"{s['title']:.2f}", f"{s['byline']:.2f} /{s['byline_pages']:.0f}"]
        for name, s in [("all", data["all"]), *data["genres"].items()]
    ]  # fmt: skip
    print(f"clean stage: {split} split per genre")
    print_table(rows, ["genre", "pages", "body kept", "min", "F1", "title", "byline /n"])


def evaluate(shared: Path, limit: int | None = None) -> dict[str, object]:
    """Compute the clean-stage figures and the peers' on the same inputs; print a table."""
    import inscriptis  # noqa: PLC0415  (bench-only dependency)

    # First, so its tables print even when the figures below fail.
    corpus = evaluate_corpus(shared, limit)

    items = _gold_inputs(shared)
    seeds = {"ours": _seed_scores(items, _ours), "justext": _seed_scores(items, _justext)}

    pages = _orangesum_pages(shared, limit)
    texts = [inscriptis.get_text(page) for _, page, _ in pages]
    systems: dict[str, tuple[Extractor, bool]] = {
        "ours": (_ours, False),
        "keep_everything": (_keep_all, False),
        "justext_text": (_justext, False),
        "trafilatura_html": (_trafilatura, True),
    }
    orangesum: dict[str, dict[str, float]] = {}
    for name, (extract, on_html) in systems.items():
        scores = [
            word_prf(split_words(extract(page if on_html else text)), split_words(reference))
            for (_, page, reference), text in zip(pages, texts, strict=True)
        ]
        orangesum[name] = {
            "precision": _mean([s[0] for s in scores]),
            "recall": _mean([s[1] for s in scores]),
            "f1": _mean([s[2] for s in scores]),
        }

    clean_texts = [_gold_body(gold) for gold, _ in items]
    # The references as clean text: the chapô, then the article cut where paragraphs were glued.
    clean_texts += ["\n\n".join(_GLUED.split(ref)) for _, _, ref in pages]
    touched = removed_lines = removed_words = total_words = 0
    for text in clean_texts:
        removed = clean(normalize(text), _rules()).removed
        touched += bool(removed)
        removed_lines += len(removed)
        removed_words += sum(len(split_words(r.text)) for r in removed)
        total_words += len(split_words(text))
    clean_check = {
        "texts": float(len(clean_texts)),
        "texts_touched": float(touched),
        "lines_removed": float(removed_lines),
        "words_removed_share": removed_words / total_words if total_words else 0.0,
    }

    speed = _speed(texts)
    result: dict[str, object] = {
        "seeds": seeds,
        "seed_outputs": _seed_outputs(items),
        "orangesum": {"pages": len(pages), **orangesum},
        "clean_text": clean_check,
        "speed": speed,
        "corpus": corpus,
    }
    _print(result)
    return result


def _print(result: dict[str, object]) -> None:
    seeds = result["seeds"]
    orangesum = result["orangesum"]
    assert isinstance(seeds, dict)
    assert isinstance(orangesum, dict)
    print("clean stage: seeds (gold line labels), boilerplate removal")
    print(f"  {'system':<18}{'P':>7}{'R':>7}{'F1':>7}{'body kept':>11}")
    for name, s in seeds.items():
        print(
            f"  {name:<18}{s['precision']:>7.3f}{s['recall']:>7.3f}{s['f1']:>7.3f}{s['body_retention']:>11.3f}"
        )
    print(f"clean stage: OrangeSum valid whole pages ({orangesum['pages']}), body words vs heading+article")
    print(f"  {'system':<18}{'P':>7}{'R':>7}{'F1':>7}")
    for name, s in orangesum.items():
        if isinstance(s, dict):
            print(f"  {name:<18}{s['precision']:>7.3f}{s['recall']:>7.3f}{s['f1']:>7.3f}")
    outputs = result["seed_outputs"]
    check = result["clean_text"]
    speed = result["speed"]
    assert isinstance(outputs, dict)
    assert isinstance(check, dict)
    assert isinstance(speed, dict)
    print(
        f"seeds matching gold exactly (of {outputs['seeds']:.0f}): title {outputs['title']:.0f}, "
        f"byline {outputs['byline']:.0f}, source {outputs['source']:.0f}, credits {outputs['credits']:.0f}"
    )
    print(
        f"clean texts: {check['texts_touched']:.0f} of {check['texts']:.0f} texts had something removed "
        f"({check['lines_removed']:.0f} lines, {check['words_removed_share']:.4%} of words)"
    )
    print(
        f"speed: median {speed['page_ms_median']:.2f} ms/page, max {speed['page_ms_max']:.2f} ms; "
        f"{speed['big_page_words']:.0f}-word page {speed['big_page_ms']:.2f} ms "
        f"({speed['big_page_cpu_ms']:.2f} ms CPU)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared")
    parser.add_argument("--limit", type=int, default=None, help="at most this many OrangeSum pages")
    parser.add_argument("--json", action="store_true", help="also print the figures as JSON")
    parser.add_argument("--corpus-only", action="store_true", help="only the generated/written page corpus")
    parser.add_argument("--count", type=int, default=None, help="generated corpus pages (default 360)")
    parser.add_argument("--by-site", action="store_true", help="corpus figures per site template too")
    parser.add_argument("--save", action="store_true", help="write bench/results/clean_corpus-<date>.json")
    args = parser.parse_args()
    if args.corpus_only:
        result = evaluate_corpus(args.shared, args.count or args.limit, by_site=args.by_site)
        if args.save:
            print(f"written {write_result('clean_corpus', result)}")
    else:
        result = evaluate(args.shared, args.limit)
    if args.json:
        print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
