"""Stage: who said what. Quotations between marks and reported statements, with their speakers.

Rules over the NLP stage's parse, no second model pass:

- **direct**: the outermost pairs of quotation marks of each block (nested pairs and incises
  stay inside; an unclosed mark runs to the end of its block, and a quotation running over
  several paragraphs gives one entry per paragraph with one speaker). A quotation counts when a
  cue attributes it (a speech verb in its sentence or an incise inside it, "selon X", "X : « »",
  a lead-in sentence ending with a colon), or when it stands as speech on its own (a sentence
  after an attributed quotation, or a clause with a verb); short terms, names of works and
  labels set off in marks do not.
- **indirect**: "X affirme que …" (a speech verb with a `que` clause), "selon X, …", "d'après X,
  …", "pour X, …" and "…, a précisé X"; the text is the reported clause.
- **speaker**: the cue's subject, read through the response's entities: a mention in the subject
  gives its cluster, a pronoun the nearest compatible person before it, a role or organisation
  word the cluster named next to that word earlier; otherwise the subject's words with `entity`
  null. Vague sources ("on", "les experts", "une étude") name nobody.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from spacy.attrs import LEMMA, LOWER, POS
from spacy.symbols import VERB
from spacy.tokens import Doc, Token

from service.model import Entity, Paragraph, Quote, QuoteKind, QuoteSpeaker
from service.pipeline.article import Article, StageResources, need
from service.pipeline.quotes.cues import OPENING_WORDS, QUOTE_CUES, Cues, load_cues
from service.pipeline.quotes.speakers import EntityIndex, Resolver, first_of_cue, inverted_pronoun
from service.pipeline.text.doc import doc_text
from service.pipeline.text.quotes import CLOSING_MARKS, QUOTE_MARKS, Quotation, quotation_spans
from service.pipeline.text.sentences import Sentence, split_sentences

__all__ = ["QuotesStage", "extract_quotes"]

# A quotation this long with a verb stands as speech even without a cue next to it.
_SPEECH_WORDS = 5
# "X :" before a quotation: a name and the colon.
_COLON_TOKENS = 2
# Words for what was just said, subject of the sentence after a quotation: "La phrase de X …".
_SAID_NOUNS = frozenset({"phrase", "propos", "déclaration", "mot", "parole", "message", "sortie", "tweet"})
_SAID_DETERMINERS = frozenset({"la", "le", "les", "l'", "l\u2019", "ce", "cet", "cette", "ces"})
# The marks that can open a quotation here, the straight one included: « “ ".
_OPENING_MARKS = QUOTE_MARKS - CLOSING_MARKS
# The "que" of a reported clause stands at most this many tokens after its verb.
_QUE_REACH = 7
# "l'As des as", "d'Artagnan": the elided article before a title's capital.
_ELIDED = re.compile(r"^[ldLD]['\u2019]")
# Heading quotations are compared to body quotations sharing their first characters.
_KEY_CHARS = 24
# Tokens of the sentence before read for its subject (its verb stands near its start); the cap
# keeps a pronoun's look-up constant however long that sentence is.
_TOPIC_TOKENS = 60
# Sentences back that a role may be resolved through, one sentence before the other: a run of
# role subjects ("Le ministre … Le président …") must not recurse once per sentence of the body.
_TOPIC_DEPTH = 4
# Heads climbed from a quotation's first word to find the verb it hangs from.
_GOVERNOR_STEPS = 4
# Unattributed speech belongs to the person mentioned this many characters before it.
_PERSON_WINDOW = 400
# A quotation this short, with no cue, is a term set off in marks ("« fake news »").
_TERM_WORDS = 3
# A term after a title cue ("le film « … »") is a name up to this many words.
_TITLE_WORDS = 6
# A reported clause shorter than this is not a statement ("il a dit que oui").
_MIN_CLAUSE_WORDS = 3
# An aux of the cue verb stands at most this many tokens before it ("a-t-elle ajouté").
_AUX_REACH = 4
# An incise verb right after a closing mark starts this close to it ("», a-t-elle ajouté").
_INCISE_CHARS = 24
# Tokens before an opening mark that may carry a title cue ("le nouveau film « … »").
_TITLE_REACH = 3
_AUX_DEPS = frozenset({"aux", "aux:tense", "aux:pass"})
_MARK_QUE = frozenset({"que", "qu'", "qu\u2019"})
_CLAUSE_DEPS = frozenset({"ccomp", "obj", "xcomp", "advcl"})
_SPEAKER_POS = frozenset({"NOUN", "PROPN", "PRON"})
_UNRESOLVABLE = frozenset({"je", "j'", "nous", "vous", "tu", "on", "ce", "c'", "cela", "ça", "qui"})
_EDGE_PUNCT = ' ,;:.!?…-\u2013\u2014()"«»“”'


@dataclass(slots=True)
class _Direct:
    """A quotation being attributed: its span, block, chain and what was found for it."""

    q: Quotation
    block: int
    chain: int
    heading: bool
    speaker: QuoteSpeaker | None = None
    cue: str | None = None
    attributed: bool = False


_NEXT_NON_SPACE = re.compile(r"\S")
# A token's classes in `_Extractor._token_classes`, as bits.
_OPENER = 1
_CUE = 2


@functools.cache
def _flag_table(
    openers: frozenset[int], cues: frozenset[int]
) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint8]]:
    """Sorted string ids of two cue lists and, for each, its bits (made once per pair of lists)."""
    ids = sorted(openers | cues) or [0]
    flags = [(_OPENER if i in openers else 0) | (_CUE if i in cues else 0) for i in ids]
    return np.array(ids, dtype=np.uint64), np.array(flags, dtype=np.uint8)


def _flags_of(
    values: npt.NDArray[np.uint64], openers: frozenset[int], cues: frozenset[int]
) -> npt.NDArray[np.uint8]:
    """Each value's bits: `_OPENER` when it is in `openers`, `_CUE` when in `cues` (binary search)."""
    table, flags = _flag_table(openers, cues)
    at = np.minimum(np.searchsorted(table, values), len(table) - 1)
    found: npt.NDArray[np.uint8] = np.where(table[at] == values, flags[at], 0).astype(np.uint8)
    return found


# A run of non-space characters holding a letter or a digit: one word, whatever its punctuation.
_WORD_RUN = re.compile(r"\S*[^\W_]\S*")


def _words(text: str) -> int:
    """How many space-separated words of a text hold a letter or a digit (one regex scan)."""
    return len(_WORD_RUN.findall(text))


def _speaker_of(entities: list[Entity], index: int) -> QuoteSpeaker:
    return QuoteSpeaker(name=entities[index].name, entity=index)


class _Extractor:
    """One article's extraction: the parse, the entity index and the quotations found so far."""

    def __init__(
        self,
        doc: Doc,
        body: str,
        paragraphs: list[Paragraph],
        entities: list[Entity],
        cues: Cues,
        *,
        title: str | None = None,
    ) -> None:
        self.doc = doc
        self.body = body
        self.cues = cues
        self._topic_depth = 0
        # Words that open "selon X", "d'après X" or "comme le rappelle X" whatever their lemma.
        self._openers = cues.according_to | OPENING_WORDS
        self.blocks = [(p.start, p.end, p.kind == "heading") for p in paragraphs] or [
            (0, len(self.body), False)
        ]
        self.sentences = split_sentences(doc, paragraphs)
        self._sentence_starts = [s.start for s in self.sentences]
        self._sentence_index = {s.start: i for i, s in enumerate(self.sentences)}
        self.directs = self._quotations()
        self.marked = [self._with_marks(d.q) for d in self.directs]
        self._marked_starts = [a for a, _ in self.marked]
        self.resolver = Resolver(doc, body, EntityIndex(body, entities, cues), cues, self.marked)
        self.resolver.topic = self.previous_named_subject
        self.resolver.organisation_topic = self.previous_organisation
        self.resolver.organisation_source = self.previous_source
        self.resolver.title = title
        self._contexts: dict[tuple[int, int], list[tuple[Token, int, bool]]] = {}
        self._speaking: dict[int, bool] = {}
        self._classes: tuple[list[int], set[int]] | None = None
        self._openers_seen: set[int] | None = None
        # The last quotation attributed to someone, while quotations are attributed in order.
        self._previous: _Direct | None = None

    # --- quotation marks -------------------------------------------------------------------
    def _with_marks(self, q: Quotation) -> tuple[int, int]:
        """The quotation's span with its marks and the spaces inside them ("« Oui »")."""
        start, end = q.start, q.end
        if q.opened:
            while start > 0 and self.body[start - 1].isspace():
                start -= 1
            start -= 1
        if q.closed:
            while end < len(self.body) and self.body[end].isspace():
                end += 1
            end += 1
        return max(0, start), min(len(self.body), end)

    def _quotations(self) -> list[_Direct]:
        directs: list[_Direct] = []
        chain = 0
        continued = False
        for b, (start, end, heading) in enumerate(self.blocks):
            spans = quotation_spans(self.body, start, end, continued=continued)
            for k, q in enumerate(spans):
                joins = k == 0 and directs and not directs[-1].q.closed and directs[-1].block == b - 1
                starts_block = not self.body[start : q.start].strip(' «“"„')
                if not (joins and (starts_block or not q.opened)):
                    chain += 1
                directs.append(_Direct(q=q, block=b, chain=chain, heading=heading))
            continued = bool(spans) and not spans[-1].closed and not spans[-1].opened
            continued = continued or (bool(spans) and not spans[-1].closed and not heading)
        return directs

    def inside_marks(self, offset: int) -> bool:
        """Whether a character offset is inside a quotation (marks included)."""
        i = bisect.bisect_right(self._marked_starts, offset) - 1
        return i >= 0 and offset < self.marked[i][1]

    def overlaps_marks(self, start: int, end: int) -> bool:
        """Whether [start, end) overlaps a quotation."""
        i = bisect.bisect_right(self._marked_starts, end - 1) - 1
        return i >= 0 and self.marked[i][1] > start

    def sentences_of(self, start: int, end: int) -> list[Sentence]:
        """The sentences overlapping [start, end)."""
        i = max(0, bisect.bisect_right(self._sentence_starts, start) - 1)
        out = []
        while i < len(self.sentences) and self.sentences[i].start < end:
            if self.sentences[i].end > start:
                out.append(self.sentences[i])
            i += 1
        return out

    # --- cues --------------------------------------------------------------------------------
    def cue_text(self, verb: Token) -> str:
        """The cue as written: the verb with its auxiliaries and inverted pronoun ("a-t-il ajouté")."""
        first = first_of_cue(verb)
        end = verb.idx + len(verb.text)
        pronoun = inverted_pronoun(verb) if first is verb else None
        if pronoun is not None:
            # "déclare-t-il": the inverted pronoun is part of the cue.
            end = pronoun.idx + len(pronoun.text)
        said = self.resolver.said_after(verb)
        if said is not None:
            # "finit par dire": the infinitive says what the turn was.
            end = said.idx + len(said.text)
        return self.body[first.idx : end]

    @staticmethod
    def _made_known(token: Token) -> bool:
        """Whether the verb is "faire savoir" ("a fait savoir que …"), which reports a statement."""
        causative = token.dep_ == "xcomp" and token.head.lemma_ == "faire" and token.head.i == token.i - 1
        return token.lemma_ == "savoir" and (causative or any(c.dep_ == "aux:caus" for c in token.children))

    def _verb_like(self, token: Token) -> bool:
        """A verb, or a cue word the tagger took for a noun or adjective.

        In an incise ("…, s'inquiète X") or right after its subject ("Le mathématicien déplore").
        """
        if token.pos_ == "VERB":
            return True
        if token.pos_ not in {"NOUN", "ADJ", "PROPN"}:
            return False
        return self.resolver.incise(token) or self.resolver.mistagged_subject(token) is not None

    def verb_speaker(self, verb: Token) -> QuoteSpeaker | None:
        """The speaker of a cue verb: its subject resolved, or None.

        "La diplomatie russe a indiqué qu'elle espérait …": a pronoun subject of a reported
        clause is the subject of the verb that reports it.
        """
        subject = self.resolver.subject(verb)
        if subject is None:
            previous = self._previous
            # "Et de conclure : « … »": the one quoted just before goes on speaking.
            return previous.speaker if previous is not None and self._narrative(verb) else None
        if subject.pos_ == "PRON" and verb.dep_ == "ccomp" and verb.head.i != verb.i:
            outer = self.resolver.subject(verb.head)
            if outer is not None and outer.pos_ != "PRON":
                return self.resolver.speaker(outer, verb.head.idx)
        speaker = self.resolver.speaker(subject, verb.idx)
        if speaker is not None and speaker.entity is None and self.resolver.definite_person(subject):
            # "« … », s'enthousiasme l'animateur de télévision": a definite description right
            # after a sentence about a named person is that person.
            return self.previous_named_subject(verb.idx, self.resolver.described_gender(subject)) or speaker
        return speaker

    def _previous_subject(self, offset: int) -> QuoteSpeaker | None:
        """The subject of the sentence before `offset` (a pronoun resolved), when it names someone."""
        previous = self._sentence_before(offset)
        if previous is None:
            return None
        for token in self.doc[previous.token_start : previous.token_end]:
            if token.dep_ == "ROOT" and not self.inside_marks(token.idx):
                subject = self.resolver.subject(token)
                if subject is None or subject.lower_ in _UNRESOLVABLE:
                    return None
                speaker = self.resolver.speaker(subject, token.idx)
                return speaker if speaker is not None and speaker.entity is not None else None
        return None

    def _sentence_before(self, offset: int) -> Sentence | None:
        """The sentence before the one at `offset`, in the same or the previous block."""
        here = self.sentences_of(offset, offset + 1)
        if not here:
            return None
        i = self._sentence_index[here[0].start]
        if i == 0 or self.sentences[i - 1].block < here[0].block - 1:
            return None
        return self.sentences[i - 1]

    def previous_named_subject(self, offset: int, gender: str | None) -> QuoteSpeaker | None:
        """The person named as subject of the sentence before the one at `offset`, if any."""
        previous = self._sentence_before(offset)
        if previous is None:
            return None
        named: QuoteSpeaker | None = None
        for token in self.doc[
            previous.token_start : min(previous.token_end, previous.token_start + _TOPIC_TOKENS)
        ]:
            # The sentence's own root: the parser may hang it on the sentence before ("parataxis").
            local_root = token.dep_ == "ROOT" or not previous.token_start <= token.head.i < previous.token_end
            subject = self.resolver.subject(token) if local_root else None
            # "Joint par Télé Star, X a accepté …": a participle opens the sentence.
            if subject is not None and not self.inside_marks(token.idx):
                # "X et Y sont difficiles à suivre": a pair is no single topic.
                paired = any(c.dep_ == "conj" for c in subject.children)
                named = None if paired else self.resolver.named(subject)
                if named is None and not paired:
                    # A role resolves through the sentence before its own, and so on back: only
                    # while each step moves back, and never more than _TOPIC_DEPTH sentences.
                    inside = previous.start <= subject.idx < previous.end
                    if not inside or self._topic_depth >= _TOPIC_DEPTH:
                        return None
                    self._topic_depth += 1
                    try:
                        return self._role_topic(subject, gender)
                    finally:
                        self._topic_depth -= 1
                break
        else:
            # No subject the parser found: a sentence that opens on a person's name is about them.
            opening = [
                m
                for m in self.resolver.index.at(previous.start, previous.start + 1)
                if m.start == previous.start
            ]
            named = _speaker_of(self.resolver.index.entities, opening[0].entity) if opening else None
        if named is None or named.entity is None:
            return None
        known = self.resolver.index.gender.get(named.entity)
        person = self.resolver.index.entities[named.entity].label == "PER"
        return named if person and (gender is None or known is None or known == gender) else None

    def previous_organisation(self, offset: int) -> int | None:
        """The organisation named as subject of the sentence before ("Airbus a relevé … L'avionneur …")."""
        previous = self._sentence_before(offset)
        if previous is None:
            return None
        for token in self.doc[
            previous.token_start : min(previous.token_end, previous.token_start + _TOPIC_TOKENS)
        ]:
            local_root = token.dep_ == "ROOT" or not previous.token_start <= token.head.i < previous.token_end
            subject = self.resolver.subject(token) if local_root else None
            if subject is not None and not self.inside_marks(token.idx):
                named = self.resolver.named(subject)
                entities = self.resolver.index.entities
                if named is not None and named.entity is not None and entities[named.entity].label == "ORG":
                    return named.entity
                return None
        return None

    def previous_source(self, offset: int) -> int | None:
        """The organisation the sentence before is about, or the one it is reported from.

        "Selon Météo France, les températures baissent. « … », rassure le service": a
        spokesperson or organisation word, not a pronoun ("Ils estiment" is not the paper).
        """
        found = self.previous_organisation(offset)
        previous = self._sentence_before(offset) if found is None else None
        return found if previous is None else self._source_of(previous)

    def _source_of(self, sentence: Sentence) -> int | None:
        """The organisation a sentence is reported from: "Selon Météo France, les températures …"."""
        for token in self.doc[sentence.token_start : sentence.token_end]:
            if token.i not in self._opener_set or self.inside_marks(token.idx):
                continue
            phrase = self.according_to(token)
            if phrase is None:
                continue
            until = self._until_comma(token)
            named = self.resolver.named(phrase[1], until=until)
            if named is not None and named.entity is not None:
                return named.entity if self.resolver.index.entities[named.entity].label == "ORG" else None
            return None
        return None

    def _narrative(self, verb: Token) -> bool:
        """A narrative infinitive with no subject of its own: "Et de conclure", "Et d'ajouter"."""
        if "Inf" not in verb.morph.get("VerbForm", []) or verb.i == 0:
            return False
        return self.doc[verb.i - 1].lower_ in {"de", "d'", "d\u2019"}

    def _role_topic(self, subject: Token, gender: str | None) -> QuoteSpeaker | None:
        """An unnamed role the sentence before is about ("la ministre de la Santé a rappelé …. Elle …").

        The pronoun that follows is that unnamed person, not someone named further back.
        """
        resolver = self.resolver
        if not (resolver.definite_person(subject) and self.cues.is_role(subject.lower_)):
            return None
        if gender is not None and resolver.described_gender(subject) not in {None, gender}:
            return None
        # "L'avocate a rappelé …" names the lawyer introduced before: the role resolved, if it can be.
        speaker = resolver.speaker(subject, subject.idx)
        if speaker is not None and speaker.entity is not None:
            known = resolver.index.gender.get(speaker.entity)
            person = resolver.index.entities[speaker.entity].label == "PER"
            return speaker if person and (gender is None or known in {None, gender}) else None
        return QuoteSpeaker(name=resolver.noun_phrase(subject), entity=None)

    @staticmethod
    def _heads(token: Token) -> Iterator[Token]:
        """The heads above `token`, nearest first: at most _GOVERNOR_STEPS, none past the root."""
        for _ in range(_GOVERNOR_STEPS):
            if token.head.i == token.i:
                return
            token = token.head
            yield token

    def _governor(self, inside: list[Token], outside: list[Token]) -> Token | None:
        """The cue verb of the quotation's sentence that the quotation hangs from in the parse."""
        if not inside:
            return None
        around = {t.i for t in outside}
        for token in self._heads(inside[0]):
            if self.inside_marks(token.idx):
                continue
            if token.i not in around:
                return None
            if self._verb_like(token) and (
                self._speaks(token) or self.cues.weaving(token.lemma_, token.lower_)
            ):
                return token if self.resolver.subject(token) is not None else None
        return None

    def according_to(self, token: Token) -> tuple[Token, Token] | None:
        """For "selon"/"d'après" (or "pour" + a person), (first token, object) of the phrase."""
        lowered = token.lower_
        after = (
            lowered in {"d'", "d\u2019"} and token.i + 1 < len(self.doc) and token.nbor(1).lower_ == "après"
        )
        if lowered not in self.cues.according_to and not after:
            return None
        first = token
        obj = token.head
        comma = self._comma_after(token)
        if comma is not None and obj.i > comma:
            # "Selon Le Monde, Joan Bowell a …": the parser hung "selon" on the clause's subject;
            # the source is the first noun before the phrase's comma.
            obj = next((t for t in self.doc[token.i + 1 : comma] if t.pos_ in _SPEAKER_POS), token)
        if obj.i <= token.i or obj.pos_ not in _SPEAKER_POS:
            return None
        return first, obj

    def _comma_after(self, token: Token) -> int | None:
        """The index of the first comma after a token in its sentence, if any."""
        for t in self.doc[token.i + 1 : token.sent.end]:
            if t.text == ",":
                return t.i
        return None

    def _until_comma(self, token: Token) -> int | None:
        """The character offset of the first comma after a token in its sentence, if any."""
        comma = self._comma_after(token)
        return self.doc[comma].idx if comma is not None else None

    def _as_said(self, token: Token) -> tuple[Token, Token] | None:
        """The speech verb and inverted subject of "comme le rappelle Gala, …", when the token opens one."""
        if token.lower_ != "comme" or token.i + 1 >= len(self.doc):
            return None
        for verb in self.doc[token.i + 1 : min(len(self.doc), token.i + 1 + _AUX_REACH)]:
            if verb.pos_ in {"VERB", "AUX"} and self.cues.speech(verb.lemma_, verb.lower_):
                subject = self.resolver.subject(verb)
                comma = self._comma_after(verb)
                if subject is not None and comma is not None and subject.i > comma:
                    # "Comme le révèle Franceinfo, un mendiant a reçu …": the parser took the
                    # clause's subject for the verb's; the inverted subject stands before the comma.
                    subject = self.resolver.inverted_subject(verb)
                    if subject is not None and subject.i > comma:
                        subject = None
                if subject is not None and subject.i > verb.i:
                    return verb, subject
                return None
        return None

    def for_phrase(self, sentence: Sentence) -> tuple[Token, Token] | None:
        """A "pour X, …" opening the sentence, where X is a person, an organisation or "lui"/"elle"."""
        token = self.doc[sentence.token_start]
        if token.lower_ != "pour" or token.head.i <= token.i:
            return None
        obj = token.head
        right = obj.right_edge
        if right.i + 1 >= len(self.doc) or self.doc[right.i + 1].text != ",":
            return None
        if obj.lower_ in self.cues.for_pronouns:
            return token, obj
        span = self.body[token.idx : right.idx + len(right.text)]
        mentions = self.resolver.index.at(obj.idx, right.idx + len(right.text))
        named = [m for m in mentions if self.resolver.index.entities[m.entity].label in {"PER", "ORG"}]
        return (token, obj) if named and _words(span) <= _TITLE_WORDS + 2 else None

    # --- direct ------------------------------------------------------------------------------
    def _context_tokens(self, d: _Direct) -> tuple[list[Token], list[Token]]:
        """Tokens inside the quotation, and tokens of its sentences outside every quotation."""
        sentences = self.sentences_of(d.q.start, d.q.end)
        if sentences:
            first, last = sentences[0].token_start, sentences[-1].token_end
        else:
            span = self.doc.char_span(d.q.start, d.q.end, alignment_mode="expand")
            if span is None:
                return [], []
            first, last = span.start, span.end
        context = self._contexts.get((first, last))
        if context is None:
            # Quotations of one sentence share its tokens and which of them are quoted: read once.
            tokens = [t for t in self.doc[first:last] if not t.is_space]
            context = self._contexts[first, last] = [(t, t.idx, self.inside_marks(t.idx)) for t in tokens]
        inside: list[Token] = []
        outside: list[Token] = []
        start, end = d.q.start, d.q.end
        for token, idx, marked in context:
            if start <= idx < end:
                inside.append(token)
            elif not marked:
                outside.append(token)
        return inside, outside

    def _incise_inside(self, d: _Direct, inside: list[Token]) -> bool:
        """An incise inside the marks names the speaker: « …, a-t-elle ajouté, … »."""
        for token in inside:
            if self._speaks(token) and self._verb_like(token) and self.resolver.incise(token):
                subject = self.resolver.subject(token)
                if subject is not None and (subject.i > token.i or subject.text.startswith("-")):
                    if not self._closes_incise(token, subject):
                        continue
                    self._set(d, self.cue_text(token), self.verb_speaker(token))
                    return True
        return False

    def _closes_incise(self, verb: Token, subject: Token) -> bool:
        """Whether a verb and its inverted subject read as an incise: "…, dit le maire de Lyon, …".

        A participle in "-ant" ("…, détaillant les investigations") is no incise, nor a verb whose
        noun goes on into a clause ("…, a dit des mots terribles qui …"): the subject's phrase
        ends on punctuation or a complement ("…, explique le maire au Parisien").
        """
        inverted = self.resolver.inverted_pronoun_of(verb) is not None
        bare_form = {"Part", "Inf"} & set(verb.morph.get("VerbForm", []))
        if not inverted and bare_form and first_of_cue(verb) is verb:
            return False
        if subject.pos_ == "PRON":
            return True
        last = max(t.i for t in self.resolver.phrase_tokens(subject))
        if last + 1 >= len(self.doc):
            return True
        following = self.doc[last + 1]
        return following.is_punct or following.pos_ == "ADP"

    def _cue_verb(self, d: _Direct, inside: list[Token], outside: list[Token]) -> Token | None:
        """The speech verb of the quotation's sentence: the one it hangs from, else the nearest.

        None when a "selon" right after the quotation is nearer than that verb.
        """
        fragment = any(t.is_alpha for t in outside)
        best: tuple[int, Token] | None = None
        candidates = self._cue_candidates()
        for token in outside:
            if token.i not in candidates:
                # Neither a cue verb's lemma or form nor a verb: none of the tests below can hold.
                continue
            cue = (
                self._speaks(token)
                or (fragment and self.cues.weaving(token.lemma_, token.lower_))
                or self._made_known(token)
                or self._incise_after(d, token)
            )
            if cue and self._verb_like(token) and self.resolver.subject(token) is not None:
                distance = min(abs(token.idx - d.q.start), abs(token.idx - d.q.end))
                if best is None or distance < best[0]:
                    best = (distance, token)
        # « … », rappelle le tribunal: the incise right after the closing mark names the speaker,
        # whatever verb of the sentence the quotation hangs from ("Ces derniers ont estimé …").
        incise = None
        if d.q.closed:
            closing = self._with_marks(d.q)[1]
            for t in outside:
                if t.idx > closing + _INCISE_CHARS:
                    break
                turn = t.lemma_ in self.cues.turn_verbs
                if t.idx > closing and self._incise_after(d, t) and (turn or self._speaks(t)):
                    incise = t if self.resolver.subject(t) is not None else None
                    break
        governor = incise or self._colon_verb(d, outside) or self._governor(inside, outside)
        verb = governor if governor is not None else (best[1] if best is not None else None)
        openers = self._opener_set
        according = next(
            (t for t in outside if t.idx >= d.q.end and t.i in openers and self.according_to(t) is not None),
            None,
        )
        if verb is not None and according is not None and d.q.end <= according.idx < verb.idx:
            # "« … » selon la cour d'appel, rappelle le journal": the nearer attribution wins.
            return None
        return verb

    def _colon_verb(self, d: _Direct, outside: list[Token]) -> Token | None:
        """The speech verb right before the colon that opens the quotation: "…, qui a rétorqué : « … »".

        In a dialogue the parser often hangs the words on the turn before; the verb that
        introduces them is theirs.
        """
        before = [t for t in outside if t.idx < d.q.start][-_COLON_TOKENS:]
        if len(before) < _COLON_TOKENS or before[-1].text != ":":
            return None
        if self.body[before[-1].idx + 1 : d.q.start].strip() not in _OPENING_MARKS:
            return None
        verb = before[0]
        if verb.pos_ == "VERB" and self._speaks(verb) and self.resolver.subject(verb) is not None:
            return verb
        return None

    def _speaks(self, token: Token) -> bool:
        """A speech verb, with its reflexive pronoun when it has one only so ("s'inquiète").

        "La crainte d'une pénurie inquiétait": without "se", the verb reports no words. Read
        once per token: each quotation of a sentence asks again about the same words.
        """
        known = self._speaking.get(token.i)
        if known is None:
            known = self._speaks_now(token)
            self._speaking[token.i] = known
        return known

    def _speaks_now(self, token: Token) -> bool:
        if not self.cues.speech(token.lemma_, token.lower_):
            return False
        if not self.cues.needs_reflexive(token.lemma_.lower(), token.lower_):
            return True
        start = max(0, token.i - _AUX_REACH)
        return any(
            t.lower_ in {"s'", "s\u2019", "se", "m'", "me", "t'", "te", "nous", "vous"}
            for t in self.doc[start : token.i]
        )

    def _incise_after(self, d: _Direct, token: Token) -> bool:
        """A verb inverted right after the quotation and its comma: « … », rassure le ministre.

        Whatever the verb, that place and the subject after it make it the quotation's incise.
        """
        if token.pos_ != "VERB" or not d.q.closed:
            return False
        closing = self._with_marks(d.q)[1]
        # Asked of every verb of the sentence: most are not after the mark and its comma, which
        # is cheaper to see than the verb's auxiliaries.
        after = _NEXT_NON_SPACE.search(self.body, closing)
        if token.idx <= closing or after is None:
            return False
        comma = after.group() == ","
        if not comma and not self._bare_incise(d, token, after.start()):
            return False
        first = first_of_cue(token)
        # A finite verb ("rassure") or a participle with its auxiliary ("a lâché").
        if "Fin" not in token.morph.get("VerbForm", []) and first is token:
            return False
        if first.idx <= closing or self.body[closing : first.idx].strip() != ("," if comma else ""):
            return False
        following = token.nbor(1) if token.i + 1 < len(self.doc) else None
        return following is not None and (
            following.text.startswith("-")
            or following.pos_ in {"DET", "PROPN"}
            or self.resolver.said_after(token) is not None
        )

    def _described_by(self, d: _Direct, inside: list[Token], outside: list[Token]) -> bool:
        """Words a passive participle ascribes: "qualifié de « … » par X", "Décrit comme « … » par X".

        The agent speaks, not the one described (nor the name after the comma, which is the
        clause's subject, not an apposition).
        """
        if not outside or " par " not in self.body[outside[0].idx : outside[-1].idx]:
            # Most sentences have no agent at all: one look at the text before any token.
            return False
        verb = self._participle_governor(inside, outside)
        if verb is None:
            return False
        around = {t.i for t in outside}
        by = next((t for t in verb.subtree if t.i > verb.i and t.lower_ == "par" and t.dep_ == "case"), None)
        if by is None or by.i not in around:
            return False
        agent = by.head
        if agent.i <= by.i or agent.pos_ not in _SPEAKER_POS or self.inside_marks(agent.idx):
            return False
        until = self._until_comma(agent)
        self._set(d, self.cue_text(verb), self.resolver.speaker(agent, verb.idx, until=until))
        return True

    def _participle_governor(self, inside: list[Token], outside: list[Token]) -> Token | None:
        """The past participle of a cue verb the quotation hangs from, with no auxiliary of tense.

        "a qualifié de « … »" is active: its subject speaks as usual.
        """
        if not inside:
            return None
        around = {t.i for t in outside}
        token = next((h for h in self._heads(inside[0]) if not self.inside_marks(h.idx)), None)
        if token is None:
            return None
        participle = (
            token.i in around
            and token.pos_ == "VERB"
            and "Part" in token.morph.get("VerbForm", [])
            and "Past" in token.morph.get("Tense", [])
            and not any(c.dep_ == "aux:tense" for c in token.children)
        )
        if participle and (self._speaks(token) or self.cues.weaving(token.lemma_, token.lower_)):
            return token
        return None

    def _bare_incise(self, d: _Direct, token: Token, after: int) -> bool:
        """An incise with no comma after the closing mark: « Et vous ? » a rétorqué X, « … » a fini X.

        Only a speech verb or a dialogue turn ("commencer", "finir"), right after the words, and
        only after words that read as speech: a sentence's end mark or five words ("« Le Monde » a
        révélé" is a title as subject).
        """
        if token.lemma_ not in self.cues.turn_verbs and not self._speaks(token):
            return False
        if first_of_cue(token).idx != after:
            return False
        text = self.body[d.q.start : d.q.end].rstrip()
        return text.endswith(("?", "!", ".", "\u2026")) or _words(text) >= _SPEECH_WORDS

    def _attribute(self, d: _Direct) -> None:
        inside, outside = self._context_tokens(d)
        if self._incise_inside(d, inside) or self._described_by(d, inside, outside):
            return
        verb = self._cue_verb(d, inside, outside)
        if verb is not None:
            speaker = self.verb_speaker(verb)
            introduced = self._colon_subject(d, outside)
            named_before = introduced is not None and introduced.entity is not None
            if (speaker is None or speaker.entity is None) and named_before:
                # "X monte au créneau : « … », rapporte le journal": the one introduced speaks.
                self._set(d, None, introduced)
            else:
                self._set(d, self.cue_text(verb), speaker)
            return
        openers = self._opener_set
        for token in outside:
            # Only an opener's form can be "selon" or "d'après": the others are not asked.
            phrase = self.according_to(token) if token.i in openers else None
            if phrase is not None:
                # "Selon Le Parisien, il pousse pour une décision « avant l'été »": the person whose
                # clause the words are woven into speaks; the paper only reports it.
                if self._clause_subject(d, inside, outside, after=token.i):
                    return
                self._set(d, "selon" if token.lower_ == "selon" else "d'après", None)
                d.speaker = self.resolver.speaker(phrase[1], token.idx)
                return
        sentences = self.sentences_of(d.q.start, d.q.end)
        opening = self.for_phrase(sentences[0]) if sentences else None
        if opening is not None and opening[1].idx < d.q.start:
            # "Pour Olivier Faure, le gouvernement « a choisi l'affrontement »."
            self._set(d, "pour", self.resolver.speaker(opening[1], opening[0].idx))
            return
        if self._colon_speaker(d, outside):
            return
        self._lead_in(d)
        if not d.attributed:
            self._clause_subject(d, inside, outside)
        if not d.attributed and not any(t.is_alpha for t in outside):
            self._words_of_next(d)

    def _clause_subject(
        self, d: _Direct, inside: list[Token], outside: list[Token], *, after: int | None = None
    ) -> bool:
        """A fragment woven into a clause whose subject is named: "X préfère voir la police « … »".

        With `after` (the "selon" before it), only a person who is the subject of the clause
        after that phrase counts.
        """
        around = {t.i for t in outside}
        token = inside[0] if inside else None
        for _ in range(_GOVERNOR_STEPS):
            if token is None or token.head.i == token.i:
                return False
            token = token.head
            if token.i in around and token.pos_ == "VERB":
                subject = self.resolver.subject(token)
                if subject is None or (after is not None and subject.i < after):
                    return False
                speaker = self.resolver.speaker(subject, token.idx)
                if speaker is None or speaker.entity is None:
                    return False
                if after is not None and self.resolver.index.entities[speaker.entity].label != "PER":
                    return False
                self._set(d, None, speaker)
                return True
        return False

    def _set(self, d: _Direct, cue: str | None, speaker: QuoteSpeaker | None) -> None:
        d.cue = cue
        d.speaker = speaker
        d.attributed = True

    def _colon_speaker(self, d: _Direct, outside: list[Token]) -> bool:
        """A quotation opened after a colon: its speaker is who the words before the colon name."""
        speaker = self._colon_subject(d, outside)
        if speaker is None:
            return False
        self._set(d, None, speaker)
        return True

    def _colon_subject(self, d: _Direct, outside: list[Token]) -> QuoteSpeaker | None:
        """Who the clause before "… : « »" is about: a name right before the colon, else its subject.

        "Jean Dupont : « … »", "Céline Dion lui a rendu hommage : « … »".
        """
        before = [t for t in outside if t.idx < d.q.start]
        if len(before) < _COLON_TOKENS or before[-1].text != ":":
            return None
        # "Son père a raconté l'histoire à France Bleu : « … »": the clause's subject speaks,
        # not the name that ends it; a bare "Jean Dupont : « … »" has no verb.
        for token in reversed(before):
            if token.pos_ in {"VERB", "AUX"} and token.dep_ in {"ROOT", "parataxis", "conj"}:
                subject = self.resolver.subject(token)
                if subject is not None and subject.lower_ not in _UNRESOLVABLE:
                    found = self.resolver.speaker(subject, token.idx)
                    if found is not None and (found.entity is not None or self._human(subject)):
                        return found
                break
        mentions = self.resolver.index.at(before[0].idx, before[-1].idx)
        last = mentions[-1] if mentions else None
        entities = self.resolver.index.entities
        if last is not None and entities[last.entity].label in {"PER", "ORG"} and last.end >= before[-2].idx:
            # "… a déclaré aux journalistes de Télé Star : « … »": a name governed by a preposition
            # is a complement of the clause, not the one who speaks.
            span = self.doc.char_span(last.start, last.end, alignment_mode="expand")
            if span is not None and span.start > 0 and self.doc[span.start - 1].pos_ == "ADP":
                return self._opening_subject(before[-1])
            return QuoteSpeaker(name=entities[last.entity].name, entity=last.entity)
        # "Celle qui a reçu l'Oscar … ajoute : « … »": a verb the parser left without subject.
        return self._opening_subject(before[-1])

    def _opening_subject(self, colon: Token) -> QuoteSpeaker | None:
        """Who the sentence ending on a colon opens on, when the parser gave its verb no subject.

        "Celle qui incarne X a déclaré à Télé Star : « … »": the opening pronoun or the first name
        not governed by a preposition.
        """
        sentences = self.sentences_of(colon.idx, colon.idx + 1)
        if not sentences:
            return None
        tokens = self.doc[sentences[0].token_start : colon.i]
        if len(tokens) and self.resolver.pronoun_like(tokens[0]):
            return self.resolver.speaker(tokens[0], tokens[0].idx)
        entities = self.resolver.index.entities
        start = sentences[0].start
        if len(tokens) and (tokens[0].lower_ == "comme" or self.according_to(tokens[0]) is not None):
            # "Comme le relaie Le Monde, Jeanne X … a fait savoir : « … »": the source that
            # relays the words opens the sentence; who speaks comes after its comma.
            comma = self._comma_after(tokens[0])
            start = self.doc[comma].idx if comma is not None and comma < colon.i else start
        for m in self.resolver.index.at(start, colon.idx):
            span = self.doc.char_span(m.start, m.end, alignment_mode="expand")
            governed = span is not None and span.start > 0 and self.doc[span.start - 1].pos_ == "ADP"
            if entities[m.entity].label in {"PER", "ORG"} and not governed and not self.inside_marks(m.start):
                return QuoteSpeaker(name=entities[m.entity].name, entity=m.entity)
        return None

    def _human(self, subject: Token) -> bool:
        """Whether an unresolved subject can speak: a role, a relative, an organisation word.

        "La suite outrepasse … : « … »" is a sentence about the quotation, not its speaker.
        """
        word = subject.lower_
        lemma = subject.lemma_.lower()
        cues = self.cues
        return (
            subject.pos_ in {"PROPN", "PRON"}
            or cues.is_role(word)
            or cues.is_role(lemma)
            or bool(
                {word, lemma} & (cues.organisation_nouns | cues.spokesperson_nouns | cues.genderless_nouns)
            )
            or any(c.dep_ == "det" and c.lower_ in cues.unnamed_determiners for c in subject.children)
        )

    def _words_of_next(self, d: _Direct) -> None:
        """A quotation alone in its sentence, which the next one names: "« … ». La phrase de X …".

        The next sentence's subject is a word for what was said ("la phrase", "ces propos") with
        the speaker as its complement.
        """
        sentences = self.sentences_of(d.q.start, d.q.end)
        if not sentences:
            return
        i = self._sentence_index[sentences[-1].start] + 1
        if i >= len(self.sentences) or self.sentences[i].block != sentences[-1].block:
            return
        following = self.sentences[i]
        for token in self.doc[following.token_start : following.token_end]:
            if token.dep_ != "ROOT":
                continue
            subject = self.resolver.subject(token)
            if subject is None or subject.lemma_.lower() not in _SAID_NOUNS:
                return
            if not any(c.dep_ == "det" and c.lower_ in _SAID_DETERMINERS for c in subject.children):
                return
            owner = next((c for c in subject.children if c.dep_ == "nmod" and c.i > subject.i), None)
            if owner is None or not any(
                c.dep_ == "case" and c.lower_ in {"de", "du", "des", "d'"} for c in owner.children
            ):
                return
            speaker = self.resolver.speaker(owner, owner.idx)
            if speaker is not None:
                self._set(d, None, speaker)
            return

    def _lead_in(self, d: _Direct) -> None:
        """A sentence ending with a colon before the quotation: "Le maire a déclaré :"."""
        sentences = self.sentences_of(d.q.start, d.q.end)
        if not sentences:
            return
        i = self._sentence_index[sentences[0].start]
        previous = self.sentences[i - 1] if i > 0 else None
        head = self.body[sentences[0].start : d.q.start].strip(' «“"„')
        if previous is None or head:
            colon_start = sentences[0].start
            text = self.body[colon_start : d.q.start].rstrip(' «“"„')
            if not text.endswith(":"):
                return
            previous = sentences[0]
        elif not self.body[previous.start : previous.end].rstrip().endswith(":"):
            return
        for token in self.doc[previous.token_start : previous.token_end]:
            if token.pos_ == "VERB" and self._speaks(token) and token.idx < d.q.start:
                self._set(d, self.cue_text(token), self.verb_speaker(token))
                return

    def _is_term(self, d: _Direct) -> bool:
        """A short quoted term, a title or a label: not a quote unless clearly attributed."""
        text = self.body[d.q.start : d.q.end]
        words = _words(text)
        span = self.doc.char_span(d.q.start, d.q.end, alignment_mode="expand")
        # Only a short quotation can be a term: the tests on its tokens are made for those only.
        if span is not None and span.start > 0 and words <= _TITLE_WORDS:
            window = list(self.doc[max(0, span.start - 1 - _TITLE_REACH) : span.start])
            # "… a présenté le plan. « Nous allons … »": a cue of the sentence before names nothing.
            ends = [k for k, t in enumerate(window) if t.text in {".", "!", "?", "…"}]
            window = window[ends[-1] + 1 :] if ends else window
            if any(t.lower_ in self.cues.title_cues for t in window):
                return True
        capitalised = [w for w in text.split() if w[:1].isalpha()]
        if 1 < len(capitalised) <= _TITLE_WORDS and all(w[:1].isupper() for w in capitalised):
            return True
        # A short capitalised phrase with no verb inside a sentence names something ("Peur sur la
        # ville", "Bébel"); a quoted sentence or a lowercase fragment is speech.
        initial = _ELIDED.sub("", text)[:1]
        if span is None or span.start == 0 or words > _TITLE_WORDS or not initial.isupper():
            return False
        if self._opens_sentence(span.start):
            return False
        return not any("Fin" in t.morph.get("VerbForm", []) for t in span)

    def _opens_sentence(self, token_index: int) -> bool:
        """Whether only quotation marks stand between a sentence start and this token."""
        sentences = self.sentences_of(self.doc[token_index].idx, self.doc[token_index].idx + 1)
        if not sentences:
            return True
        return not self.body[sentences[0].start : self.doc[token_index].idx].strip(' «“"„(')

    def _stands_as_speech(self, d: _Direct) -> bool:
        text = self.body[d.q.start : d.q.end]
        if _words(text) < _SPEECH_WORDS:
            return False
        span = self.doc.char_span(d.q.start, d.q.end, alignment_mode="expand")
        return span is not None and any(t.pos_ in {"VERB", "AUX"} for t in span)

    def directs_out(self) -> list[Quote]:
        """Attributed quotations, with speakers shared along chains and continued from the last one."""
        self._body_quotes: dict[str, list[_Direct]] = {}
        for d in self.directs:
            if not d.heading:
                self._body_quotes.setdefault(self.body[d.q.start : d.q.start + _KEY_CHARS], []).append(d)
        self._previous = None
        for d in self.directs:
            self._attribute(d)
            if d.attributed and d.speaker is not None:
                self._previous = d
        kept: list[_Direct] = []
        by_chain: dict[int, _Direct] = {}
        for d in self.directs:
            if d.attributed and d.chain not in by_chain:
                by_chain[d.chain] = d
        last: _Direct | None = None
        for d in self.directs:
            owner = by_chain.get(d.chain)
            if not d.attributed and owner is not None:
                d.speaker, d.cue, d.attributed = owner.speaker, owner.cue, True
                d.cue = None if owner is not d else d.cue
            if self._keep(d, last):
                kept.append(d)
                last = d
        return [self._quote(d.q.start, d.q.end, "direct", d.speaker, d.cue) for d in kept]

    def _keep(self, d: _Direct, last: _Direct | None) -> bool:
        """Whether a quotation counts; one that stands as speech gets the last or nearest speaker."""
        words = _words(self.body[d.q.start : d.q.end])
        term = self._is_term(d)
        if d.attributed and not (term and words <= _TITLE_WORDS):
            keep = True
        elif self._stands_as_speech(d) and not term:
            if last is not None and last.block >= d.block - 1 and d.speaker is None:
                d.speaker = last.speaker
            if d.speaker is None:
                # Speech nobody introduces belongs to the person the sentence before is about
                # (also when the quotation before it found no speaker).
                d.speaker = self._previous_subject(d.q.start)
            keep = True
        else:
            keep = d.attributed and words > _TERM_WORDS and not term
        return keep and not (d.heading and self._repeated(d))

    def _repeated(self, d: _Direct) -> bool:
        """Whether a heading's quotation is said again in the body (a pull quote)."""
        text = self.body[d.q.start : d.q.end]
        return any(
            self.body[o.q.start : o.q.end] == text for o in self._body_quotes.get(text[:_KEY_CHARS], ())
        )

    # --- indirect ----------------------------------------------------------------------------
    def _clause(self, first: int, last: int, *, clip: bool = False) -> tuple[int, int] | None:
        """Character span of tokens [first, last] trimmed of edge punctuation, or None when empty.

        With `clip`, a reported clause stops before a comment set off by a comma ("…, une
        accusation rejetée par X").
        """
        if first > last:
            return None
        for k in range(first + 1, last if clip else first + 1):
            following = self.doc[k + 1]
            if self.doc[k].text == "," and (following.dep_ == "appos" or following.head.dep_ == "appos"):
                last = k - 1
                break
        start = self.doc[first].idx
        end = self.doc[last].idx + len(self.doc[last].text)
        while start < end and self.body[start] in _EDGE_PUNCT:
            start += 1
        while end > start and self.body[end - 1] in _EDGE_PUNCT:
            end -= 1
        if _words(self.body[start:end]) < _MIN_CLAUSE_WORDS or self.overlaps_marks(start, end):
            return None
        return start, end

    def _subject_speaker(self, verb: Token) -> tuple[bool, QuoteSpeaker | None]:
        """(whether the subject names someone, the speaker) for a reporting verb."""
        subject = self.resolver.subject(verb)
        if subject is None or subject.lower_ in _UNRESOLVABLE:
            return False, None
        speaker = self.verb_speaker(verb)
        # A vague subject ("les experts") names nobody; an unresolved pronoun still names someone.
        return (speaker is not None or subject.pos_ == "PRON"), speaker

    def _que(self, verb: Token, sentence: Sentence) -> Token | None:
        """The "que" opening the verb's reported clause ("a affirmé, jeudi, au Parisien que …")."""
        for token in self.doc[verb.i + 1 : min(sentence.token_end, verb.i + 1 + _QUE_REACH)]:
            if token.lower_ in _MARK_QUE:
                clause = token.head
                if clause.i == verb.i:
                    # "a rappelé que …" with the "que" hung on the verb: its clause follows it.
                    return token if any(c.dep_ == "ccomp" and c.i > token.i for c in verb.children) else None
                reports = (verb in clause.ancestors) and clause.dep_ != "acl:relcl"
                # "Agnès Giannotti, juge que …": a verb the tagger read as a noun has no clause.
                mistagged = verb.pos_ != "VERB" and token.i == verb.i + 1 and clause.dep_ == "ccomp"
                return token if reports or mistagged else None
            # "sur France Inter qu'…": a capitalised word the tagger called a verb is a name.
            if token.pos_ in {"VERB", "AUX", "SCONJ", "CCONJ"} and not token.text[:1].isupper():
                return None
        return None

    def _that_clause(self, verb: Token, sentence: Sentence) -> Quote | None:
        if any(c.dep_ == "aux:caus" for c in verb.children):
            # "a fait craindre que …" reports nobody's words.
            return None
        que = self._que(verb, sentence)
        if que is None:
            return None
        # A "que" the parser hung on a word before it ("averti Joe Biden que …") opens the rest.
        last = (
            sentence.token_end - 1
            if que.head.i < que.i
            else min(que.head.right_edge.i, sentence.token_end - 1)
        )
        last = self._before_nested_cue(que.i + 1, last)
        return self._reported(self._clause(que.i + 1, last, clip=True), verb)

    def _before_nested_cue(self, first: int, last: int) -> int:
        """Where a reported clause ends when a second statement is reported inside it.

        "X a estimé que A, une accusation rejetée par Y, qui a assuré que B": A ends at the first
        comma before the second cue, which is then a statement of its own.
        """
        for k in range(first, last + 1):
            token = self.doc[k]
            if (
                token.pos_ == "VERB"
                and self.cues.reporting(token.lemma_, token.lower_)
                and self._que_after(token, last)
            ):
                for j in range(first + 1, k):
                    if self.doc[j].text == ",":
                        return j - 1
                return last
        return last

    def _que_after(self, verb: Token, last: int) -> bool:
        return any(
            t.lower_ in _MARK_QUE for t in self.doc[verb.i + 1 : min(last + 1, verb.i + 1 + _QUE_REACH)]
        )

    def _de_clause(self, verb: Token, sentence: Sentence) -> Quote | None:
        """X reproche à Y d'avoir …, X nie avoir …: the infinitive clause the verb reports."""
        for token in self.doc[verb.i + 1 : min(sentence.token_end, verb.i + 1 + _QUE_REACH)]:
            infinitive = token if "Inf" in token.morph.get("VerbForm", []) else None
            if token.lower_ in {"de", "d'", "d\u2019"} and token.head.i > token.i:
                infinitive = token.head if "Inf" in token.head.morph.get("VerbForm", []) else None
                opener = self.doc[token.i - 1]
                if opener.dep_ == "mark" and opener.head.i == token.head.i:
                    # "…, finit par dire X avant de sortir": "avant de", "afin de" open no report.
                    return None
            if infinitive is None or verb not in infinitive.ancestors:
                if token.pos_ in {"VERB", "SCONJ"}:
                    return None
                continue
            start = token.i + 1 if token.lower_ in {"de", "d'", "d\u2019"} else token.i
            return self._reported(
                self._clause(start, min(infinitive.right_edge.i, sentence.token_end - 1)), verb
            )
        return None

    def _inverted(self, verb: Token, sentence: Sentence) -> Quote | None:
        """The clause before an incise ("Les travaux débuteront en mars, a précisé le maire.")."""
        subject = self.resolver.subject(verb)
        if subject is None or subject.i < verb.i or not self.cues.speech(verb.lemma_, verb.lower_):
            return None
        first = first_of_cue(verb)
        if first.i - 1 <= sentence.token_start or self.doc[first.i - 1].text != ",":
            return None
        return self._reported(self._clause(sentence.token_start, first.i - 2), verb)

    def _reported(self, span: tuple[int, int] | None, verb: Token) -> Quote | None:
        """An indirect quote of the clause `span` reported by `verb`, when the verb's subject is named."""
        if span is None:
            return None
        named, speaker = self._subject_speaker(verb)
        if not named:
            return None
        return self._quote(span[0], span[1], "indirect", speaker, self.cue_text(verb))

    def _attributed_clause(self, first: Token, obj: Token, sentence: Sentence, cue: str) -> Quote | None:
        """The clause a "selon X" / "pour X" phrase attributes: the side of the sentence it does not fill."""
        phrase_end = obj.right_edge.i
        # "Selon Météo-France, …": the phrase runs to its comma, whatever the parse attached.
        for token in self.doc[first.i : sentence.token_end]:
            if token.text == "," and token.i > obj.i:
                following = self.doc[token.i + 1] if token.i + 1 < sentence.token_end else None
                # "Selon Yuri Ouchakov, conseiller du président, …": the apposition is the phrase's.
                # "Selon La Gazette, Julien Tanguy a …": a name after the comma opens the clause, as
                # anything does after "Comme le rappelle le quotidien,".
                if (
                    following is not None
                    and first.lower_ != "comme"
                    and following.dep_ == "appos"
                    and following.head.i == obj.i
                    and following.pos_ != "PROPN"
                ):
                    continue
                phrase_end = token.i - 1
                break
        before = (sentence.token_start, first.i - 1)
        after = (phrase_end + 1, sentence.token_end - 1)
        spans = [s for s in (self._clause(*before), self._clause(*after)) if s is not None]
        if not spans:
            return None
        start, end = max(spans, key=lambda s: s[1] - s[0])
        # "Selon Le Monde, Joan Bowell a …": a named source ends at its phrase's comma, whatever
        # the parser hung on it after.
        phrase_last = self.doc[phrase_end]
        # "Comme le rappelle le quotidien, Myriam semble …": the same for an inverted subject.
        bounded = self.resolver.index.at(obj.idx, obj.idx + 1) or first.lower_ == "comme"
        until = phrase_last.idx + len(phrase_last.text) if bounded else None
        speaker = self.resolver.speaker(obj, first.idx, until=until)
        if speaker is None:
            # "selon les experts", or a pronoun with nobody to stand for.
            return None
        return self._quote(start, end, "indirect", speaker, cue)

    def _opener_tokens(self) -> list[int]:
        """Indexes of the tokens that may open a reported statement, by their lemma or form."""
        return self._token_classes()[0]

    @property
    def _opener_set(self) -> set[int]:
        """The openers as a set, read once."""
        if self._openers_seen is None:
            self._openers_seen = set(self._opener_tokens())
        return self._openers_seen

    def _cue_candidates(self) -> set[int]:
        """Indexes of the tokens that may be a quotation's cue: a cue verb's lemma or form, or a verb.

        Each quotation reads every token of its sentence: most are neither, and testing their
        lemma and form one Token at a time was a sixth of the stage.
        """
        return self._token_classes()[1]

    def _token_classes(self) -> tuple[list[int], set[int]]:
        """The openers and the cue candidates, read once from the Doc's arrays.

        Each token's lemma and form ids are looked up in sorted tables of the cue lists, a column
        at a time: a Python tuple per token tested against sets was a tenth of the stage.
        """
        if self._classes is None:
            cues = self.cues
            columns = np.asarray(self.doc.to_array([LOWER, LEMMA, POS]), dtype=np.uint64)
            flags = _flags_of(columns[:, 1], cues.opener_lemma_ids, cues.cue_lemma_ids) | _flags_of(
                columns[:, 0], cues.opener_form_ids, cues.cue_form_ids
            )
            openers: list[int] = np.flatnonzero(flags & _OPENER).tolist()
            candidates: list[int] = np.flatnonzero((flags & _CUE) | (columns[:, 2] == VERB)).tolist()
            self._classes = (openers, set(candidates))
        return self._classes

    def indirects_out(self) -> list[Quote]:
        """Reported statements of every sentence outside the quotations."""
        out: list[Quote] = []
        openers = self._opener_tokens()
        for sentence in self.sentences:
            if sentence.heading:
                continue
            quoted = self.overlaps_marks(sentence.start, sentence.end)
            found: list[Quote | None] = []
            phrase = self.for_phrase(sentence)
            if phrase is not None:
                found.append(self._attributed_clause(phrase[0], phrase[1], sentence, "pour"))
            first = bisect.bisect_left(openers, sentence.token_start)
            last = bisect.bisect_left(openers, sentence.token_end)
            for token in (self.doc[i] for i in openers[first:last]):
                lower, lemma = token.lower_, token.lemma_
                reporting = self.cues.reporting(lemma, lower)
                infinitive = self.cues.infinitive(lemma, lower)
                speech = self.cues.speech(lemma, lower)
                # Only these words open a reported statement below ("selon", "d'après", "comme",
                # "faire savoir", cue verbs): every other token is skipped before the look-ups.
                if (
                    not (reporting or infinitive or speech or lower in self._openers or lemma == "savoir")
                    or self.inside_marks(token.idx)
                    or any(q is not None and q.start <= token.idx < q.end for q in found)
                ):
                    continue
                according = self.according_to(token)
                as_said = self._as_said(token) if according is None and not quoted else None
                if according is not None and not quoted:
                    cue = "selon" if lower == "selon" else "d'après"
                    found.append(self._attributed_clause(according[0], according[1], sentence, cue))
                elif as_said is not None:
                    verb, subject = as_said
                    found.append(self._attributed_clause(token, subject, sentence, self.cue_text(verb)))
                elif (reporting and self._verb_like(token)) or self._made_known(token):
                    found.append(self._that_clause(token, sentence))
                if token.pos_ == "VERB" and infinitive:
                    found.append(self._de_clause(token, sentence))
                if token.pos_ == "VERB" and not quoted and speech and self.resolver.incise(token):
                    found.append(self._inverted(token, sentence))
            kept: list[Quote] = []
            for quote in found:
                if quote is not None and not any(quote.start < k.end and k.start < quote.end for k in kept):
                    kept.append(quote)
            out.extend(kept)
        return out

    def _quote(
        self, start: int, end: int, kind: QuoteKind, speaker: QuoteSpeaker | None, cue: str | None
    ) -> Quote:
        return Quote(text=self.body[start:end], start=start, end=end, kind=kind, speaker=speaker, cue=cue)


def extract_quotes(
    doc: Doc,
    paragraphs: list[Paragraph],
    entities: list[Entity],
    cues: Cues,
    max_quotes: int,
    *,
    title: str | None = None,
) -> list[Quote]:
    """Direct and indirect quotes of the body in article order, at most `max_quotes`."""
    body = doc_text(doc)
    if max_quotes <= 0 or not body.strip():
        return []
    extractor = _Extractor(doc, body, paragraphs, entities, cues, title=title)
    directs = extractor.directs_out()
    starts = [d.start for d in directs]

    def overlaps_direct(q: Quote) -> bool:
        i = bisect.bisect_left(starts, q.end) - 1
        # Directs do not overlap each other: the one starting last before q's end decides.
        return i >= 0 and directs[i].end > q.start

    indirects = [q for q in extractor.indirects_out() if not overlaps_direct(q)]
    quotes = sorted([*directs, *indirects], key=lambda q: (q.start, q.end))
    return quotes[:max_quotes]


class QuotesStage:
    """Stage: direct and reported quotes with their speakers, in article order."""

    name = "quotes"
    version = "8"
    data_files = (QUOTE_CUES.name,)

    def __init__(self) -> None:
        self._cues: Cues | None = None

    def load(self, resources: StageResources) -> None:
        """Read the quotation cue lists."""
        self._cues = load_cues()

    def __call__(self, article: Article) -> None:
        """Fill `quotes` (after entities: speakers point into the entity list)."""
        cleaned = need(article.cleaned, "the cleaned body")
        article.quotes = extract_quotes(
            need(article.doc, "the parsed body"),
            cleaned.paragraphs,
            article.entities,
            need(self._cues, "the quote cues"),
            article.options.max_quotes,
            title=cleaned.title,
        )
