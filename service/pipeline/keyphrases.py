"""Stage 5b: keyphrases, the normalized noun phrases that say what the article is about.

Method:

1. Candidates are spaCy's noun chunks (the parser is in the pipeline). Each is trimmed of leading
   and trailing determiners, pronouns, prepositions, conjunctions, numbers, punctuation and of the
   named-entity tokens at its edges, and of weak adjectives there ("nouvelles", "prochain").
   A chunk with an entity token, a verb, adverb, pronoun or number inside, more than `MAX_TOKENS`
   tokens, or without a common noun of three letters or more is dropped, and so is one whose
   content lemmas are all page-UI words or generic nouns (service/data/keyphrase_stoplist.json).
   A chunk followed by "de"/"à" and a bare noun chunk also yields the compound ("système de
   défense antiaérienne", "taux de chômage") when neither part is generic ("à cause de" is not);
   with a determiner ("ministre de la Défense") the second chunk is a complement, not a compound.
2. Occurrences are grouped by the lowercase lemmas of their content words (so "sanction américaine"
   and "sanctions américaines" are one phrase); the phrase is shown in its most frequent surface
   form, lowercased except proper nouns and acronyms.
3. Score = (occurrences + half the mean document frequency of its content lemmas)
   x (1 + 0.5 x earliness of the first occurrence) x shape, where shape is 0.6 for a lone noun and
   1 + 0.25 per content word beyond two (up to 1.5) for a phrase.
   Scores are divided by the best one, so the first keyphrase scores 1.
4. Best first, a phrase is skipped when its lemmas equal an entity name's, or when its content
   lemmas contain or are contained in those of a phrase already kept.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

from spacy.attrs import LEMMA, ORTH, POS
from spacy.symbols import ADJ, NOUN, PROPN
from spacy.tokens import Doc, Span, Token

from service.data import DATA_DIR
from service.model import Entity, Keyphrase
from service.pipeline.article import Article, StageResources, need
from service.pipeline.text.doc import doc_text
from service.pipeline.text.fold import lemma_key

__all__ = ["MAX_TOKENS", "KeyphrasesStage", "Stoplist", "extract_keyphrases", "load_stoplist"]

MAX_TOKENS = 6
"""Longest keyphrase kept, in tokens after trimming."""

_EDGE_POS = frozenset({"DET", "PRON", "ADP", "CCONJ", "SCONJ", "PUNCT", "NUM", "SYM", "SPACE", "AUX", "X"})
# A verb, adverb or pronoun inside means the chunk ran past the noun phrase ("progressivement
# après des semaines de blocage").
_INNER_POS = frozenset({"ADV", "VERB", "AUX", "PRON", "SCONJ", "NUM", "X"})
_FUNCTION_POS = frozenset({"DET", "ADP", "CCONJ", "PUNCT", "SPACE"})
# Parts of speech whose lemmas count towards a phrase's spread, as the ids of the Doc's arrays.
_COUNTED_POS = frozenset({int(NOUN), int(ADJ), int(PROPN)})
_MIN_NOUN_CHARS = 3
_SINGLE_WORD = 0.6
# The scoring weights of the module docstring.
_PER_EXTRA_WORD = 0.25
_MAX_EXTRA_WORDS = 2
_SPREAD_WEIGHT = 0.5
_EARLINESS_WEIGHT = 0.5
_COMPOUND_LINKS = frozenset({"de", "d'", "d\u2019", "à"})


STOPLIST_FILE = DATA_DIR / "keyphrase_stoplist.json"


@dataclass(frozen=True, slots=True)
class Stoplist:
    """Lemmas that cannot make a keyphrase alone, and adjectives trimmed from a phrase's edges."""

    stop: frozenset[str]
    weak: frozenset[str]


def load_stoplist() -> Stoplist:
    """Read the keyphrase word lists (the keyphrases stage does it once per process)."""
    data = json.loads(STOPLIST_FILE.read_text(encoding="utf-8"))
    return Stoplist(
        stop=frozenset(w.lower() for key in ("ui", "generic") for w in data[key]),
        weak=frozenset(w.lower() for w in data["weak_adjectives"]),
    )


@dataclass(slots=True)
class _Candidate:
    key: tuple[str, ...]
    first: int
    forms: Counter[str] = field(default_factory=Counter)


def _trim(chunk: Span, weak: frozenset[str]) -> list[Token] | None:
    tokens = list(chunk)
    while tokens and (
        tokens[0].pos_ in _EDGE_POS
        or tokens[0].ent_type_
        or tokens[0].is_stop
        or (tokens[0].pos_ == "ADJ" and lemma_key(tokens[0]) in weak)
    ):
        tokens.pop(0)
    while tokens and (
        tokens[-1].pos_ in _EDGE_POS
        or tokens[-1].ent_type_
        or tokens[-1].is_stop
        or (tokens[-1].pos_ == "ADJ" and lemma_key(tokens[-1]) in weak)
    ):
        tokens.pop()
    if not tokens or len(tokens) > MAX_TOKENS or any(t.ent_type_ or t.pos_ in _INNER_POS for t in tokens):
        return None
    if not any(t.pos_ == "NOUN" and t.is_alpha and len(t) >= _MIN_NOUN_CHARS for t in tokens):
        return None
    return tokens


def _phrases(doc: Doc, lists: Stoplist) -> list[list[Token]]:
    """Trimmed noun chunks, plus "noun chunk + de + bare noun chunk" compounds."""
    chunks = list(doc.noun_chunks)
    out = []
    for i, chunk in enumerate(chunks):
        tokens = _trim(chunk, lists.weak)
        if tokens is None:
            continue
        out.append(tokens)
        # French builds compounds with "de" and a bare noun ("système de défense antiaérienne",
        # "taux de chômage"); with a determiner ("ministre de la Défense") it is a complement.
        end = tokens[-1].i
        if i + 1 < len(chunks) and end + 2 < len(doc) and doc[end + 1].lower_ in _COMPOUND_LINKS:
            nxt = chunks[i + 1]
            if nxt.start == end + 2 and nxt[0].pos_ == "NOUN":
                tail = _trim(nxt, lists.weak)
                if (
                    tail is not None
                    and tail[0].i == nxt.start
                    and _specific(tokens, lists.stop)
                    and _specific(tail, lists.stop)
                ):
                    joined = [*tokens, doc[end + 1], *tail]
                    if len(joined) <= MAX_TOKENS:
                        out.append(joined)
    return out


def _specific(tokens: list[Token], stop: frozenset[str]) -> bool:
    """Whether a part has a content lemma that is not a UI or generic word ("à cause de" is not)."""
    return any(lemma_key(t) not in stop for t in tokens if t.pos_ not in _FUNCTION_POS)


def _surface(tokens: list[Token]) -> str:
    parts = []
    for i, t in enumerate(tokens):
        keep_case = t.pos_ == "PROPN" or (t.is_upper and len(t) > 1)
        text = t.text if keep_case else t.text.lower()
        parts.append(text + (t.whitespace_ if i < len(tokens) - 1 else ""))
    return "".join(parts).strip()


def _lemma_counts(doc: Doc) -> Counter[str]:
    """`lemma_key` of every noun, adjective and proper noun, counted.

    Read from the Doc's arrays: a Token object per word was a fifth of the stage.
    """
    strings = doc.vocab.strings
    rows: list[list[int]] = doc.to_array([POS, LEMMA, ORTH]).tolist()
    counted = (strings[lemma] or strings[orth] for pos, lemma, orth in rows if pos in _COUNTED_POS)
    return Counter(text.lower() for text in counted)


def extract_keyphrases(
    doc: Doc, entities: list[Entity], max_keyphrases: int, lists: Stoplist
) -> list[Keyphrase]:
    """Return at most `max_keyphrases` scored noun phrases, best first (method in the module doc)."""
    stoplist = lists.stop
    candidates: dict[tuple[str, ...], _Candidate] = {}
    for tokens in _phrases(doc, lists):
        content = [t for t in tokens if t.pos_ not in _FUNCTION_POS]
        key = tuple(lemma_key(t) for t in content)
        if not key or all(k in stoplist or not any(c.isalpha() for c in k) for k in key):
            continue
        cand = candidates.get(key)
        if cand is None:
            cand = candidates[key] = _Candidate(key=key, first=tokens[0].idx)
        cand.forms[_surface(tokens)] += 1
    if not candidates:
        return []

    lemma_freq = _lemma_counts(doc)
    length = max(len(doc_text(doc)), 1)
    scored = []
    for cand in candidates.values():
        occurrences = sum(cand.forms.values())
        spread = sum(lemma_freq.get(k, 1) for k in cand.key) / len(cand.key)
        earliness = 1.0 - cand.first / length
        # A lone noun ("pays", "crise") says less than a phrase; it must be frequent to rank.
        extra_words = min(len(cand.key) - 2, _MAX_EXTRA_WORDS)
        shape = _SINGLE_WORD if len(cand.key) == 1 else 1.0 + _PER_EXTRA_WORD * extra_words
        raw = (occurrences + _SPREAD_WEIGHT * spread) * (1.0 + _EARLINESS_WEIGHT * earliness) * shape
        scored.append((raw, cand))
    scored.sort(key=lambda rc: (-rc[0], rc[1].first))

    entity_keys = {tuple(w.lower() for w in name.split()) for e in entities for name in [e.name, *e.aliases]}
    kept: list[tuple[float, str, frozenset[str]]] = []
    for raw, cand in scored:
        if len(kept) >= max_keyphrases:
            break
        form = cand.forms.most_common(1)[0][0]
        if cand.key in entity_keys or tuple(form.lower().split()) in entity_keys:
            continue
        lemmas = frozenset(cand.key)
        if any(lemmas <= other or other <= lemmas for _, _, other in kept):
            continue
        kept.append((raw, form, lemmas))
    if not kept:
        return []
    top = kept[0][0]
    return [Keyphrase(text=form, score=round(raw / top, 4)) for raw, form, _ in kept]


class KeyphrasesStage:
    """Stage: the noun phrases that say what the article is about."""

    name = "keyphrases"
    version = "1"
    data_files = (STOPLIST_FILE.name,)

    def __init__(self) -> None:
        self._lists: Stoplist | None = None

    def load(self, resources: StageResources) -> None:
        """Read the keyphrase word lists."""
        self._lists = load_stoplist()

    def __call__(self, article: Article) -> None:
        """Fill `keyphrases` (after the entities, whose names never repeat as keyphrases)."""
        article.keyphrases = extract_keyphrases(
            need(article.doc, "the parsed body"),
            article.entities,
            article.options.max_keyphrases,
            need(self._lists, "the keyphrase word lists"),
        )
