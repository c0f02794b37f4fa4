"""Build the entities stage's gazetteer and knowledge base from open data.

    python -m training.build_entities
    python -m training.build_entities --check-evidence DR5HN_CHECKOUT   # re-check capitals' marks

Writes service/data/entity_gazetteer.json (French places, known organisations and events) and
service/data/entity_kb.json (Wikidata items with French names and aliases), then records them in
MANIFEST.json. Sources, all open:

- npm `@etalab/decoupage-administratif` 6.0.0 (data: Licence Ouverte 2.0): communes,
  départements and régions with their INSEE codes;
- npm `i18n-iso-countries` 7.14.0 (MIT): French and English country names by ISO code;
- training/sources/wikidata_countries.tsv: Wikidata QIDs of countries (CC0 data, taken from
  usc-isi-i2/t2wml, MIT);
- training/sources/kb_countries_fr.tsv: the usual French news names of countries and their
  variants ("Syrie", "Birmanie", "RDC", "Etats-Unis"), by QID, with the sources confirming each QID;
- training/sources/wikidata_capitals.tsv: capitals of sovereign states, QIDs from
  waldenn/conzept's Wikidata-derived country table, cross-checked with
  dr5hn/countries-states-cities-database (ODbL 1.0), French names written for this project;
- training/sources/kb_curated.tsv: international organisations, heads of state and government,
  French ministers and party leaders, each QID with its evidence (CC0 data);
- training/sources/entity_names.tsv: media, companies, clubs, parties, unions, public bodies,
  events and products (written for this project).

The npm packages are installed with `npm install` into a temporary folder (npm is the only
tool needed besides Python). Output is deterministic: sorted keys and lists.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from service.pipeline.text.fold import fold
from training.manifest import DATA, record

SOURCES = Path(__file__).resolve().parent / "sources"
GAZETTEER = DATA / "entity_gazetteer.json"
KB = DATA / "entity_kb.json"
PACKAGES = ("@etalab/decoupage-administratif@6.0.0", "i18n-iso-countries@7.14.0")
# Communes this large are named in national news; smaller ones share names with common words.
MIN_COMMUNE_POPULATION = 5000
WIKIDATA_URL = "https://www.wikidata.org/wiki/"


def _npm(folder: Path) -> Path:
    subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", "--prefix", str(folder), *PACKAGES],
        check=True,
        capture_output=True,
    )
    return folder / "node_modules"


def _rows(name: str) -> list[list[str]]:
    lines = (SOURCES / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


def _places(modules: Path) -> dict[str, Any]:
    base = modules / "@etalab" / "decoupage-administratif" / "data"
    communes = json.loads((base / "communes.json").read_text(encoding="utf-8"))
    departements = json.loads((base / "departements.json").read_text(encoding="utf-8"))
    regions = json.loads((base / "regions.json").read_text(encoding="utf-8"))
    towns = sorted(
        {
            c["nom"]
            for c in communes
            if c["type"] == "commune-actuelle" and c.get("population", 0) >= MIN_COMMUNE_POPULATION
        }
    )
    return {
        "communes": towns,
        "departements": sorted({d["nom"] for d in departements}),
        "regions": sorted({r["nom"] for r in regions}),
    }


def _names() -> list[dict[str, Any]]:
    out = []
    for kind, label, names in _rows("entity_names.tsv"):
        forms = names.split("|")
        out.append({"kind": kind, "label": label, "name": forms[0], "aliases": forms[1:]})
    return sorted(out, key=lambda e: (e["kind"], e["name"]))


def _countries(modules: Path) -> list[dict[str, Any]]:
    langs = modules / "i18n-iso-countries" / "langs"
    english = json.loads((langs / "en.json").read_text(encoding="utf-8"))["countries"]
    french = json.loads((langs / "fr.json").read_text(encoding="utf-8"))["countries"]
    by_english: dict[str, str] = {}
    for code, names in english.items():
        for name in [names] if isinstance(names, str) else names:
            by_english.setdefault(name.casefold(), code)
    # Wikidata's English labels that the ISO list spells otherwise.
    by_english.update({"people's republic of china": "CN", "the gambia": "GM", "the bahamas": "BS"})
    entries = []
    for qid, label in _rows("wikidata_countries.tsv"):
        code = by_english.get(label.casefold())
        if code is None or code not in french:
            continue
        names = french[code] if isinstance(french[code], list) else [french[code]]
        entries.append(
            {"qid": qid, "kind": "country", "label": "LOC", "name": names[0], "aliases": names[1:]}
        )
    return entries


def _with_french_names(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Give countries their usual French news name and variants; add the ones the ISO join missed."""
    by_qid = {e["qid"]: e for e in entries}
    for qid, names, _evidence in _rows("kb_countries_fr.tsv"):
        forms = names.split("|")
        entry = by_qid.get(qid)
        if entry is None:
            entry = {"qid": qid, "kind": "country", "label": "LOC", "name": forms[0], "aliases": []}
            entries.append(entry)
            by_qid[qid] = entry
        old = [entry["name"], *entry["aliases"]]
        entry["name"] = forms[0]
        entry["aliases"] = [f for f in dict.fromkeys([*forms[1:], *old]) if f != forms[0]]
    return entries


def _capitals(countries: list[dict[str, Any]], places: dict[str, Any]) -> list[dict[str, Any]]:
    """Capitals, minus any name a country or a French place also bears ("Vienne", "Koweït")."""
    taken = {fold(f) for e in countries for f in (e["name"], *e["aliases"])}
    taken |= {fold(p) for kind in ("communes", "departements", "regions") for p in places[kind]}
    entries = []
    for qid, _country, names, _evidence in _rows("wikidata_capitals.tsv"):
        forms = [f for f in names.split("|") if fold(f) not in taken]
        if forms:
            entries.append(
                {"qid": qid, "kind": "capital", "label": "LOC", "name": forms[0], "aliases": forms[1:]}
            )
    return entries


def _kb(modules: Path, places: dict[str, Any]) -> list[dict[str, Any]]:
    countries = _with_french_names(_countries(modules))
    entries = [*countries, *_capitals(countries, places)]
    for qid, kind, label, names, _evidence in _rows("kb_curated.tsv"):
        forms = names.split("|")
        entries.append({"qid": qid, "kind": kind, "label": label, "name": forms[0], "aliases": forms[1:]})
    words_places = json.loads((DATA / "entity_places.json").read_text(encoding="utf-8"))
    groups = json.loads((DATA / "entity_words.json").read_text(encoding="utf-8"))["alias_groups"]
    spellings = [{g["name"], *g["strong"]} for g in groups]
    spellings += [{country} for country, _capital, _demonyms in words_places["countries"]]
    merged: dict[str, dict[str, Any]] = {}
    for entry in entries:
        # One item per QID: a capital listed in two sources keeps the names of both.
        kept = merged.setdefault(entry["qid"], {**entry, "aliases": []})
        kept["aliases"] = [*kept["aliases"], entry["name"], *entry["aliases"]]
    for entry in merged.values():
        # The stage's own spellings ("États-Unis", "USA") become aliases of the item sharing a form.
        forms = {entry["name"], *entry["aliases"]}
        for group in spellings:
            if forms & group:
                forms |= group
        entry["aliases"] = sorted(forms - {entry["name"]})
    return sorted(merged.values(), key=lambda e: int(e["qid"][1:]))


def _ambiguous(items: list[dict[str, Any]]) -> list[str]:
    """Folded forms naming two items of one label: the linker leaves them unlinked."""
    owners: dict[tuple[str, str], set[str]] = {}
    for item in items:
        for form in (item["name"], *item["aliases"]):
            owners.setdefault((fold(form), item["label"]), set()).add(item["qid"])
    return sorted(
        f"{form} ({label}): {', '.join(sorted(q))}" for (form, label), q in owners.items() if len(q) > 1
    )


def check_evidence(dr5hn: Path) -> list[str]:
    """Capitals marked "dr5hn agrees" that a dr5hn checkout does not back.

    `dr5hn` is a checkout of dr5hn/countries-states-cities-database (json/countries.json and
    contributions/cities/<ISO2>.json): a capital is marked only when the city file of its country
    holds a city with the same `wikiDataId`; the mark is evidence, no dr5hn record is shipped.
    """
    countries = json.loads((dr5hn / "json" / "countries.json").read_text(encoding="utf-8"))
    iso2 = {c["wikiDataId"]: c["iso2"] for c in countries if c.get("wikiDataId")}
    problems = []
    for qid, country, names, evidence in _rows("wikidata_capitals.tsv"):
        cities_file = dr5hn / "contributions" / "cities" / f"{iso2.get(country, '')}.json"
        cities = json.loads(cities_file.read_text(encoding="utf-8")) if cities_file.is_file() else []
        # A mark dr5hn does not back is an error; a missing mark is not (its largest city
        # files were absent from the snapshot the marks were made from).
        if "dr5hn agrees" in evidence and not any(city.get("wikiDataId") == qid for city in cities):
            problems.append(f"{qid} {names}: marked, but dr5hn gives this city another item")
    return problems


def main() -> None:
    """Install the npm sources, derive both files, record them in the manifest."""
    with tempfile.TemporaryDirectory(prefix="entities-npm-") as tmp:
        modules = _npm(Path(tmp))
        gazetteer = {
            "_doc": "Built by training/build_entities.py; see its docstring for sources and licences."
        }
        places = _places(modules)
        gazetteer |= {"places": places, "names": _names()}
        kb = {
            "_doc": "Wikidata items the entities stage links to; built by training/build_entities.py.",
            "url": WIKIDATA_URL,
            "items": _kb(modules, places),
        }
    for path, data in ((GAZETTEER, gazetteer), (KB, kb)):
        path.write_text(
            json.dumps(data, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8"
        )
    record()
    for line in _ambiguous(kb["items"]):
        print(f"ambiguous, never linked: {line}")
    print(
        f"{len(gazetteer['names'])} names, {len(gazetteer['places']['communes'])} communes, {len(kb['items'])} KB items"
    )


if __name__ == "__main__":
    # `--check-evidence DR5HN_CHECKOUT` re-derives the capitals' evidence marks instead of building.
    if len(sys.argv) == 3 and sys.argv[1] == "--check-evidence":
        found = check_evidence(Path(sys.argv[2]))
        print("\n".join(found) or "every dr5hn mark matches the checkout")
        sys.exit(1 if found else 0)
    main()
