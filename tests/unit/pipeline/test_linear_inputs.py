"""Inputs that used to cost quadratic time now have a bounded shape (issue 20's reproducers, small)."""

from __future__ import annotations

import spacy
from spacy.language import Language

from service.pipeline.normalize import MAX_MARKS, normalize
from service.pipeline.text.runs import MAX_SYMBOL_RUN, break_symbol_runs


def test_a_run_of_symbols_is_a_few_tokens(nlp: Language) -> None:
    """3,000 "(" or emoji after prose make a handful of tokens, not one per character."""
    for run in ("(" * 3_000, "\U0001f600" * 3_000, "()«»-.,;:!?" * 300):
        body = break_symbol_runs(f"Le maire parle. {run} Fin.")
        assert len(nlp.make_doc(body)) <= 10 + len(run) // MAX_SYMBOL_RUN


def test_short_symbol_groups_tokenize_as_before(nlp: Language) -> None:
    """Ordinary punctuation splits exactly as spaCy's own French tokenizer splits it."""
    text = "« Vraiment ?! » (dit-il)... Oui. Et « ça » : 12,5 % — « non » !!! https://exemple.fr/a?b=c"
    assert [t.text for t in spacy.blank("fr").make_doc(text)] == [t.text for t in nlp.make_doc(text)]


def test_stacked_combining_marks_are_capped() -> None:
    """A letter with 10,000 combining marks keeps at most MAX_MARKS of them, offsets still mapped."""
    raw = "Un e" + "\u0301\u0316" * 5_000 + " final."
    text = normalize(raw)
    assert len(text.text) <= len("Un e final.") + MAX_MARKS
    assert text.text.endswith(" final.")
    assert raw[text.to_input(len(text.text) - 6) :] == "final."


def test_symbol_runs_are_broken_with_spaces_only() -> None:
    """Breaking a run only adds spaces: removing them gives the run back."""
    run = "(" * 100
    broken = break_symbol_runs(f"a {run} b")
    assert run == broken[2:-2].replace(" ", "")
    assert all(len(piece) <= MAX_SYMBOL_RUN for piece in broken[2:-2].split())
