"""Phrase rules of the clean stage, loaded once from `service/data/boilerplate.json`."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from service.data import DATA_DIR
from service.model import RemovalReason

__all__ = ["DATA_FILE", "Rule", "RuleSet", "load_rules"]

DATA_FILE = DATA_DIR / "boilerplate.json"


@dataclass(frozen=True, slots=True)
class Rule:
    """One phrase pattern: the removal reason it gives and where it may apply."""

    reason: RemovalReason
    pattern: re.Pattern[str]
    max_words: int
    needles: re.Pattern[str] | None
    case: bool
    barrier: bool
    block: bool
    soft: bool
    inline: bool


@dataclass(frozen=True, slots=True)
class RuleSet:
    """Every rule in file order (the first match wins) plus the metadata patterns."""

    rules: tuple[Rule, ...]
    credits: tuple[re.Pattern[str], ...]
    author_bio: re.Pattern[str]

    def match(self, text: str, folded: str, words: int) -> Rule | None:
        """Return the first rule matching a line of `words` words, or None."""
        for rule in self.rules:
            if words > rule.max_words:
                continue
            # A literal pre-check is far cheaper than an unanchored regex search.
            if rule.needles is not None and rule.needles.search(folded) is None:
                continue
            if rule.pattern.search(text if rule.case else folded):
                return rule
        return None

    def credit(self, text: str) -> str | None:
        """The photo credit a caption line names ("© Jean Dupont / AFP" gives "Jean Dupont / AFP")."""
        for pattern in self.credits:
            found = pattern.search(text)
            if found is not None:
                return found.group("credit").strip(" .,;:") or None
        return None


def _literals(needles: list[str]) -> re.Pattern[str] | None:
    return re.compile("|".join(map(re.escape, needles))) if needles else None


def load_rules(path: Path = DATA_FILE) -> RuleSet:
    """Read and compile the phrase rules (the clean stage does it once per process)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    rules = tuple(
        Rule(
            reason=cast(RemovalReason, item["reason"]),
            pattern=re.compile(item["pattern"]),
            max_words=int(item["max_words"]),
            needles=_literals(item.get("needles", ())),
            case=bool(item.get("case", False)),
            barrier=bool(item.get("barrier", False)),
            block=bool(item.get("block", False)),
            soft=bool(item.get("soft", False)),
            inline=bool(item.get("inline", False)),
        )
        for item in data["rules"]
    )
    credits = tuple(re.compile(p, re.IGNORECASE) for p in data["credit_patterns"])
    return RuleSet(rules=rules, credits=credits, author_bio=re.compile(data["author_bio"], re.IGNORECASE))
