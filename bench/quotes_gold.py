"""Build the quotes gold files from the annotated articles written for this project.

    python -m bench.quotes_gold

`bench/data/quotes/{dev,test}.txt` hold French news articles written for this project (no text
copied from anywhere), each as `=== <id> <genre>`, its headline, its body, then one `@` line.
Markup in the body: `{I|speaker|clause}` marks a reported statement and `{D|speaker|text}` a
quotation whose marks need care (unclosed marks); every other pair of quotation marks on a line
gets, in order, one entry of the `@` line: the speaker's entity name, `-` for a source that is
not an entity, or `x` for marks that hold no quote (a title, a label). The output follows
../shared/gold/FORMAT.md: `bench/data/quotes/<split>/<id>.json` with `input`, `title`, `quotes`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench" / "data" / "quotes"
_MARKUP = re.compile(r"\{([ID])\|([^|{}]*)\|([^{}]*)\}")
_OPEN, _CLOSE = "«“", "»”"


def _pairs(line: str) -> list[tuple[int, int]]:
    """Outermost quotation pairs of a well-formed line (an unclosed mark runs to the line's end)."""
    pairs = []
    depth, start, straight = 0, 0, False
    for i, ch in enumerate(line):
        if ch in _OPEN:
            if depth == 0 and not straight:
                start = i + 1
            depth += 1
        elif ch in _CLOSE and depth:
            depth -= 1
            if depth == 0 and not straight:
                pairs.append((start, i))
        elif ch == '"' and depth == 0:
            if straight:
                pairs.append((start, i))
            else:
                start = i + 1
            straight = not straight
    if depth or straight:
        pairs.append((start, len(line)))
    return pairs


def parse(path: Path, split: str) -> list[dict[str, object]]:
    """The gold articles of one annotated file."""
    articles = []
    for chunk in re.split(r"(?m)^=== ", path.read_text(encoding="utf-8")):
        if not chunk.strip():
            continue
        header, *rest = chunk.rstrip("\n").split("\n")
        ident, genre = header.split()
        notes = [line for line in rest if line.startswith("@")]
        lines = [line for line in rest if not line.startswith("@")]
        speakers = [s.strip() for s in notes[0][1:].split("|")] if notes and notes[0][1:].strip() else []
        title = lines[0]
        quotes: list[tuple[int, dict[str, object]]] = []
        out_lines: list[str] = []
        offset = len(title) + 1
        for line in lines[1:]:
            plain, cursor, explicit = "", 0, []
            for m in _MARKUP.finditer(line):
                plain += line[cursor : m.start()]
                kind, speaker, text = m.groups()
                explicit.append((len(plain), len(plain) + len(text)))
                quotes.append(
                    (
                        offset + len(plain),
                        {
                            "text": text,
                            "speaker": None if speaker == "-" else speaker,
                            "kind": "indirect" if kind == "I" else "direct",
                        },
                    )
                )
                plain += text
                cursor = m.end()
            plain += line[cursor:]
            for a, b in _pairs(plain):
                if any(x <= a and b <= y for x, y in explicit) or any(a <= x and y <= b for x, y in explicit):
                    continue
                if not speakers:
                    msg = f"{ident}: more quotation pairs than entries on its @ line"
                    raise ValueError(msg)
                speaker = speakers.pop(0)
                text = plain[a:b].strip()
                if speaker != "x":
                    quotes.append(
                        (
                            offset + a,
                            {"text": text, "speaker": None if speaker == "-" else speaker, "kind": "direct"},
                        )
                    )
            out_lines.append(plain)
            offset += len(plain) + 1
        if speakers:
            msg = f"{ident}: {len(speakers)} entries of its @ line have no quotation pair"
            raise ValueError(msg)
        quotes.sort(key=lambda q: q[0])
        articles.append(
            {
                "id": ident,
                "genre": genre,
                "split": split,
                "source": None,
                "input": "\n".join([title, *out_lines]) + "\n",
                "title": title,
                "quotes": [q for _, q in quotes],
            }
        )
    return articles


def main() -> None:
    """Write one JSON gold file per article, per split."""
    for split in ("dev", "test"):
        source = DATA / f"{split}.txt"
        if not source.exists():
            continue
        folder = DATA / split
        folder.mkdir(exist_ok=True)
        for old in folder.glob("*.json"):
            old.unlink()
        articles = parse(source, split)
        for article in articles:
            (folder / f"{article['id']}.json").write_text(
                json.dumps(article, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
            )
        count = sum(len(a["quotes"]) for a in articles)  # type: ignore[arg-type]
        print(f"{split}: {len(articles)} articles, {count} quotes")


if __name__ == "__main__":
    main()
