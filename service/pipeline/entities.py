"""Stage 4: named entities of the body as clusters with exact mentions and a salience."""

from __future__ import annotations

from spacy.tokens import Doc

from service.api.schemas import Entity, EntityLabel, Mention

__all__ = ["extract_entities"]

_LABELS: frozenset[str] = frozenset({"PER", "ORG", "LOC", "MISC"})


def extract_entities(doc: Doc, title: str | None = None) -> list[Entity]:
    """Group the model's mentions by exact text and label, most frequent and earliest first."""
    groups: dict[tuple[str, str], list[Mention]] = {}
    for ent in doc.ents:
        if ent.label_ not in _LABELS or not ent.text.strip():
            continue
        groups.setdefault((ent.text, ent.label_), []).append(
            Mention(start=ent.start_char, end=ent.end_char, text=ent.text)
        )
    if not groups:
        return []
    top = max(len(m) for m in groups.values())
    length = max(len(doc.text), 1)
    entities = []
    for (name, label), mentions in groups.items():
        first = mentions[0].start / length
        salience = 0.7 * len(mentions) / top + 0.3 * (1.0 - first)
        label_: EntityLabel = label  # type: ignore[assignment]
        entities.append(
            Entity(
                name=name,
                label=label_,
                salience=round(min(1.0, salience), 4),
                count=len(mentions),
                mentions=mentions,
                aliases=[name],
            )
        )
    entities.sort(key=lambda e: (-e.salience, e.mentions[0].start))
    return entities
