"""Build the entity gold set: pick articles, print pre-annotations, turn annotations into JSON.

    python -m bench.entities_gold sample            # fixed article list -> bench/data/entities/articles.json
    python -m bench.entities_gold show FIRST COUNT  # bodies with the current stage's clusters, to correct
    python -m bench.entities_gold build             # bench/data/entities/annotations.txt -> gold/*.json

OrangeSum texts (CC BY-SA 4.0, Kamal Eddine, Tixier and Vazirgiannis) are not copied: a gold file
names the article by id and the body is rebuilt from ../shared at bench time as heading + blank
line + article. Written pages of the cleaning corpus are the project's own; their body is the kept
lines joined by blank lines.

Annotation syntax, one block per article:

    ## <id>
    LABEL Name | other mention | other mention [| @Q123] [| %kind]

Each mention is a surface form found in the body (every occurrence counts); `@Q…` is the
Wikidata id when the annotator is sure of it; `%kind` marks the clusters the linker must cover
(country, capital, head of state or government, io = international organisation).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import random
import sys
from pathlib import Path
from typing import Any

from service.pipeline.entities import extract_entities
from service.pipeline.entities.lexicon import load_lexicon
from service.pipeline.nlp import load_pipeline
from service.settings import NlpSettings

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench" / "data" / "entities"
GOLD = DATA / "gold"
WRITTEN = ROOT / "bench" / "data" / "clean" / "written"
SHARED = ROOT.parent / "shared"
KEPT = ("body", "heading")
# Short articles keep annotation careful; long ones add little new kinds of entity.
MIN_CHARS, MAX_CHARS = 350, 1300
PER_SECTION = 9
# A second round grew the set past 300 articles; it is appended so the first list stays a prefix.
SECOND_ROUND, SECOND_SEED = 10, 1414
# A third round adds training articles only: it keeps ids whose hash puts them in dev, so the
# test split stays the same 105 articles, and skips any text already listed (a test one included).
THIRD_ROUND, THIRD_SEED = 8, 2611
# A fourth round is a fresh dev slice, annotated before its errors were looked at: OrangeSum
# training-split articles only (their heading is in `heading_train`), dev ids, round robin over
# genres up to FOURTH_COUNT articles.
FOURTH_COUNT, FOURTH_SEED = 42, 4040
TEST_SHARE = 3  # one article in three is test: sha256(id) % 3 == 0


def split_of(article_id: str) -> str:
    """The article's split, fixed by a hash of its id before any result was looked at."""
    return "test" if int(hashlib.sha256(article_id.encode()).hexdigest(), 16) % TEST_SHARE == 0 else "dev"


def orangesum_rows(shared: Path, ids: set[str] | None = None) -> dict[str, dict[str, Any]]:
    """OrangeSum rows by id (all of them, or only `ids`)."""
    rows = {}
    with gzip.open(shared / "orangesum" / "docs_dev.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if ids is None or str(row["id"]) in ids:
                rows[str(row["id"])] = row
    return rows


def orangesum_body(row: dict[str, Any]) -> str:
    """The body the bench hands to the stage for an OrangeSum article."""
    return f"{row['heading']}\n\n{row['article']}"


def written_body(page: dict[str, Any]) -> str:
    """The kept lines of a written cleaning-corpus page, one paragraph each."""
    return "\n\n".join(line["text"] for line in page["lines"] if line["label"] in KEPT)


def sample() -> None:
    """Pick a fixed, genre-balanced list of articles (seeded, so reruns give the same list)."""
    rows = orangesum_rows(SHARED)
    by_section: dict[str, list[str]] = {}
    sports = ("Ligue 1", "basket", "rugby", "Top 14", "PSG", "Roland-Garros", "Tour de France", "football")
    for rid, row in sorted(rows.items()):
        if MIN_CHARS <= len(row["article"]) <= MAX_CHARS:
            section = row["section"].strip("/").split("/")[-1]
            if any(s in row["article"] for s in sports):
                by_section.setdefault("sport", []).append(rid)
            by_section.setdefault(section, []).append(rid)
    rng = random.Random(14)
    picks = [
        [f"os-{i}" for i in rng.sample(ids, PER_SECTION)]
        for _, ids in sorted(by_section.items())
        if len(ids) >= PER_SECTION
    ]
    picks.append([p.stem for p in sorted(WRITTEN.glob("*.json"))])
    chosen: list[str] = []
    # Round robin over genres, so any prefix of the list covers all of them.
    for rank in range(max(len(p) for p in picks)):
        chosen += [p[rank] for p in picks if rank < len(p) and p[rank] not in chosen]
    rng = random.Random(SECOND_SEED)
    seconds = [
        [f"os-{i}" for i in rng.sample([i for i in ids if f"os-{i}" not in chosen], SECOND_ROUND)]
        for _, ids in sorted(by_section.items())
        if len(ids) >= PER_SECTION
    ]
    # OrangeSum repeats some articles under two ids; a repeat could land in both splits.
    texts = {rows[i[3:]]["article"] for i in chosen if i.startswith("os-")}
    for rank in range(SECOND_ROUND):
        for pick in (p[rank] for p in seconds):
            if pick not in chosen and rows[pick[3:]]["article"] not in texts:
                chosen.append(pick)
                texts.add(rows[pick[3:]]["article"])
    rng = random.Random(THIRD_SEED)
    thirds = [
        [
            f"os-{i}"
            for i in rng.sample(ids, len(ids))
            if f"os-{i}" not in chosen and split_of(f"os-{i}") == "dev"
        ]
        for _, ids in sorted(by_section.items())
        if len(ids) >= PER_SECTION
    ]
    for third in thirds:
        kept = []
        for pick in third:
            if len(kept) == THIRD_ROUND:
                break
            if rows[pick[3:]]["article"] not in texts:
                kept.append(pick)
                texts.add(rows[pick[3:]]["article"])
        third[:] = kept
    for rank in range(THIRD_ROUND):
        chosen += [p[rank] for p in thirds if rank < len(p)]
    rng = random.Random(FOURTH_SEED)
    fourths = [
        [
            f"os-{i}"
            for i in rng.sample(ids, len(ids))
            if f"os-{i}" not in chosen
            and split_of(f"os-{i}") == "dev"
            and "heading_train" in str(rows[i].get("splits", ""))
        ]
        for _, ids in sorted(by_section.items())
        if len(ids) >= PER_SECTION
    ]
    fresh: list[str] = []
    for rank in range(max(len(p) for p in fourths)):
        for pick in (p[rank] for p in fourths if rank < len(p)):
            if len(fresh) < FOURTH_COUNT and rows[pick[3:]]["article"] not in texts:
                fresh.append(pick)
                texts.add(rows[pick[3:]]["article"])
        if len(fresh) == FOURTH_COUNT:
            break
    chosen += fresh
    (DATA / "articles.json").write_text(json.dumps(chosen, indent=0) + "\n", encoding="utf-8")
    print(len(chosen), "articles")


def bodies(ids: list[str], shared: Path = SHARED) -> dict[str, str]:
    """Body text for each article id (OrangeSum from `shared`, written pages from the repo)."""
    os_rows = orangesum_rows(shared, {i[3:] for i in ids if i.startswith("os-")})
    out = {}
    for i in ids:
        if i.startswith("os-"):
            out[i] = orangesum_body(os_rows[i[3:]])
        else:
            out[i] = written_body(json.loads((WRITTEN / f"{i}.json").read_text(encoding="utf-8")))
    return out


def show(first: int, count: int) -> None:
    """Print bodies and the current stage's clusters in annotation syntax."""
    ids = json.loads((DATA / "articles.json").read_text(encoding="utf-8"))[first : first + count]
    nlp, lexicon = load_pipeline(NlpSettings().model), load_lexicon()
    for i, body in bodies(ids).items():
        print(f"=== {i}\n{body}\n---")
        print(f"## {i}")
        for e in sorted(extract_entities(nlp(body), lexicon), key=lambda e: e.mentions[0].start):
            forms = [e.name, *[a for a in e.aliases if a != e.name]]
            print(e.label, " | ".join(forms))


def parse(text: str) -> dict[str, list[dict[str, Any]]]:
    """Annotation blocks -> entity clusters per article id."""
    out: dict[str, list[dict[str, Any]]] = {}
    current: list[dict[str, Any]] | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or (line.startswith("#") and not line.startswith("## ")):
            continue
        if line.startswith("## "):
            current = out.setdefault(line[3:].strip(), [])
            continue
        if current is None:
            continue
        label, _, rest = line.partition(" ")
        parts = [p.strip() for p in rest.split("|") if p.strip()]
        qid = next((p[1:] for p in parts if p.startswith("@Q")), None)
        kind = next((p[1:] for p in parts if p.startswith("%")), None)
        forms = [p for p in parts if not p.startswith(("@Q", "%"))]
        current.append({"name": forms[0], "label": label, "mentions": forms, "kb_id": qid, "kb_kind": kind})
    return out


def build() -> None:
    """Write one gold JSON per annotated article, checking every mention occurs in the body."""
    annotated = parse((DATA / "annotations.txt").read_text(encoding="utf-8"))
    listed = set(json.loads((DATA / "articles.json").read_text(encoding="utf-8")))
    if stray := sorted(set(annotated) - listed):
        sys.exit(f"annotated but not in articles.json: {stray}")
    for stale in GOLD.glob("*.json"):
        if stale.stem not in annotated:
            stale.unlink()
    texts = bodies(list(annotated))
    GOLD.mkdir(exist_ok=True)
    problems = 0
    for aid, entities in annotated.items():
        body = texts[aid]
        for ent in entities:
            for form in ent["mentions"]:
                if form not in body:
                    problems += 1
                    print(f"{aid}: {form!r} not in body", file=sys.stderr)
        doc = {
            "id": aid,
            "source": f"orangesum:{aid[3:]}" if aid.startswith("os-") else f"written:{aid}.json",
            "split": split_of(aid),
            "entities": entities,
        }
        (GOLD / f"{aid}.json").write_text(
            json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
    print(len(annotated), "articles,", problems, "problems")


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "sample":
        sample()
    elif command == "show":
        show(int(sys.argv[2]), int(sys.argv[3]))
    else:
        build()
