"""Line classification of the clean stage: article region, title, and a label for every line."""

from __future__ import annotations

import itertools
import re

from service.model import RemovalReason
from service.pipeline.clean.line import BODY, HEADING, LETTER_WORDS, Line
from service.pipeline.clean.rules import Rule, RuleSet
from service.pipeline.clean.title import find_title
from service.pipeline.text.fold import WORD, word_key
from service.pipeline.text.names import author_part, is_author_line, looks_like_names, signed

__all__ = ["BODY", "HEADING", "Line", "classify", "split_lines"]


_SPACES = re.compile(r"\s+")
_SENTENCE_END = re.compile('[.!?…;:]\\s*[»"”\u2019)\\]]*$|[»"”]$')
_PERIOD_END = re.compile('[.…;,:]\\s*[»"”\u2019)\\]]*$')
# A sentence that is over: a full stop, or a question or exclamation mark ("?" headlines exist,
# so it only ends a related block when no label, date or byline follows it).
_CLOSED = re.compile('(?:[^.]\\.|[?!])\\s*[»"”\u2019)]*$')
_TRUNCATED = re.compile(r"(\.\.\.|…)\s*$")
# A ticker or list entry: "12:50 France Les profs sont ...", "14h05 - ...".
_TIMED = re.compile(r"^\d{1,2}[:h]\d{2}\s*(?:[-\u2013\u2014:|]\s*)?\S")
_TIMESTAMP = re.compile(
    r"^(?:il y a \d+\s*(?:s|sec|secondes?|min|minutes?|h|heures?)|\d{1,2}\s*[:h]\s*\d{2})$", re.IGNORECASE
)
# A standings row: a rank, a name, and a number at the end ("3. Lens 40 pts", "1. AS FAR 56").
_RANK_ROW = re.compile(r"^\d{1,2}[.)]\s+\D.*\d+(?:\s*(?:pts?|points?))?$")
_MIN_TABLE_ROWS = 3
_LIVE_ENTRIES = 2
_BUTTON_WORDS = 2
# A score line: two sides and a score ("Nantes - Lens : 0-2", "Remparts 4 - Voltigeurs 1",
# "Standard - Anderlecht 1-1").
_SCORE_LINE = re.compile(
    r"^[^\d:]{2,50}?\s\d{1,3}\s*[-\u2013]\s*[^\d:]{2,50}?\s\d{1,3}$"
    r"|^[^\d:]{2,50}?\s[-\u2013]\s[^\d:]{2,50}?\s:\s\d{1,3}\s*[-\u2013]\s*\d{1,3}$"
    r"|^[^\d:]{2,50}?\s\d{1,3}\s*[-\u2013]\s*\d{1,3}\s[^\d:]{2,50}$"
    r"|^[^\d:]{2,50}?\s[-\u2013]\s[^\d:]{2,50}?\s\d{1,3}\s*[-\u2013]\s*\d{1,3}$"
)
# A dateline opening the text, a day and a month without the year ("1 avril", "18 juin"): a
# byline's date carries its year, the article's own dateline does not.
_DATELINE = re.compile(
    r"^\d{1,2}(?:er)? (?:janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre"
    r"|décembre)$",
    re.IGNORECASE,
)
_NAME_LIKE = re.compile(r"^[^\d.!?;:«»\"]{2,80}$")

# Region scores: prose adds its words, anything else costs a little so that menus and
# lists between prose runs break the region while a heading or a caption does not.
_BARRIER_COST = -40.0
_RULE_COST = -6.0
_LIST_COST = -4.0
_SHORT_COST = -2.0
_STRONG_WORDS = 12
_LONG_WORDS = 20
_MAX_TITLE_WORDS = 30
_MAX_HEADING_WORDS = 20
_TITLE_LOOKBACK = 40
_BLOCK_SPAN = 12
_MIN_DUPLICATE_WORDS = 4
# A sentence or an unruled line of this many words reads as prose, not as a UI label.
_PROSE_WORDS = 4
# A title needs two real words of letters (not a date or a counter).
_TITLE_MIN_WORDS = 2
# Clutter lines right after the article's end, within this distance, belong to its tail.
_TAIL_GAP = 2
_STANDFIRST_WORDS = 8
_SPEAKER_WORDS = 6
_BREADCRUMB_EXTRA = 8
_CREDIT_WORDS = 8
# Captions run to about 25 words; a longer prose line above a credit is a caption only when it
# has a caption's cues: a date ("le 12 juillet 2020") or who stands where ("(G)", "de gauche à droite").
_MAX_CAPTION_WORDS = 28
_MAX_STANDFIRST_CAPTION_WORDS = 20
_CAPTION_CUE = re.compile(
    r"\b\d{1,2}(?:er)? (?:janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|"
    r"décembre) \d{4}\b|\((?:[CDG]|centre|gauche|droite)\)|de gauche à droite",
    re.IGNORECASE,
)
# A credit line with this many words of its own besides the credit is a caption in itself.
_OWN_CAPTION_WORDS = 2
_CREDIT_WORDS_ONLY = frozenset({"photo", "photos", "crédit", "crédits", "credit", "illustration"})
# Author lines are looked for this many lines above the headline, and down to the article.
_AUTHOR_REACH = 3
_WRAP_WORDS = 5
# A signature under the article is a short line: names, an agency, a role or a place.
_SIGNATURE_WORDS = 12
# A first name and a surname in a byline ("Paul Verdier", "Anne-Sophie Le Goff").
_FULL_NAME = re.compile(r"[A-ZÀ-Ý][\w\u2019'-]+(?: (?:[Dd]e |[Ll]e |[Ll]a )?[A-ZÀ-Ý][\w\u2019'-]+)+")
_ARTICLE_WORDS = 80
_AFTER_BARRIER = 0.3
# A comment thread: this many posts next to a marker line within this many lines of its header.
_THREAD_POSTS = 2
_THREAD_SPAN = 16
# A post marker (a pseudonym, "Paul R.", "Il y a 2 h") is this short at most.
_MARKER_WORDS = 3
_INITIAL_TAIL = re.compile(r"^[A-ZÀ-Ý][\w-]+ [A-ZÀ-Ý]\.$")


def _match(tidy: str, rules: RuleSet, cache: dict[str, Rule | None]) -> Rule | None:
    # Pages repeat lines (dates, section labels, "News"): match each distinct line once.
    if tidy not in cache:
        cache[tidy] = rules.match(tidy, tidy.casefold(), len(WORD.findall(tidy)))
    return cache[tidy]


def _is_clutter(stripped: str, rules: RuleSet, cache: dict[str, Rule | None]) -> bool:
    return _match(_SPACES.sub(" ", stripped), rules, cache) is not None


def _segments(text: str, rules: RuleSet, cache: dict[str, Rule | None]) -> list[tuple[int, int]]:
    """[start, end) spans of the stripped non-blank lines, hard-wrapped lines rejoined.

    A line that stops mid-sentence and is followed, with no blank line between, by a line
    starting in lower case is one paragraph wrapped by the exporter: it is one block (unless
    either line is clutter on its own, as "Par X" over "publié le ...").
    """
    spans: list[tuple[int, int]] = []
    position = 0
    joinable = False
    for raw in text.split("\n"):
        stripped = raw.strip()
        if not stripped:
            joinable = False
        else:
            start = position + raw.index(stripped[0])
            end = start + len(stripped)
            glued = joinable and stripped[0].islower() and not _is_clutter(stripped, rules, cache)
            # "par Claire Benali" under a headline signs it; it does not continue it.
            if glued and not is_author_line(stripped):
                spans[-1] = (spans[-1][0], end)
            else:
                spans.append((start, end))
            joinable = len(WORD.findall(stripped)) >= _WRAP_WORDS and _SENTENCE_END.search(stripped) is None
        position += len(raw) + 1
    return spans


def split_lines(text: str, rules: RuleSet) -> list[Line]:
    """Split normalized text into non-blank lines and compute their shape features."""
    lines: list[Line] = []
    cache: dict[str, Rule | None] = {}
    for start, end in _segments(text, rules, cache):
        tidy = _SPACES.sub(" ", text[start:end])
        words = len(WORD.findall(tidy))
        line = Line(index=len(lines), start=start, end=end, text=tidy, key=word_key(tidy), words=words)
        line.rule = _match(tidy, rules, cache)
        line.sentence = words >= 1 and _SENTENCE_END.search(tidy) is not None
        # A timed line is a ticker entry ("12:50 Les profs...") unless it is a whole paragraph
        # of prose: then it is a live blog's entry ("18h40 - La SNCF publie..."), article text.
        timed = _TIMED.match(tidy) is not None and not (line.sentence and words >= _STRONG_WORDS)
        line.listy = timed or (words <= _LONG_WORDS and _TRUNCATED.search(tidy) is not None)
        line.strong = (
            line.rule is None
            and not line.listy
            and words >= _STRONG_WORDS
            and (line.sentence or words >= _LONG_WORDS)
        )
        lines.append(line)
    return lines


def _score(line: Line) -> float:
    if line.rule is not None:
        if line.rule.inline:
            # Clutter that sits between paragraphs (a player's buttons, "Publicité - poursuivez
            # votre lecture") is removed but must not cut the article in two.
            return _SHORT_COST
        return _BARRIER_COST if line.rule.barrier else _RULE_COST
    if line.listy:
        return _LIST_COST
    if line.strong:
        return float(line.words)
    if line.sentence and line.words >= _PROSE_WORDS:
        return line.words / 2
    return _SHORT_COST


def _region(lines: list[Line]) -> tuple[int, int]:
    """The [start, end) run of lines with the largest total score (the dense prose).

    Once an article-sized run of prose has been followed by a barrier (comments, previous/next
    links) over a thread of posts, later prose counts less: readers' comments must not outweigh
    the article. A barrier over a single paragraph (a "Votre avis nous intéresse" poll inside
    the article) only costs its own weight: the paragraph after it stays when it is long.
    """
    best, best_span = 0.0, (0, 0)
    total, start = 0.0, 0
    prose_words = 0
    factor = 1.0
    widget = False
    for i, line in enumerate(lines):
        if total <= 0:
            total, start = 0.0, i
        score = _score(line)
        inline = line.rule is not None and line.rule.inline
        tiny = line.rule is None and not line.sentence and line.words <= _BUTTON_WORDS
        if widget and (inline or tiny):
            # A player's or a share bar's buttons are one widget: it costs once, not per button.
            score = 0.0
        widget = inline or (widget and tiny)
        if score > 0:
            score *= factor
            prose_words += line.words if line.strong else 0
        elif (
            line.rule is not None
            and line.rule.barrier
            and prose_words >= _ARTICLE_WORDS
            and _thread_follows(lines, i)
        ):
            factor = _AFTER_BARRIER
        total += score
        if total > best:
            best, best_span = total, (start, i + 1)
    return best_span


def _post_marker(line: Line) -> bool:
    """A line that heads or closes a reader's post: a pseudonym, a name, a time, "Répondre"."""
    if line.listy or (line.rule is not None and line.rule.reason in ("engagement", "byline")):
        return True
    if line.words > _MARKER_WORDS:
        return False
    if looks_like_names(line.text) or _INITIAL_TAIL.search(line.text) is not None:
        return True  # "Julie B." ends with a full stop, and is no sentence
    return not line.sentence and len(line.text.split()) == 1


def _thread_follows(lines: list[Line], at: int) -> bool:
    """Whether the lines under the barrier at `at` are a thread: two posts or more, each next to a marker.

    A comment section is posts between pseudonyms, times and "Répondre" buttons; the article
    going on under a poll or a rating widget is prose, with at most one such marker above it.
    """
    posts = 0
    span = lines[at + 1 : at + 1 + _THREAD_SPAN]
    for j, line in enumerate(span):
        if line.rule is not None and line.rule.barrier:
            break
        if line.rule is not None or not (line.sentence and line.words >= _PROSE_WORDS):
            continue
        before = span[j - 1] if j > 0 else lines[at]
        after = span[j + 1] if j + 1 < len(span) else None
        if _post_marker(before) or (after is not None and _post_marker(after)):
            posts += 1
    return posts >= _THREAD_POSTS


def _propagate_blocks(lines: list[Line]) -> None:
    """Lines under an "A lire aussi" header are related too, up to the first prose paragraph.

    A line ending like a finished sentence stops the block (headlines rarely end with a full
    stop), unless the next line is a section label, a date or a byline, as under a headline.
    """
    for i, line in enumerate(lines):
        if line.rule is None or not line.rule.block:
            continue
        line.label = "related"
        span = lines[i + 1 : i + 1 + _BLOCK_SPAN]
        for j, follower in enumerate(span):
            if follower.rule is not None and not follower.rule.soft:
                break
            if follower.strong or _CLOSED.search(follower.text):
                after = span[j + 1] if j + 1 < len(span) else None
                linked = after is not None and (
                    after.listy
                    or (after.rule is not None and (after.rule.soft or after.rule.reason == "byline"))
                )
                if _CLOSED.search(follower.text) and not linked:
                    break
            follower.label = "related"


def _is_bare_caption(line: Line) -> bool:
    return line.rule is not None and line.rule.reason == "caption" and line.words <= _CREDIT_WORDS


def _captions_itself(text: str, rules: RuleSet) -> bool:
    """Whether a credit line also says what the photo shows ("Photo d'archives. © DR")."""
    credit = rules.credit(text) or ""
    own = [
        w for w in LETTER_WORDS.findall(text.replace(credit, " ")) if w.casefold() not in _CREDIT_WORDS_ONLY
    ]
    return len(own) >= _OWN_CAPTION_WORDS


def _mark_captions(lines: list[Line], start: int, end: int, rules: RuleSet) -> None:
    """The line above a photo credit (past a "1 /3" gallery counter) is that photo's caption.

    Prose between prose lines inside the article is kept even then: losing text is worse.
    """
    first_seen: dict[str, int] = {}
    for line in lines:
        first_seen.setdefault(line.key, line.index)
    first_prose = next((line.index for line in lines if line.strong), None)
    run_start = 0  # first line of the current run of bare caption lines
    for i in range(1, len(lines)):
        below = lines[i]
        if not _is_bare_caption(lines[i - 1]):
            run_start = i - 1
        # Only a bare credit line ("© Jean Dupont / AFP") points at a caption above it, past
        # the other bare credits and counters of its gallery (found in one forward pass).
        credit = _is_bare_caption(below) and rules.credit(below.text) is not None
        j = max(run_start, 0) if credit else i - 1
        above = lines[j]
        glued = below.rule is not None and below.rule.reason == "caption" and below.key.startswith(above.key)
        if credit and not glued and _captions_itself(below.text, rules):
            continue  # "Photo d'archives. © DR" is a caption with its credit: the line above is not
        credit = credit or glued  # the caption repeated with its credit glued on
        repeated = first_seen[above.key] < above.index
        if not credit or above.rule is not None or above.label is not None or repeated:
            continue
        before = lines[j - 1] if j >= 1 else None
        if above.strong and start <= above.index < end and before is not None and before.strong:
            continue
        # A standfirst above the lead photo's credit: longer than captions run, no date. The
        # page's first prose line, under the headline, is one already from a shorter length.
        longest = _MAX_STANDFIRST_CAPTION_WORDS if above.index == first_prose else _MAX_CAPTION_WORDS
        if above.strong and above.words > longest and _CAPTION_CUE.search(above.text) is None:
            continue
        above.label = "caption"


def _find_title(lines: list[Line], start: int, end: int, title_key: str | None) -> int | None:
    """Index of the headline: the given title's first copy, else the headline the lede names."""
    if title_key:
        for line in lines:
            if line.key == title_key:
                return line.index
        return None
    return find_title(lines, start, end)


def _mark_title(lines: list[Line], title_at: int | None) -> int | None:
    """Label the headline's first copy `title`, its other copies `duplicate`; return its index."""
    if title_at is None:
        return None
    title_key = lines[title_at].key
    if not title_key:
        return title_at
    title_at = next(line.index for line in lines if line.key == title_key)
    title_words = len(title_key.split())
    for line in lines:
        if line.label is not None and line.label != "related":
            continue
        if line.key == title_key:
            line.label = "title" if line.index == title_at else "duplicate"
        elif (
            line.words <= title_words + _BREADCRUMB_EXTRA
            and title_key in line.key
            and len(line.key) > len(title_key)
            and not line.strong
            and (line.key.endswith(title_key) or line.key.startswith(title_key))
        ):
            # A breadcrumb ("Accueil Monde <title>") or a share widget repeating the headline.
            line.label = "navigation"
    return title_at


def _is_listing(line: Line | None) -> bool:
    """A date, a time or another headline: what sits next to a headline in a list of articles."""
    if line is None:
        return False
    if line.listy or (line.rule is not None and line.rule.reason in ("byline", "related")):
        return True
    return line.rule is None and line.words >= _PROSE_WORDS and not line.sentence


def _outside_label(lines: list[Line], line: Line, after: bool, rules: RuleSet) -> RemovalReason:
    """Why a line outside the article goes: its rule, else its shape and neighbours."""
    if line.rule is not None:
        return line.rule.reason
    if line.listy:
        return "related"
    if after and line.words >= _STRONG_WORDS and rules.author_bio.search(line.text):
        return "author_bio"
    if line.words >= _STRONG_WORDS:
        return "related"
    previous = lines[line.index - 1] if line.index > 0 else None
    following = lines[line.index + 1] if line.index + 1 < len(lines) else None
    if line.words >= _PROSE_WORDS and not line.sentence and (_is_listing(previous) or _is_listing(following)):
        return "related"
    return "navigation"


def _mark_duplicates(lines: list[Line], start: int, end: int, earlier: list[Line]) -> None:
    """Repeated paragraphs and pull quotes restating a body sentence (with speaker lines).

    `earlier` are lines already kept above the region (a standfirst) that the region may repeat.
    """
    seen = {line.key for line in earlier}
    region = [line for line in lines[start:end] if line.label is None]
    for line in region:
        if line.words >= _MIN_DUPLICATE_WORDS and line.key in seen:
            line.label = "duplicate"
        seen.add(line.key)
    bodies = [line for line in region if line.label is None and line.strong]
    i = 0
    while i < len(region):
        line = region[i]
        i += 1
        if line.label is not None or line.strong or line.words < _MIN_DUPLICATE_WORDS:
            continue
        if not any(line.key in other.key for other in bodies if other is not line):
            continue
        speakers = []
        for follower in region[i : i + 2]:
            if follower.label is not None or follower.words > _SPEAKER_WORDS:
                break
            if not _NAME_LIKE.match(follower.text):
                break
            speakers.append(follower)
        if not speakers:
            # Without a speaker under it, a line restating a quote may be a subheading.
            continue
        line.label = "duplicate"
        for speaker in speakers:
            speaker.label = "duplicate"
        i += len(speakers)


def _mark_kept(lines: list[Line], start: int, end: int) -> None:
    region = lines[start:end]
    # A live blog times its entries, several of them; one lone "01:58" is a video's duration.
    live = sum(_TIMESTAMP.match(line.text) is not None for line in region) >= _LIVE_ENTRIES
    for i, line in enumerate(region):
        if line.label is not None:
            continue
        line.label = line.rule.reason if line.rule is not None and not line.rule.soft else BODY
        following = region[i + 1] if i + 1 < len(region) else None
        if _TIMESTAMP.match(line.text):
            # A live blog's entry time ("18:40", "Il y a 12 min") above the entry is article text.
            entry = following is not None and (following.strong or following.sentence)
            line.label = BODY if live and entry else "navigation"
    buttons: set[int] = set()
    for above, line in itertools.pairwise(region):
        # A widget's buttons under its prompt ("Cet article vous a-t-il été utile ?", Oui, Non)
        # or among a player's controls ("Mute", "/", "Fullscreen") go with the widget.
        button = line.label == BODY and line.words <= _BUTTON_WORDS and not line.sentence
        # Not under an ad marker or a share button: a one-word subheading may follow those.
        if button and (above.label in ("engagement", "navigation") or above.index in buttons):
            line.label = above.label if above.label in ("engagement", "navigation") else "navigation"
            buttons.add(line.index)
    kept = [line for line in region if line.label == BODY]
    for line, after in itertools.pairwise(kept):
        if (
            0 < line.words <= _MAX_HEADING_WORDS
            and not line.strong
            and _PERIOD_END.search(line.text) is None
            and not line.text.endswith(("!", "?"))
            and (after.strong or after.sentence)
        ):
            line.label = HEADING


def _article_region(lines: list[Line], title_key: str | None) -> tuple[int, int]:
    """The [start, end) lines of the article: the densest prose run, widened around it.

    Below the caller's headline when it is in the text; widened to closing sentences, a results
    table and a live blog's first entry time.
    """
    given_at = next((line.index for line in lines if title_key and line.key == title_key), None)
    if given_at is None:
        start, end = _region(lines)
    else:
        # The caller's headline anchors the article: look for its prose below it first.
        start, end = _region(lines[given_at + 1 :])
        start, end = (start + given_at + 1, end + given_at + 1) if end > start else _region(lines)
    if end == start:
        # No prose run at all (a brief, a list): keep whatever no rule claims rather than nothing.
        return 0, len(lines)
    end = _take_table(lines, _extend(lines, end))
    # A live blog's first entry time ("Il y a 12 min") or a match report's score line
    # ("Nantes - Lens : 0-2") stands just above the region it opens.
    while start > 0 and lines[start - 1].label is None:
        above = lines[start - 1]
        opens = _SCORE_LINE.match(above.text) or _DATELINE.match(above.text)
        if not (_TIMESTAMP.match(above.text) or (above.rule is None and opens)):
            break
        start -= 1
    return start, end


def classify(lines: list[Line], rules: RuleSet, title: str | None) -> int | None:
    """Label every line in place; return the index of the title line, if any."""
    _propagate_blocks(lines)
    title_key = word_key(title) if title else None
    start, end = _article_region(lines, title_key)
    _mark_captions(lines, start, end, rules)
    title_at = _find_title(lines, start, end, title_key)
    if title_at is None and title_key:
        # The caller's title is not in the text (an SEO title, say): the page's own headline
        # still is a title line.
        title_at = _find_title(lines, start, end, None)
    title_at = _mark_title(lines, title_at)
    if title_at is not None and start <= title_at < end:
        start = title_at + 1
    standfirst: list[Line] = []
    if title_at is not None and title_at < start:
        # A standfirst between the headline and the byline block is article prose.
        for line in lines[title_at + 1 : start]:
            prose = line.strong or (line.sentence and line.words >= _STANDFIRST_WORDS)
            if prose and line.label is None and line.rule is None and not line.listy:
                line.label = BODY
                standfirst.append(line)
    _mark_authors(lines, title_at, start)
    _mark_duplicates(lines, start, end, standfirst)
    _mark_kept(lines, start, end)
    _mark_signature(lines, end)
    _mark_bio(lines, start, end)
    comments = False
    for line in lines[end:]:
        rule = line.rule
        comments = comments or (rule is not None and rule.barrier and rule.reason == "engagement")
        if line.label is None and comments and rule is None and not line.listy and line.sentence:
            line.label = "engagement"
    for line in lines:
        if line.label is None:
            line.label = _outside_label(lines, line, line.index >= end, rules)
    return title_at


def _mark_authors(lines: list[Line], title_at: int | None, start: int) -> None:
    """Author lines around the headline that no phrase rule knows: bare names, initials, "avec X".

    Sites sign articles "Chloé Moreau", "I.L.", "Inès Faure - Actu24" or "par Claire Benali",
    between the headline and the text, or just above the headline. Lines further up are the
    masthead and menus, whose names ("Dakar Matin") only look like people's.
    """
    first = start - _AUTHOR_REACH if title_at is None else title_at - 1
    # A byline block over the headline (author, then date) is read whole, up to the masthead.
    while first > 0 and title_at is not None and title_at - first < _AUTHOR_REACH and _signs(lines[first]):
        first -= 1
    found = [
        line
        for line in lines[max(0, first) : start]
        if line.label is None and line.rule is None and line.index != title_at and is_author_line(line.text)
    ]
    below = any(title_at is not None and line.index > title_at for line in found)
    for line in found:
        after = lines[line.index + 1] if line.index + 1 < len(lines) else None
        # Over the headline, a name-shaped line is more often a kicker ("Vallée de Joux") than
        # its author: it signs when it says so, heads a byline block, or nothing signs below.
        if (
            title_at is not None
            and line.index < title_at
            and below
            and not signed(line.text)
            and not (after is not None and after.index != title_at and _signs(after))
        ):
            continue
        line.label = "byline"
    # Below a standfirst, the author's name may open the text; a date line next to it says so.
    for line in lines[start : min(len(lines), start + 2 * _AUTHOR_REACH)]:
        if line.label is not None or line.rule is not None or line.strong or not is_author_line(line.text):
            continue
        neighbours = lines[max(0, line.index - 1) : line.index + 2]
        if any(n.rule is not None and n.rule.reason == "byline" for n in neighbours):
            line.label = "byline"


def _mark_signature(lines: list[Line], end: int) -> None:
    """An author signing under the article ("Jean Dupont, à Genève", "— J.D.") is its byline.

    Only the first line after the text counts, past share buttons and ad markers: further down
    are the lists of other articles, whose lines may look like names.
    """
    for line in lines[end : end + _TAIL_GAP + 1]:
        rule = line.rule
        if rule is not None and rule.reason in ("share", "advertisement") and not rule.barrier:
            continue
        short = line.words <= _SIGNATURE_WORDS
        if line.label is None and rule is None and short and is_author_line(line.text):
            line.label = "byline"
        return


def _mark_bio(lines: list[Line], start: int, end: int) -> None:
    """The article's last paragraph opening with its author's name ("Paul Verdier est …") is the bio."""
    names: set[str] = set()
    for line in lines[:start]:
        if line.label == "byline" or (
            line.label is None and line.rule is not None and line.rule.reason == "byline"
        ):
            author = author_part(line.text)
            for found in _FULL_NAME.finditer(author or ""):
                words = found.group(0).split(" ")
                # "Par Paul Verdier" also names "Paul Verdier": every tail of two words or more.
                names.update(" ".join(words[k:]) for k in range(len(words) - 1))
    if not names:
        return
    kept = [line for line in lines[start:end] if line.label == BODY]
    if len(kept) > 1 and any(kept[-1].text.startswith(name + " ") for name in names):
        kept[-1].label = "author_bio"


def _signs(line: Line) -> bool:
    """Whether a line is part of a byline block: a byline or date rule, or an author's shape."""
    if line.rule is not None:
        return line.rule.reason == "byline"
    return line.label in (None, "byline") and is_author_line(line.text)


def _take_table(lines: list[Line], end: int) -> int:
    """Take in a results table right after the article: a short heading, then ranked rows.

    "Le classement après la 21e journée" then "1. Paris SG 53 pts", ...: rows that start with a
    rank and end with a number (points, a score) are the article's standings, not a list of
    links (a most-read list's rows end with words).
    """
    if end >= len(lines):
        return end
    head = lines[end]
    if head.rule is not None or head.words > _MAX_HEADING_WORDS or _PERIOD_END.search(head.text):
        return end
    j = end + 1
    rows = 0
    while j < len(lines) and (_RANK_ROW.match(lines[j].text) or lines[j].text in {"...", "…"}):
        rows += int(_RANK_ROW.match(lines[j].text) is not None)
        j += 1
    if rows < _MIN_TABLE_ROWS:
        return end
    for line in lines[end:j]:
        line.listy = False
    return j


def _extend(lines: list[Line], end: int) -> int:
    """Take in short closing sentences ("Il a refusé."), also past an ad or a share button.

    The text's last line joins too when it is long prose that only lacks its final stop.

    Such lines score too little to join the region on their own.
    """
    while True:
        j = end
        while j < len(lines) and j - end < _TAIL_GAP and lines[j].rule is not None:
            rule = lines[j].rule
            if rule is None or rule.barrier or rule.block or rule.reason not in ("advertisement", "share"):
                break
            j += 1
        nxt = lines[j] if j < len(lines) else None
        if nxt is None or nxt.rule is not None or nxt.listy or nxt.label is not None:
            return end
        # The text's last line, long and prose-like but missing its full stop (an export cut
        # it), is the article's end, not a related headline: losing text is the worse error.
        unpunctuated_end = nxt.index == len(lines) - 1 and nxt.words >= _STRONG_WORDS
        if not (nxt.sentence or unpunctuated_end):
            return end
        if nxt.words <= _SIGNATURE_WORDS and is_author_line(nxt.text):
            return end  # "J.D." or "Jean Dupont." signs the text, it does not close it
        end = j + 1
