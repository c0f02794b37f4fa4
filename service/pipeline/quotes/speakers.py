"""Who a cue's subject is: a named entity, a pronoun or a role resolved to a cluster, or a source."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from service.model import Entity, QuoteSpeaker
from service.pipeline.quotes.cues import Cues
from service.pipeline.text.fold import fold

__all__ = ["EntityIndex", "Resolver"]

_SPEAKER_LABELS = frozenset({"PER", "ORG"})
# Words of a role noun phrase kept in a speaker's name: "le ministre de l'Intérieur".
_MAX_NAME_TOKENS = 7
# A role noun ("la ministre") names the person whose mention stands this close to it.
_ROLE_WINDOW = 4
_PERSONAL = frozenset({"il", "elle", "-il", "-elle", "-t-il", "-t-elle", "t-il", "t-elle"})
_PLURAL = frozenset({"ils", "elles", "-ils", "-elles", "-t-ils", "-t-elles"})
_SPEAKER_DEPS = frozenset({"nsubj", "nsubj:pass"})
_NAME_DEPS = frozenset({"det", "amod", "nmod", "case", "flat:name", "flat", "appos", "nummod", "fixed"})
_AUX_DEPS = frozenset({"aux", "aux:tense", "aux:pass"})
_AUX_REACH = 4


@dataclass(frozen=True, slots=True)
class _Mention:
    start: int
    end: int
    entity: int


class EntityIndex:
    """The response's entity mentions by offset, with a guessed gender for person clusters."""

    def __init__(self, doc: Doc, entities: list[Entity], cues: Cues) -> None:
        mentions = sorted(
            (_Mention(m.start, m.end, i) for i, e in enumerate(entities) for m in e.mentions),
            key=lambda m: m.start,
        )
        self.entities = entities
        self.mentions = mentions
        self._starts = [m.start for m in mentions]
        self.gender = self._genders(doc.text, cues)

    def _genders(self, body: str, cues: Cues) -> dict[int, str]:
        """"F" or "M" for person clusters whose mentions follow "Mme", "M.", "la", "le" ..."""
        votes: dict[int, int] = {}
        for m in self.mentions:
            if self.entities[m.entity].label != "PER":
                continue
            before = body[max(0, m.start - 40) : m.start].split()
            for word in before[-2:]:
                w = word.lower().strip(",")
                if w in cues.feminine:
                    votes[m.entity] = votes.get(m.entity, 0) + 1
                elif w in cues.masculine:
                    votes[m.entity] = votes.get(m.entity, 0) - 1
        return {k: ("F" if v > 0 else "M") for k, v in votes.items() if v}

    def at(self, start: int, end: int) -> list[_Mention]:
        """Mentions overlapping [start, end), in order."""
        i = bisect.bisect_left(self._starts, start)
        # A mention starting before `start` may still overlap it.
        j = max(0, i - 1)
        return [m for m in self.mentions[j:] if m.start < end and m.end > start][:8] if self.mentions else []

    def before(self, offset: int) -> list[_Mention]:
        """Mentions that end before `offset`, nearest first."""
        i = bisect.bisect_left(self._starts, offset)
        return [m for m in reversed(self.mentions[:i]) if m.end <= offset]


def _speaker(entities: list[Entity], index: int) -> QuoteSpeaker:
    return QuoteSpeaker(name=entities[index].name, entity=index)


class Resolver:
    """Turns the subject of a cue into a speaker, reading the entities and the text before it."""

    def __init__(self, doc: Doc, index: EntityIndex, cues: Cues, quoted: list[tuple[int, int]]) -> None:
        self.doc = doc
        self.body = doc.text
        self.index = index
        self.cues = cues
        # Names quoted by someone else are rarely the speaker of the next quote.
        self._quoted = quoted

    def _inside_quote(self, offset: int) -> bool:
        return any(a <= offset < b for a, b in self._quoted)

    def incise(self, verb: Token) -> bool:
        """Whether a verb stands in an incise: after a comma or a closing mark, or inverted ("dit-il")."""
        first = verb
        for child in verb.children:
            if child.dep_ in _AUX_DEPS and child.i < first.i:
                first = child
        previous = self.doc[first.i - 1] if first.i > 0 else None
        following = self.doc[verb.i + 1] if verb.i + 1 < len(self.doc) else None
        after_comma = previous is not None and previous.text in {",", "»", "”", '"'}
        return after_comma or (following is not None and following.text.startswith("-"))

    def subject(self, verb: Token) -> Token | None:
        """The subject of a cue verb, looking through coordination ("a souri et a ajouté").

        In an incise the parser often takes the inverted subject for an object ("…, a précisé
        Catherine Vautrin"): the first noun or pronoun right after the verb is then the subject.
        """
        for token in (verb, verb.head if verb.dep_ == "conj" else None):
            if token is None:
                continue
            for child in token.children:
                if child.dep_ in _SPEAKER_DEPS:
                    return child
        if self.incise(verb):
            for token in self.doc[verb.i + 1 : min(len(self.doc), verb.i + 1 + _AUX_REACH)]:
                if token.pos_ in {"PROPN", "NOUN", "PRON"}:
                    return token
                if token.pos_ not in {"DET", "ADJ", "PUNCT"} or token.text == ",":
                    break
        return None

    def is_vague(self, head: Token) -> bool:
        """A subject that stands for nobody in particular ("on", "les experts", "une étude")."""
        lemma = head.lemma_.lower()
        if lemma in self.cues.vague_subjects or head.lower_ in self.cues.vague_subjects:
            return True
        if any(c.dep_ == "det" and c.lower_ in {"nos", "notre"} for c in head.children):
            return True
        return head.pos_ == "NOUN" and "Plur" in head.morph.get("Number") and not self._has_entity(head)

    def _has_entity(self, head: Token) -> bool:
        left, right = head.left_edge.idx, head.right_edge.idx + len(head.right_edge.text)
        return any(self.index.entities[m.entity].label in _SPEAKER_LABELS for m in self.index.at(left, right))

    def pronoun(self, text: str, before: int, *, plural: bool = False) -> QuoteSpeaker | None:
        """The nearest person (organisation, for "ils") mentioned before `before` that fits the pronoun."""
        lowered = text.lower()
        gender = "F" if "elle" in lowered else "M"
        for m in self.index.before(before):
            entity = self.index.entities[m.entity]
            if self._inside_quote(m.start):
                continue
            if plural:
                if entity.label == "ORG":
                    return _speaker(self.index.entities, m.entity)
                continue
            if entity.label != "PER":
                continue
            if self.index.gender.get(m.entity, gender) == gender:
                return _speaker(self.index.entities, m.entity)
        return None

    def role(self, head: Token, name: str, before: int) -> QuoteSpeaker:
        """A role or an organisation word: the cluster it names nearby, else the words themselves."""
        lemma = fold(head.lemma_.lower())
        text = self.body
        for m in self.index.before(before):
            entity = self.index.entities[m.entity]
            if entity.label not in _SPEAKER_LABELS:
                continue
            if entity.label == "ORG" and lemma in fold(entity.name.lower()).split():
                return _speaker(self.index.entities, m.entity)
            if entity.label == "PER":
                around = text[max(0, m.start - 60) : m.end + 60]
                words = [fold(w.strip(",.;:()").lower()) for w in around.split()]
                mention_words = len(text[m.start : m.end].split())
                left = [fold(w.strip(",.;:()").lower()) for w in text[max(0, m.start - 60) : m.start].split()]
                right = [fold(w.strip(",.;:()").lower()) for w in text[m.end : m.end + 60].split()]
                if lemma in left[-_ROLE_WINDOW:] or lemma in right[:_ROLE_WINDOW] or (
                    lemma in words and mention_words > _MAX_NAME_TOKENS
                ):
                    return _speaker(self.index.entities, m.entity)
        return QuoteSpeaker(name=name, entity=None)

    def noun_phrase(self, head: Token) -> str:
        """The words naming a subject: its determiner, adjectives and complements, no clause."""
        tokens = [head]
        # "selon une source": the preposition that governs the head is not part of its name.
        stack = [c for c in head.children if c.dep_ in _NAME_DEPS and not (c.dep_ == "case" and c.i < head.i)]
        while stack and len(tokens) < _MAX_NAME_TOKENS:
            token = stack.pop()
            if token.dep_ == "appos" or token.is_punct:
                continue
            tokens.append(token)
            stack.extend(c for c in token.children if c.dep_ in _NAME_DEPS and not c.is_punct)
        tokens.sort(key=lambda t: t.i)
        # Keep the contiguous run around the head only.
        run = [head]
        pos = {t.i for t in tokens}
        i = head.i - 1
        while i in pos:
            run.insert(0, self.doc[i])
            i -= 1
        i = head.i + 1
        while i in pos:
            run.append(self.doc[i])
            i += 1
        start, end = run[0].idx, run[-1].idx + len(run[-1].text)
        return self.body[start:end]

    def speaker(self, head: Token, before: int) -> QuoteSpeaker | None:
        """The speaker a subject (or the object of "selon") names, or None when it names nobody."""
        lowered = head.lower_
        subtree = [t for t in head.subtree if t.dep_ != "acl:relcl"] or [head]
        if lowered in _PERSONAL or head.text.lower().endswith(("-il", "-elle", "t-il", "t-elle")):
            return self.pronoun(lowered, before)
        if lowered in {"lui", "elle"}:
            return self.pronoun(lowered, before)
        nxt = head.nbor(1) if head.i + 1 < len(self.doc) else None
        if lowered in {"-t", "t"} and nxt is not None:
            return self.pronoun(nxt.lower_, before, plural=nxt.lower_.endswith("s"))
        if lowered in _PLURAL or lowered in {"eux"}:
            return self.pronoun(lowered, before, plural=True)
        if head.pos_ == "PRON":
            return None
        left = min(t.idx for t in subtree)
        right = max(t.idx + len(t.text) for t in subtree)
        mentions = [m for m in self.index.at(left, right) if self.index.entities[m.entity].label in _SPEAKER_LABELS]
        if mentions:
            person = [m for m in mentions if self.index.entities[m.entity].label == "PER"]
            return _speaker(self.index.entities, (person or mentions)[0].entity)
        if self.is_vague(head):
            return None
        name = self.noun_phrase(head)
        if head.pos_ == "PROPN":
            return QuoteSpeaker(name=name, entity=None)
        return self.role(head, name, before)
