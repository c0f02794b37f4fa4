"""Derive service/data/iptc_topics.json, the compact IPTC Media Topics vocabulary the service ships.

Reads IPTC's own French and English export (../shared/iptc/cptall-{fr,en}.json, release 2022-02-03,
CC BY 4.0, credit "IPTC Media Topics, iptc.org/standards/newscodes") and keeps, for the 17 top-level
topics and their non-retired level-2 children: code, French and English label and definition, and the
French (and English) labels of every non-retired descendant, which feed the lexicon component of the
topic model. Deterministic: the same export gives the same file byte for byte.

    .venv/bin/python -m training.build_iptc [--shared ../shared] [--out service/data/iptc_topics.json]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from training.manifest import record

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = ROOT.parent / "shared"
DEFAULT_OUT = ROOT / "service" / "data" / "iptc_topics.json"

# A few level-2 concepts of this release have no French label; these are our translations.
FRENCH_FALLBACK = {
    "medtop:20001323": "Entraînement sportif",
    "medtop:20001324": "Gestion et propriété des clubs sportifs",
    "medtop:20001325": "Arbitrage sportif",
    "medtop:20001337": "Enseignement à distance",
    "medtop:20001338": "Politique de l'éducation",
    "medtop:20001339": "Bien-être",
}


def _code(ref: str) -> str:
    return "medtop:" + ref.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]


def _first(values: dict[str, str]) -> str:
    return next(iter(values.values()), "").strip() if values else ""


def build(shared: Path) -> dict[str, object]:
    fr = json.loads((shared / "iptc" / "cptall-fr.json").read_text(encoding="utf-8"))
    en = json.loads((shared / "iptc" / "cptall-en.json").read_text(encoding="utf-8"))
    english = {c["qcode"]: c for c in en["conceptSet"]}
    concepts = {}
    for c in fr["conceptSet"]:
        if "retired" in c:
            continue
        e = english.get(c["qcode"], {})
        concepts[c["qcode"]] = {
            "code": c["qcode"],
            "label": _first(c.get("prefLabel", {})) or FRENCH_FALLBACK.get(c["qcode"], ""),
            "label_en": _first(e.get("prefLabel", {})),
            "definition": _first(c.get("definition", {})),
            "definition_en": _first(e.get("definition", {})),
            "narrower": [_code(n) for n in c.get("narrower", [])],
        }

    def descendants(code: str) -> list[str]:
        out: list[str] = []
        for child in concepts[code]["narrower"]:
            if child in concepts:
                out.append(child)
                out.extend(descendants(child))
        return out

    def terms(code: str, lang: str) -> list[str]:
        key = "label" if lang == "fr" else "label_en"
        seen = {concepts[d][key] for d in descendants(code)}
        return sorted(t for t in seen if t)

    topics = []
    for ref in fr["hasTopConcept"]:
        code = _code(ref)
        top = concepts[code]
        subtopics = [
            {
                "code": child,
                "label": concepts[child]["label"] or concepts[child]["label_en"],
                "label_en": concepts[child]["label_en"],
                "definition": concepts[child]["definition"],
                "definition_en": concepts[child]["definition_en"],
                "terms": terms(child, "fr"),
                "terms_en": terms(child, "en"),
            }
            for child in top["narrower"]
            if child in concepts
        ]
        topics.append(
            {
                "code": code,
                "label": top["label"],
                "label_en": top["label_en"],
                "definition": top["definition"],
                "definition_en": top["definition_en"],
                "terms": terms(code, "fr"),
                "terms_en": terms(code, "en"),
                "subtopics": subtopics,
            }
        )
    return {
        "credit": "IPTC Media Topics, iptc.org/standards/newscodes (CC BY 4.0)",
        "release": fr.get("dateReleased", ""),
        "topics": topics,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    data = build(args.shared)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    record()
    n_sub = sum(len(t["subtopics"]) for t in data["topics"])  # type: ignore[union-attr]
    print(f"wrote {args.out}: {len(data['topics'])} topics, {n_sub} subtopics")  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
