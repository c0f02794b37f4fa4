"""The entities stage: named entities of the body as clusters with exact mentions and a salience."""

from __future__ import annotations

import bisect
import re

from spacy.tokens import Doc

from service.model import DemonymCountry, Entity, EntityLabel, Mention
from service.pipeline.article import Article, StageResources, need
from service.pipeline.entities.cluster import Cluster, cluster_candidates
from service.pipeline.entities.demonyms import demonym_countries
from service.pipeline.entities.lexicon import Lexicon, load_lexicon
from service.pipeline.entities.link import link_cluster
from service.pipeline.entities.spans import candidates
from service.pipeline.text.doc import doc_text
from service.pipeline.text.fold import fold, word_key

__all__ = ["EntitiesStage", "extract_demonym_countries", "extract_entities"]

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# The lede is the first paragraph, or the first few hundred characters when paragraphs are short.
_LEDE_CHARS = 400
_WEIGHTS = {"frequency": 0.35, "title": 0.2, "lede": 0.15, "spread": 0.15, "position": 0.15}


def _paragraph_starts(body: str) -> list[int]:
    return [0, *(m.end() for m in _PARAGRAPH_BREAK.finditer(body))]


def _in_title(cluster: Cluster, folded_title: str) -> bool:
    if not folded_title:
        return False
    forms = {word_key(fold(m.text)) for m in cluster.mentions}
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


def extract_entities(doc: Doc, lexicon: Lexicon, title: str | None = None) -> list[Entity]:
    """Cluster the body's entity mentions into one entity each, most salient first."""
    body = doc_text(doc)
    clusters = cluster_candidates(body, candidates(doc, body, lexicon), lexicon)
    if not clusters:
        return []
    starts = _paragraph_starts(body)
    lede_end = max(starts[1] if len(starts) > 1 else len(body), _LEDE_CHARS)
    top = max(len(c.mentions) for c in clusters)
    folded_title = word_key(fold(title or ""))
    entities: list[Entity] = []
    for cluster in clusters:
        label: EntityLabel = cluster.label  # type: ignore[assignment]
        aliases = list(dict.fromkeys(m.text for m in cluster.mentions))
        qid = link_cluster(cluster.label, [cluster.name, *aliases], lexicon.kb)
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
                kb_id=qid,
                kb_url=f"{lexicon.kb.url}{qid}" if qid else None,
            )
        )
    entities.sort(key=lambda e: (-e.salience, e.mentions[0].start))
    return entities


def extract_demonym_countries(doc: Doc, lexicon: Lexicon) -> list[DemonymCountry]:
    """Countries referred to by demonyms ("russo-turque" -> Russie, Turquie), with their mentions.

    Returned in the separate `countries_from_demonyms` field, never mixed into `entities`.
    """
    found = demonym_countries(doc, lexicon)
    return [DemonymCountry(name=name, mentions=mentions) for name, mentions in found.items()]


class EntitiesStage:
    """Stage: entity clusters of the body, and the countries named only by demonyms."""

    name = "entities"
    version = "9"
    data_files = ("entity_words.json", "entity_places.json", "entity_gazetteer.json", "entity_kb.json")

    def __init__(self) -> None:
        self._lexicon: Lexicon | None = None

    def load(self, resources: StageResources) -> None:
        """Read the entity word lists."""
        self._lexicon = load_lexicon()

    def __call__(self, article: Article) -> None:
        """Fill `entities` and `countries_from_demonyms`."""
        doc = need(article.doc, "the parsed body")
        lexicon = need(self._lexicon, "the entity lexicon")
        article.entities = extract_entities(doc, lexicon, need(article.cleaned, "the cleaned body").title)
        article.countries_from_demonyms = extract_demonym_countries(doc, lexicon)
