"""Group repaired mentions into one cluster per real-world entity and decide its label and name."""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from service.pipeline.entities.lexicon import Lexicon
from service.pipeline.entities.spans import Candidate
from service.pipeline.text.fold import NAME_PARTICLES, fold

__all__ = ["Cluster", "cluster_candidates"]

_ACRONYM_AFTER = re.compile(r"\s*\(\s*([A-ZÀ-Ý][A-Za-zÀ-ÿ0-9&.\-]{1,11})\s*\)")
_WORDS_THEN_ACRONYM = re.compile(
    r"((?:\s+[\w'\u2019\-]+){1,3}?)\s*\(\s*([A-ZÀ-Ý][A-Za-zÀ-ÿ0-9&.\-]{1,11})\s*\)"
)
_EXPANSION_AFTER = re.compile(r"\s*\(\s*([^()\n]{4,80})\)")
_ACRONYM_SHAPE = re.compile(r"^[A-ZÀ-Ý][A-Za-zÀ-ÿ0-9&.\-]{1,11}$")
_LABEL_ORDER = ("PER", "ORG", "LOC", "MISC")
_HEAD_WORD = re.compile(r"\w+")
_MIN_ACRONYM_LETTERS = 2
# A known name is looked for again in the body only when it is at least this long ("UE", not "Il").
_MIN_KNOWN_FORM_CHARS = 3
# Longer words in capitals may be names written loud ("TARBES"); a place or a person's name
# is then written in ordinary case.
_MAX_ACRONYM_LETTERS = 3
_CAPITALIZED_PART = re.compile(r"(\w)(\w*)")
# Two full names this close are one person spelt two ways ("Teresa May" / "Theresa May").
_SPELLING_MIN_CHARS = 8
_SPELLING_LONG_CHARS = 14
# Acronyms this long are joined to their expansion without parentheses ("CSA", not "PS").
_MIN_MERGED_ACRONYM = 3


@dataclass(slots=True, eq=False)
class Cluster:
    """Mentions of one entity with the label and canonical name chosen for them."""

    mentions: list[Candidate]
    label: str = "MISC"
    name: str = ""
    group_name: str | None = None
    weak: set[str] = field(default_factory=set)

    @property
    def keys(self) -> set[str]:
        """Folded surface forms of the mentions."""
        return {fold(m.text) for m in self.mentions}


_AMBIGUOUS = Cluster(mentions=[])


class _Union:
    """Union-find over mention keys, so merging rules can be applied in any order."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, item: str) -> str:
        root = self.parent.setdefault(item, item)
        while root != self.parent[root]:
            root = self.parent[root]
        while item != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


def _initials_match(acronym: str, expansion: str) -> bool:
    """True when the acronym's letters are word initials of the expansion, in order."""
    letters = [c for c in fold(acronym) if c.isalnum()]
    initials = [w[0] for w in re.split(r"[\s\-']+", fold(expansion)) if w]
    if len(letters) < _MIN_ACRONYM_LETTERS:
        return False

    def subsequence(needle: list[str]) -> bool:
        pos = 0
        for initial in initials:
            if pos < len(needle) and initial == needle[pos]:
                pos += 1
        return pos == len(needle)

    # "La France insoumise (LFI)": the model often leaves the leading article out of the span.
    return subsequence(letters) or (letters[0] in "l" and subsequence(letters[1:]))


def _acronym_links(body: str, cands: list[Candidate]) -> list[tuple[str, str]]:
    """Pairs (acronym, expansion) defined in the body as "Expansion (ACR)" or "ACR (Expansion)"."""
    links: list[tuple[str, str]] = []
    for cand in cands:
        after = _ACRONYM_AFTER.match(body, cand.end)
        if after is not None and _initials_match(after.group(1), cand.text):
            links.append((after.group(1), cand.text))
            continue
        longer = _WORDS_THEN_ACRONYM.match(body, cand.end)
        if longer is not None and _initials_match(longer.group(2), cand.text + longer.group(1)):
            # "La France insoumise (LFI)" tagged as "La France": the acronym shows where it ends.
            cand.end += len(longer.group(1))
            cand.text = body[cand.start : cand.end]
            links.append((longer.group(2), cand.text))
            continue
        if _ACRONYM_SHAPE.match(cand.text) and cand.text[:2].isupper():
            expansion = _EXPANSION_AFTER.match(body, cand.end)
            if expansion is not None and _initials_match(cand.text, expansion.group(1)):
                links.append((cand.text, expansion.group(1).strip()))
    return links


def _is_word_char(ch: str) -> bool:
    # What `\w` matches: str.isalnum() and the underscore (the `re` module's definition).
    return ch.isalnum() or ch == "_"


def _word_starts(body: str, keys: set[tuple[str, ...]]) -> dict[tuple[str, ...], list[int]]:
    """Where each key (one word or two) starts among the body's words, in order.

    Words are runs of `_HEAD_WORD`. Each key's first word is found by `str.find` and kept where
    it is a whole word, rather than cutting the whole body into words (a tenth of the stage).
    """
    starts: dict[tuple[str, ...], list[int]] = {key: [] for key in keys}
    for first in {key[0] for key in keys}:
        single = (first,) in starts
        position = body.find(first)
        while position >= 0:
            end = position + len(first)
            whole = (position == 0 or not _is_word_char(body[position - 1])) and (
                end == len(body) or not _is_word_char(body[end])
            )
            if whole:
                if single:
                    starts[first,].append(position)
                following = _HEAD_WORD.search(body, end)
                if following is not None and (first, following.group()) in starts:
                    starts[first, following.group()].append(position)
            position = body.find(first, position + 1)
    return starts


def _recover(body: str, cands: list[Candidate], forms: dict[str, str]) -> list[Candidate]:
    """Find occurrences of known forms the model missed; `forms` maps surface -> label."""
    if not forms:
        return []
    taken = bytearray(len(body))
    for c in cands:
        taken[c.start : c.end] = b"\x01" * (c.end - c.start)
    # Where each form's first word, or first two words, start: a form is looked for only there,
    # so the cost grows with the body plus the occurrences, not with the body times the number
    # of forms (thousands of names sharing "Jean" included).
    keys = {form: tuple(_HEAD_WORD.findall(form)[:2]) for form in forms}
    starts = _word_starts(body, {key for key in keys.values() if key})
    found: list[Candidate] = []
    # Longest forms first, so "Jean-Marie Le Pen" is taken before "Le Pen" could be.
    for form in sorted(forms, key=len, reverse=True):
        key = keys[form]
        if not key:
            continue
        last_end = 0
        for start in starts.get(key, ()):
            end = start + len(form)
            if start < last_end or not body.startswith(form, start):
                continue
            last_end = end
            if _standalone(body, start, end) and not any(taken[start:end]):
                found.append(Candidate(start, end, form, forms[form]))
                taken[start:end] = b"\x01" * (end - start)
    return found


def _standalone(body: str, start: int, end: int) -> bool:
    """True when body[start:end] is not glued to a word or a hyphenated compound."""
    before = body[start - 1] if start else " "
    after = body[end] if end < len(body) else " "
    if before.isalnum() or before == "_" or after.isalnum() or after in "_-":
        return False
    return not (before == "-" and start > 1 and body[start - 2].isalnum())


def _recover_known(body: str, clusters: list[Cluster], lexicon: Lexicon) -> None:
    """Add the occurrences of each cluster's names and surnames that the model did not tag."""
    owner: dict[str, Cluster] = {}
    for cluster in clusters:
        surfaces = {m.text for m in cluster.mentions if fold(m.text) not in cluster.weak}
        if cluster.label == "PER":
            for m in list(surfaces):
                words = m.split()
                if _name_shaped(m) and words[-1][:1].isupper():
                    surfaces.add(words[-1])
        for form in surfaces:
            folded = fold(form)
            if len(form) < _MIN_KNOWN_FORM_CHARS or not form[:1].isupper() or folded in lexicon.not_alone:
                continue
            # A form two clusters could claim (a namesake's surname) stays unrecovered.
            owner[form] = cluster if owner.get(form, cluster) is cluster else _AMBIGUOUS
    forms = {f: c.label for f, c in owner.items() if c is not _AMBIGUOUS}
    taken = [m for c in clusters for m in c.mentions]
    for found in _recover(body, taken, forms):
        owner[found.text].mentions.append(found)


@functools.cache
def _place_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    # Not followed by a capitalized word or a number: "France 2", "Europe Ecologie" are no places.
    alternatives = "|".join(re.escape(n) for n in names)
    return re.compile(rf"(?<!\w)(?<!\w-)(?:{alternatives})(?![\w\-])(?!\s+[A-ZÀ-Ý0-9])")


@functools.cache
def _place_first_letters(names: tuple[str, ...]) -> re.Pattern[str]:
    # Where a place can start: the first letters of the names, with the same look-behinds.
    letters = "".join(re.escape(c) for c in sorted({n[0] for n in names}))
    return re.compile(rf"(?<!\w)(?<!\w-)[{letters}]")


def _place_matches(body: str, names: tuple[str, ...]) -> Iterator[re.Match[str]]:
    """`_place_pattern(names).finditer(body)`, tried only where a name's first letter starts a word.

    The alternation of some thousand names is otherwise tried at every character of the body.
    """
    if not names:
        return
    pattern = _place_pattern(names)
    end = 0
    for letter in _place_first_letters(names).finditer(body):
        start = letter.start()
        if start < end:
            continue
        match = pattern.match(body, start)
        if match is not None:
            yield match
            end = match.end()


@functools.cache
def _cued_area_pattern(areas: tuple[str, ...]) -> re.Pattern[str]:
    # A département or région named as such, even one that is also a common word: "Roubaix
    # (Nord)", "le département du Var", "dans la Manche voisine" is not cued.
    alternatives = "|".join(re.escape(a) for a in sorted(areas, key=len, reverse=True))
    return re.compile(
        rf"(?:\(\s*(?P<paren>{alternatives})\s*\)|\bdépartement\s+(?:du|de\s+la|de\s+l['\u2019]|des|de)\s*"
        rf"(?P<named>{alternatives})(?![\w\-]))"
    )


# A capitalized word just before a place, other than the small words that open a sentence.
_WORD_BEFORE = re.compile(r"(?<![\w'\u2019\-])([A-ZÀ-Ý][\w\-]*)[ \t]+$")
_WORD_BEFORE_CHARS = 40
_OPENERS = frozenset(
    {"La", "Le", "Les", "En", "Au", "Aux", "À", "A", "Dans", "De", "Du", "Des", "Et", "Pour", "Sur", "Vers"}
    | {"Depuis", "Selon", "Après", "Avant", "Comme", "Chez", "Entre", "Contre", "Hors", "Outre", "Partout"}
)


def _recover_places(body: str, cands: list[Candidate], lexicon: Lexicon) -> list[Candidate]:
    """Country and region names the model left untagged (it misses some in long sentences)."""
    taken = bytearray(len(body))
    for c in cands:
        taken[c.start : c.end] = b"\x01" * (c.end - c.start)
    found: list[Candidate] = []
    for match in _place_matches(body, lexicon.place_names):
        start, end = match.span()
        before = _WORD_BEFORE.search(body, max(0, start - _WORD_BEFORE_CHARS), start)
        if before is not None and before.group(1) not in _OPENERS:
            # "France Bleu Isère", "Crédit Agricole Bretagne": the place ends a longer name.
            continue
        if not any(taken[start:end]):
            found.append(Candidate(start, end, match.group(), "LOC"))
            taken[start:end] = b"\x01" * (end - start)
    for match in _cued_area_pattern(lexicon.gazetteer.areas).finditer(body):
        group = "paren" if match.group("paren") else "named"
        start, end = match.span(group)
        if not any(taken[start:end]):
            found.append(Candidate(start, end, match.group(group), "LOC"))
    return found


def _surname_suffixes(text: str) -> list[str]:
    """Folded proper suffixes of a multi-word name that can stand for it alone."""
    words = fold(text).split()
    suffixes = []
    for i in range(1, len(words)):
        if words[i] in NAME_PARTICLES and i == len(words) - 1:
            continue
        suffixes.append(" ".join(words[i:]))
    return suffixes


def _name_shaped(text: str) -> bool:
    """True for "Recep Tayyip Erdogan": several words, each capitalized or a name particle."""
    words = text.split()
    return len(words) > 1 and all(
        (w[:1].isupper() and not any(c.isdigit() for c in w)) or w.casefold() in NAME_PARTICLES for w in words
    )


def _vote(cluster: Cluster, lexicon: Lexicon) -> str:
    ruler = Counter(m.label for m in cluster.mentions if m.ruler)
    if ruler:
        return ruler.most_common(1)[0][0]
    forced = Counter(m.forced_label for m in cluster.mentions if m.forced_label)
    if forced:
        return forced.most_common(1)[0][0]
    keys = cluster.keys
    if cluster.group_name is not None:
        for group in lexicon.alias_groups:
            if group.name == cluster.group_name:
                return group.label
    if all(k in lexicon.demonym_nouns for k in keys) and not keys & lexicon.places:
        # "Basque" is a demonym; "Corse" is also the island, and the place wins below.
        return "MISC"
    votes: Counter[str] = Counter()
    for m in cluster.mentions:
        weight = 1
        if m.honorific:
            votes["PER"] += 2
        if m.words > 1 and m.label == "PER":
            weight += 1
        votes[m.label] += weight
    if keys & lexicon.places and not any(m.honorific for m in cluster.mentions):
        return "LOC"
    best = max(votes.values())
    return next(label for label in _LABEL_ORDER if votes[label] == best)


def _name(cluster: Cluster) -> str:
    mentions = [m for m in cluster.mentions if fold(m.text) not in cluster.weak] or cluster.mentions
    if cluster.group_name is not None:
        wanted = fold(cluster.group_name)
        forms = [m.text for m in mentions if fold(m.text) == wanted]
        if forms:
            return _best_form(forms, cluster.label)
    most = max(len(fold(m.text).split()) for m in mentions)
    return _best_form([m.text for m in mentions if len(fold(m.text).split()) == most], cluster.label)


def _shouting(form: str) -> bool:
    """True for a name written in capitals ("TARBES"), longer than most acronyms ("USA")."""
    letters = [c for c in form if c.isalpha()]
    return len(letters) > _MAX_ACRONYM_LETTERS and all(c.isupper() for c in letters)


def _best_form(forms: list[str], label: str = "") -> str:
    counts = Counter(forms)
    order = {f: i for i, f in reversed(list(enumerate(forms)))}
    # Not in capitals, then most used, then accented ("États-Unis" over "Etats-Unis"), then first seen.
    # Only places and people are read as names written loud: "OTAN" stays the organisation's name.
    loud = label in {"PER", "LOC"}
    best = min(
        counts, key=lambda f: (loud and _shouting(f), -counts[f], -sum(not c.isascii() for c in f), order[f])
    )
    if loud and _shouting(best):
        # Places and people are no acronyms: "TARBES" is Tarbes.
        return _CAPITALIZED_PART.sub(lambda m: m.group(1) + m.group(2).lower(), best)
    return best


_BODY_LABELS = frozenset({"ORG", "LOC", "MISC"})


def _link_persons(clusters: list[Cluster], lexicon: Lexicon) -> list[Cluster]:
    """Attach surname-only mentions to the full name they stand for.

    Owners are found through an index from surname forms to the full names ending with them,
    so the cost grows with the mentions, not with the square of the clusters.
    """
    keys = {id(c): c.keys for c in clusters}
    per_keys = {k for c in clusters if c.label == "PER" for k in keys[id(c)]}
    # A name a rule labelled a body ("Fondation Paul Bocuse") is no person's full name.
    full = [
        c
        for c in clusters
        if not any(m.ruler or m.forced_label in _BODY_LABELS for m in c.mentions)
        and any(
            _name_shaped(m.text)
            and (c.label == "PER" or any(s in per_keys for s in _surname_suffixes(m.text)))
            for m in c.mentions
        )
    ]
    suffixes = {id(c): {s for m in c.mentions for s in _surname_suffixes(m.text)} for c in full}
    # Only names that cannot lose a word themselves vouch for a surname: "Laura Vernier" and
    # "Marcel Vernier", each opening a sentence once, are two people, not two swallowed words.
    holders: Counter[str] = Counter(s for c in full if _opening_form(c) is None for s in suffixes[id(c)])
    full = [c for c in full if not _swallowed_word(c, holders)]
    # A swallowed opening word changed some mentions ("Rencontre Lavrov" is now "Lavrov").
    keys = {id(c): c.keys for c in clusters}
    by_suffix: dict[str, list[Cluster]] = {}
    for c in full:
        for suffix in suffixes[id(c)]:
            by_suffix.setdefault(suffix, []).append(c)

    def owners_of(cluster: Cluster, among: set[int]) -> list[Cluster]:
        found: dict[int, Cluster] = {}
        for key in keys[id(cluster)]:
            for owner in by_suffix.get(key, ()):
                if owner is not cluster and id(owner) in among:
                    found[id(owner)] = owner
        return list(found.values())

    # Top names are the full names no longer name contains ("Tayyip Erdogan" is not one).
    full_ids = {id(c) for c in full}
    tops = [c for c in full if not owners_of(c, full_ids)]
    top_ids = {id(c) for c in tops}
    by_first: dict[str, list[Cluster]] = {}
    for top in tops:
        for first in {fold(m.text).split()[0] for m in top.mentions if m.text.strip()}:
            by_first.setdefault(first, []).append(top)
    merged: set[int] = set()
    for short in clusters:
        if id(short) in top_ids:
            continue
        owners = owners_of(short, top_ids)
        if not owners and all(m.words == 1 and not m.ruler for m in short.mentions):
            # A first name alone ("Ghislaine") stands for the one full name starting with it.
            candidates = {id(o): o for k in keys[id(short)] for o in by_first.get(k, ())}
            owners = list(candidates.values()) if len(candidates) == 1 else []
        if not owners:
            continue
        if short.label != "PER" and keys[id(short)] & lexicon.places:
            continue
        if short.label in {"ORG", "MISC"} and any(m.ruler for m in short.mentions):
            continue
        if short.label == "ORG" and sum(m.label == "ORG" for m in short.mentions) > 1:
            # "Renault" the company, tagged ORG again and again, is not "Louis Renault".
            continue
        for mention in short.mentions:
            _nearest(owners, mention).mentions.append(mention)
        merged.add(id(short))
    return [c for c in clusters if id(c) not in merged]


def _opening_form(cluster: Cluster) -> str | None:
    """The two-word form of a cluster named once, opening a sentence: a word may be glued to it."""
    # A form written again is a name the article uses ("Richard Bohringer" in the headline and
    # opening a paragraph, next to "Romane Bohringer"): two first names, two people.
    if len(cluster.mentions) != 1 or not cluster.mentions[0].initial:
        return None
    form = cluster.mentions[0].text
    return form if len(form.split(" ", 1)[-1].split()) == 1 and " " in form else None


def _swallowed_word(cluster: Cluster, holders: Counter[str]) -> bool:
    """Drop a sentence-opening word glued to a known surname ("Rencontre Lavrov"); True if done.

    `holders` counts, per surname form, the full names having it that cannot lose a word.
    """
    form = _opening_form(cluster)
    if form is None:
        return False
    first, _, rest = form.partition(" ")
    # Only when another full name ends with the rest ("Vladimir Poutine" opening a paragraph
    # stays whole) and the whole form is no surname itself ("Le Pen").
    if holders[fold(rest)] == 0 or holders[fold(form)] > 0:
        return False
    for m in cluster.mentions:
        m.start += len(first) + 1
        m.text = rest
    return True


def _nearest(owners: list[Cluster], mention: Candidate) -> Cluster:
    """The full name mentioned last before `mention` (or first after it) among namesakes."""
    if len(owners) == 1:
        return owners[0]

    def distance(owner: Cluster) -> tuple[int, int]:
        before = [mention.start - m.start for m in owner.mentions if m.words > 1 and m.start <= mention.start]
        if before:
            return (0, min(before))
        return (1, min(m.start for m in owner.mentions) - mention.start)

    return min(owners, key=distance)


# Typo merging compares pairs of people: only this many, the most mentioned, are compared.
_MAX_SPELLING_PEOPLE = 120


def _edit_distance(a: str, b: str, cap: int) -> int:
    """Levenshtein distance of `a` and `b`, or cap + 1 once it exceeds `cap`."""
    if abs(len(a) - len(b)) > cap:
        return cap + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > cap:
            return cap + 1
        previous = current
    return previous[-1]


def _merge_spellings(clusters: list[Cluster]) -> list[Cluster]:
    """Merge person clusters whose full names differ by a typo ("Teresa May" / "Theresa May").

    Pairs are compared only among the most mentioned people (`_MAX_SPELLING_PEOPLE`), so a text
    listing thousands of names costs a bounded number of comparisons, not their square.
    """
    people = [c for c in clusters if c.label == "PER" and any(_name_shaped(m.text) for m in c.mentions)]
    if len(people) > _MAX_SPELLING_PEOPLE:
        people = sorted(people, key=lambda c: -len(c.mentions))[:_MAX_SPELLING_PEOPLE]
    names = {id(c): fold(_name(c)) for c in people}
    merged: set[int] = set()
    for i, a in enumerate(people):
        for b in people[i + 1 :]:
            if id(a) in merged or id(b) in merged:
                continue
            name_a, name_b = names[id(a)], names[id(b)]
            shortest = min(len(name_a), len(name_b))
            if shortest < _SPELLING_MIN_CHARS or name_a[0] != name_b[0]:
                continue
            cap = 2 if shortest >= _SPELLING_LONG_CHARS else 1
            if _edit_distance(name_a, name_b, cap) <= cap:
                a.mentions.extend(b.mentions)
                merged.add(id(b))
    return [c for c in clusters if id(c) not in merged]


_SMALL_WORDS = frozenset(
    {"de", "du", "des", "d", "la", "le", "les", "l", "et", "a", "au", "aux", "pour", "en"}
)


def _content_initials(expansion: str) -> str:
    """First letters of the content words: "Conseil supérieur de l'audiovisuel" -> "csa"."""
    words = [w for w in re.split(r"[\s\-']+", fold(expansion)) if w and w not in _SMALL_WORDS]
    return "".join(w[0] for w in words)


def _merge_acronyms(clusters: list[Cluster]) -> list[Cluster]:
    """Join an acronym ORG cluster to the one ORG cluster it abbreviates ("CSA", "RATP")."""
    orgs = [c for c in clusters if c.label == "ORG"]
    expansions: dict[str, list[Cluster]] = {}
    for cluster in orgs:
        for m in cluster.mentions:
            if len(m.text.split()) > 1:
                expansions.setdefault(_content_initials(m.text), []).append(cluster)
    merged: set[int] = set()
    for cluster in orgs:
        forms = {m.text for m in cluster.mentions}
        if len(forms) != 1:
            continue
        form = next(iter(forms))
        if len(form) < _MIN_MERGED_ACRONYM or not form.isupper() or not form.isalpha():
            continue
        owners = {id(o): o for o in expansions.get(form.casefold(), []) if o is not cluster}
        if len(owners) == 1:
            next(iter(owners.values())).mentions.extend(cluster.mentions)
            merged.add(id(cluster))
    return [c for c in clusters if id(c) not in merged]


def _without_overlaps(cands: list[Candidate]) -> list[Candidate]:
    """Body-ordered candidates where a longer span wins over any span overlapping it."""
    kept: list[Candidate] = []
    for cand in sorted(cands, key=lambda c: (c.start, c.start - c.end)):
        if kept and cand.start < kept[-1].end:
            if cand.end - cand.start > kept[-1].end - kept[-1].start:
                kept[-1] = cand
            continue
        kept.append(cand)
    return kept


def _merge_keys(
    present: set[str], links: list[tuple[str, str]], lexicon: Lexicon
) -> tuple[_Union, dict[str, str], set[str]]:
    """Union the keys that name one entity; also say which alias group and weak form each key is."""
    union = _Union()
    for k in present:
        union.find(k)
    group_of: dict[str, str] = {}
    weak_keys: set[str] = set()
    for group in lexicon.alias_groups:
        strong = group.strong & present
        if not strong:
            continue
        members = strong | (group.weak & present)
        weak_keys |= group.weak & present
        anchor = next(iter(sorted(members)))
        for member in members:
            union.union(anchor, member)
            group_of[member] = group.name
    for k in present:
        for prefix in lexicon.state_prefixes:
            rest = k[len(prefix) :].lstrip() if k.startswith(prefix) else ""
            if rest and rest in present and (prefix.endswith("'") or k[len(prefix)] == " "):
                union.union(rest, k)
    for acronym, expansion in links:
        union.union(fold(expansion), fold(acronym))
    entries: dict[str, str] = {}
    for k in sorted(present):
        # The forms of one gazetteer entry name one entity, with or without an acronym defined
        # in the text ("Agence européenne des médicaments" ... "l'EMA").
        entry = lexicon.gazetteer.entry_of.get(k)
        if entry is not None:
            union.union(entries.setdefault(entry, k), k)
    for k in present:
        # "Le Parisien" and "au Parisien": the title's article was left out of one mention.
        article, _, rest = k.partition(" ")
        if article in {"le", "la", "les"} and rest in present:
            union.union(k, rest)
    return union, group_of, weak_keys


def cluster_candidates(body: str, cands: list[Candidate], lexicon: Lexicon) -> list[Cluster]:
    """Merge case/accent variants, alias groups, state names, acronyms and surnames into clusters."""
    links = _acronym_links(body, cands)
    extra_forms = {acr: "ORG" for acr, _ in links}
    recovered = _recover(body, cands, extra_forms)
    recovered += _recover_places(body, cands + recovered, lexicon)
    cands = _without_overlaps(cands + recovered)
    present = {fold(c.text) for c in cands}
    union, group_of, weak_keys = _merge_keys(present, links, lexicon)
    by_root: dict[str, Cluster] = {}
    for cand in cands:
        root = union.find(fold(cand.text))
        cluster = by_root.setdefault(root, Cluster(mentions=[]))
        cluster.mentions.append(cand)
        if fold(cand.text) in group_of:
            cluster.group_name = group_of[fold(cand.text)]
        if fold(cand.text) in weak_keys:
            cluster.weak.add(fold(cand.text))
    clusters = list(by_root.values())
    for cluster in clusters:
        cluster.label = _vote(cluster, lexicon)
    # Spelling variants first: "Theresa May" must not read as a word glued to "May".
    clusters = _merge_spellings(clusters)
    clusters = _merge_acronyms(clusters)
    clusters = _link_persons(clusters, lexicon)
    _recover_known(body, clusters, lexicon)
    for cluster in clusters:
        cluster.mentions.sort(key=lambda m: m.start)
        cluster.label = _vote(cluster, lexicon)
        if any(m.words > 1 and m.label == "PER" for m in cluster.mentions) and not any(
            m.ruler or m.forced_label for m in cluster.mentions
        ):
            cluster.label = "PER"
        cluster.name = _name(cluster)
    return clusters
