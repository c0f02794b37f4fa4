"""Quality bench of the summary stage (issue 6): OrangeSum ROUGE against peers, seeds' gold lines.

OrangeSum (Kamal Eddine, Tixier, Vazirgiannis, EMNLP 2021; CC BY-SA 4.0) `heading_valid`: the
1-sentence (and 3-sentence) summary of `article` is scored against the editors' `heading`.
Peers run in the same pass on the same sentences: Lead-1/Lead-3, the sentence closest to the
document vector, and sumy's LexRank and TextRank fed with our spaCy sentences. Our system also
gets the article's `title`, as the API does; the peers only read the body.

The weights are fitted by `training/fit_summary.py` on `heading_train` articles, never on the
valid articles the table reports.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
from spacy.language import Language

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from rouge_score import rouge_scorer  # noqa: E402
from sumy.models.dom import ObjectDocumentModel  # noqa: E402
from sumy.models.dom import Paragraph as SumyParagraph  # noqa: E402
from sumy.models.dom import Sentence as SumySentence  # noqa: E402
from sumy.nlp.stemmers import Stemmer  # noqa: E402
from sumy.summarizers.lex_rank import LexRankSummarizer  # noqa: E402
from sumy.summarizers.text_rank import TextRankSummarizer  # noqa: E402
from sumy.utils import get_stop_words  # noqa: E402

from service.model import Paragraph  # noqa: E402
from service.pipeline.entities import extract_entities  # noqa: E402
from service.pipeline.entities.lexicon import load_lexicon  # noqa: E402
from service.pipeline.keyphrases import extract_keyphrases, load_stoplist  # noqa: E402
from service.pipeline.nlp import load_pipeline  # noqa: E402
from service.pipeline.summary import SummaryModel, load_summary_model, summarize  # noqa: E402
from service.pipeline.summary.features import features  # noqa: E402
from service.settings import NlpSettings  # noqa: E402

DEFAULT_SHARED = ROOT.parent / "shared"
REPORT_SIZE = 300
LEXICON = load_lexicon()
STOPLIST = load_stoplist()
TUNE_SIZE = 300

# OrangeSum glues paragraphs ("Pyrénées.Alors", '"Chine."Personnellement'); its subheadings
# sit between dashes ("fois".- Juste une étape -En). Breaks are restored the same way for
# every system.
_GLUE = re.compile(r"(?<=[a-zà-ÿ0-9)\]%»\"][.!?…])(?=[«\"A-ZÀ-ÖØ-Ý])|(?<=[.!?…]»)(?=[«\"A-ZÀ-ÖØ-Ý])")
_HEADING = re.compile(r"(?<=[.!?…\"»])\s*- ([^-\n]{2,120}?) -\s*(?=[A-ZÀ-ÖØ-Ý«\"])")
_WORD = re.compile(r"\w+")


class FrenchRougeTokenizer:
    """Lower-cased word tokens that keep accented letters (rouge-score's default drops them)."""

    def tokenize(self, text: str) -> list[str]:
        """Split `text` into lower-cased word tokens."""
        return _WORD.findall(text.lower())


class SumyTokenizer:
    """A sumy tokenizer built on our sentences: words by regex, sentences given up front."""

    language = "french"

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        """Treat the text as one sentence: our sentences are built before sumy sees them."""
        return (paragraph,)

    def to_words(self, sentence: str) -> tuple[str, ...]:
        """Words of a sentence, accents kept."""
        return tuple(_WORD.findall(sentence))


def restore_breaks(article: str) -> tuple[str, list[Paragraph]]:
    """Cut an OrangeSum article into blocks joined by blank lines; dash-framed lines are headings."""
    text = _HEADING.sub(lambda m: f"\n- {m.group(1)} -\n", article)
    text = _GLUE.sub("\n", text)
    blocks = [b.strip() for b in text.split("\n") if b.strip()]
    paragraphs: list[Paragraph] = []
    offset = 0
    for block in blocks:
        heading = block.startswith("- ") and block.endswith(" -")
        paragraphs.append(
            Paragraph(start=offset, end=offset + len(block), kind="heading" if heading else "paragraph")
        )
        offset += len(block) + 2
    return "\n\n".join(blocks), paragraphs


def orangesum(shared: Path, split: str) -> list[dict[str, Any]]:
    """Articles of one OrangeSum split, in id order."""
    rows = []
    with gzip.open(shared / "orangesum" / "docs_dev.jsonl.gz", "rt", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if split in row["splits"] and row["article"].strip() and row["heading"].strip():
                rows.append(row)
    rows.sort(key=lambda r: (len(r["id"]), r["id"]))
    return rows


def parsed_docs(nlp: Language, bodies: Iterable[str]) -> Iterator[Any]:
    yield from nlp.pipe(bodies, batch_size=32)


def _peer_picks(
    doc: Any, candidates: Any, k: int, stop_words: frozenset[str], stemmer: Any
) -> dict[str, list[int]]:
    """Sentence indices each peer picks among all body sentences."""
    sentences = candidates.sentences
    n = len(sentences)
    picks: dict[str, list[int]] = {f"lead-{k}": list(range(min(k, n)))}
    spans = [doc.char_span(s.start, s.end, alignment_mode="expand") for s in sentences]
    doc_vector = doc.vector
    norm = float(np.linalg.norm(doc_vector)) or 1.0
    cos = []
    for span in spans:
        v = span.vector
        cos.append(float(v @ doc_vector) / ((float(np.linalg.norm(v)) or 1.0) * norm))
    picks["centroid"] = sorted(np.argsort(-np.asarray(cos), kind="stable")[:k].tolist())
    tokenizer = SumyTokenizer()
    sumy_sentences = [SumySentence(doc.text[s.start : s.end], tokenizer) for s in sentences]
    document = ObjectDocumentModel([SumyParagraph(sumy_sentences)])
    index = {id(s): i for i, s in enumerate(sumy_sentences)}
    for name, cls in (("lexrank", LexRankSummarizer), ("textrank", TextRankSummarizer)):
        summarizer = cls(stemmer)
        summarizer.stop_words = stop_words
        chosen = summarizer(document, k)
        picks[name] = sorted(index[id(s)] for s in chosen)
    return picks


def rouge(scorer: Any, summary: str, reference: str) -> dict[str, float]:
    scores = scorer.score(reference, summary)
    return {name: scores[name].fmeasure * 100 for name in ("rouge1", "rouge2", "rougeL")}


def evaluate_orangesum(
    nlp: Language, rows: list[dict[str, Any]], k: int, model: SummaryModel | None = None
) -> dict[str, Any]:
    """ROUGE-1/2/L F1 (times 100) of k-sentence summaries against `heading`, ours and peers'."""
    model = model or load_summary_model()
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], tokenizer=FrenchRougeTokenizer())
    stop_words = frozenset(get_stop_words("french"))
    stemmer = Stemmer("french")
    prepared = [restore_breaks(r["article"]) for r in rows]
    totals: dict[str, dict[str, list[float]]] = {}
    timings: list[float] = []
    for row, (body, paragraphs), doc in zip(
        rows, prepared, parsed_docs(nlp, (p[0] for p in prepared)), strict=True
    ):
        # Our API receives the title: the entity and summary stages get it, as in the pipeline.
        entities = extract_entities(doc, LEXICON, row["title"])
        keyphrases = extract_keyphrases(doc, entities, 10, STOPLIST)
        started = time.perf_counter()
        candidates = features(doc, paragraphs, entities, keyphrases, model.vocabulary, title=row["title"])
        ours = [i for i, _ in model.pick(candidates, k)]
        timings.append((time.perf_counter() - started) * 1000)
        if not candidates.sentences:
            continue
        systems = {"ours": ours, **_peer_picks(doc, candidates, k, stop_words, stemmer)}
        for name, picked in systems.items():
            text = " ".join(body[candidates.sentences[i].start : candidates.sentences[i].end] for i in picked)
            for metric, value in rouge(scorer, text, row["heading"]).items():
                totals.setdefault(name, {}).setdefault(metric, []).append(value)
    table = {
        name: {metric: round(statistics.fmean(values), 2) for metric, values in metrics.items()}
        for name, metrics in totals.items()
    }
    timings.sort()
    return {
        "articles": len(rows),
        "sentences": k,
        "rouge": table,
        "summary_ms_mean": round(statistics.fmean(timings), 3),
        "summary_ms_p95": round(timings[int(0.95 * (len(timings) - 1))], 3),
    }


def _seed_body(gold: dict[str, Any]) -> tuple[str, list[Paragraph], list[int]]:
    """The gold-cleaned body of a seed: its body and heading lines, with their line numbers."""
    parts: list[str] = []
    paragraphs: list[Paragraph] = []
    numbers: list[int] = []
    offset = 0
    for line in gold["lines"]:
        if line["label"] not in {"body", "heading"}:
            continue
        text = line["text"]
        paragraphs.append(
            Paragraph(
                start=offset,
                end=offset + len(text),
                kind="heading" if line["label"] == "heading" else "paragraph",
            )
        )
        numbers.append(line["n"])
        parts.append(text)
        offset += len(text) + 2
    return "\n\n".join(parts), paragraphs, numbers


def evaluate_seeds(nlp: Language, shared: Path, k: int = 3) -> dict[str, Any]:
    """Share of picked sentences in the gold summary lines, and whether the lede is picked."""
    rows = []
    for path in sorted((shared / "gold").glob("seed-*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        body, paragraphs, numbers = _seed_body(gold)
        doc = nlp(body)
        entities = extract_entities(doc, LEXICON, gold.get("title"))
        keyphrases = extract_keyphrases(doc, entities, 10, STOPLIST)
        picks = summarize(
            doc, paragraphs, entities, keyphrases, k, model=load_summary_model(), title=gold.get("title")
        )
        lines = []
        for pick in picks:
            block = next(i for i, p in enumerate(paragraphs) if p.start <= pick.start < p.end + 1)
            lines.append(numbers[block])
        first_body = next(i for i, p in enumerate(paragraphs) if p.kind == "paragraph")
        lede_end = paragraphs[first_body].start
        lede = any(p.start == lede_end for p in picks)
        hits = sum(n in gold["summary"] for n in lines)
        rows.append(
            {"id": gold["id"], "picked_lines": lines, "gold": gold["summary"], "in_gold": hits, "lede": lede}
        )
    return {
        "seeds": rows,
        "mean_in_gold": round(statistics.fmean(r["in_gold"] for r in rows), 3),
        "lede_picked": sum(r["lede"] for r in rows),
    }


def _print_rouge(result: dict[str, Any]) -> None:
    print(
        f"\nOrangeSum heading_valid, {result['articles']} articles, {result['sentences']}-sentence summaries"
    )
    print(f"{'system':12s} {'R-1':>6s} {'R-2':>6s} {'R-L':>6s}")
    for name, scores in sorted(result["rouge"].items(), key=lambda kv: -kv[1]["rougeL"]):
        print(f"{name:12s} {scores['rouge1']:6.2f} {scores['rouge2']:6.2f} {scores['rougeL']:6.2f}")
    print(
        f"summary stage: {result['summary_ms_mean']:.2f} ms mean, {result['summary_ms_p95']:.2f} ms p95 per article"
    )


def evaluate(shared: Path, limit: int | None = None, *, tune: bool = False) -> dict[str, Any]:
    """Run the summary bench; print the tables and return the figures."""
    nlp = load_pipeline(NlpSettings().model)
    rows = orangesum(shared, "heading_valid")
    size = limit or REPORT_SIZE
    # The first REPORT_SIZE valid articles are reported; the next TUNE_SIZE are for tuning.
    rows = rows[REPORT_SIZE : REPORT_SIZE + min(size, TUNE_SIZE)] if tune else rows[:size]
    one = evaluate_orangesum(nlp, rows, 1)
    three = evaluate_orangesum(nlp, rows, 3)
    seeds = evaluate_seeds(nlp, shared)
    _print_rouge(one)
    _print_rouge(three)
    print("\nseeds (3 picks): line numbers picked vs gold summary lines")
    for row in seeds["seeds"]:
        print(
            f"  {row['id']}: picked {row['picked_lines']} gold {row['gold']} in gold {row['in_gold']}/3 lede {row['lede']}"
        )
    print(
        f"  mean in gold {seeds['mean_in_gold']:.2f} of 3; lede picked {seeds['lede_picked']}/{len(seeds['seeds'])}"
    )
    best_peer = max(v["rougeL"] for name, v in one["rouge"].items() if name != "ours")
    margin = round(one["rouge"]["ours"]["rougeL"] - best_peer, 2)
    print(f"\n1-sentence ROUGE-L margin over the best peer: {margin:+.2f}")
    return {"orangesum_1": one, "orangesum_3": three, "seeds": seeds, "rougeL_margin_1": margin}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument(
        "--tune", action="store_true", help="score the tuning slice of valid, not the reported one"
    )
    args = parser.parse_args()
    evaluate(args.shared, args.limit, tune=args.tune)


if __name__ == "__main__":
    main()
