"""Stage 4: named entities of the body as clusters with exact mentions and a salience."""

from __future__ import annotations

import bisect
import re

from spacy.tokens import Doc

from service.api.schemas import DemonymCountry, Entity, EntityLabel, Mention
from service.pipeline._entities_cluster import Cluster, cluster_candidates
from service.pipeline._entities_data import key, load_lexicon
from service.pipeline._entities_demonyms import demonym_countries
from service.pipeline._entities_spans import candidates

__all__ = ["extract_demonym_countries", "extract_entities", "load_lexicon"]

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# The lede is the first paragraph, or the first few hundred characters when paragraphs are short.
_LEDE_CHARS = 400
_WEIGHTS = {"frequency": 0.35, "title": 0.2, "lede": 0.15, "spread": 0.15, "position": 0.15}


def _paragraph_starts(body: str) -> list[int]:
    return [0, *(m.end() for m in _PARAGRAPH_BREAK.finditer(body))]


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", key(text)))


def _in_title(cluster: Cluster, folded_title: str) -> bool:
    if not folded_title:
        return False
    forms = {_words(m.text) for m in cluster.mentions}
    if cluster.label == "PER":
        forms.update(f.split()[-1] for f in list(forms) if f)
    padded = f" {folded_title} "
    return any(len(f) > 1 and f" {f} " in padded for f in forms)


def _salience(
    cluster: Cluster, *, top: int, starts: list[int], length: int, lede_end: int, folded_title: str
) -> float:
    paragraphs = {bisect.bisect_right(starts, m.start) for m in cluster.mentions}
    first = cluster.mentions[0].start
    parts = {
        "frequency": len(cluster.mentions) / top,
        "title": float(_in_title(cluster, folded_title)),
        "lede": float(first < lede_end),
        "spread": len(paragraphs) / len(starts),
        "position": 1.0 - first / length,
    }
    return round(min(1.0, max(0.0, sum(_WEIGHTS[n] * v for n, v in parts.items()))), 4)


def extract_entities(doc: Doc, title: str | None = None) -> list[Entity]:
    """Cluster the body's entity mentions into one entity each, most salient first."""
    lexicon = load_lexicon()
    body = doc.text
    clusters = cluster_candidates(body, candidates(doc, body, lexicon), lexicon)
    if not clusters:
        return []
    starts = _paragraph_starts(body)
    lede_end = max(starts[1] if len(starts) > 1 else len(body), _LEDE_CHARS)
    top = max(len(c.mentions) for c in clusters)
    folded_title = _words(title or "")
    entities: list[Entity] = []
    for cluster in clusters:
        label: EntityLabel = cluster.label  # type: ignore[assignment]
        aliases = list(dict.fromkeys(m.text for m in cluster.mentions))
        entities.append(
            Entity(
                name=cluster.name,
                label=label,
                salience=_salience(
                    cluster,
                    top=top,
                    starts=starts,
                    length=max(len(body), 1),
                    lede_end=lede_end,
                    folded_title=folded_title,
                ),
                count=len(cluster.mentions),
                mentions=[Mention(start=m.start, end=m.end, text=m.text) for m in cluster.mentions],
                aliases=aliases,
            )
        )
    entities.sort(key=lambda e: (-e.salience, e.mentions[0].start))
    return entities


def extract_demonym_countries(doc: Doc) -> list[DemonymCountry]:
    """Countries referred to by demonyms ("russo-turque" -> Russie, Turquie), with their mentions.

    Returned in the separate `countries_from_demonyms` field, never mixed into `entities`.
    """
    found = demonym_countries(doc, load_lexicon())
    return [DemonymCountry(name=name, mentions=mentions) for name, mentions in found.items()]
