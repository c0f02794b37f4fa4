"""Stage: the body's sentences, split once after the parse for every stage that reads them.

The quotes and summary stages both work sentence by sentence. The split is theirs in common
(`service.pipeline.text.sentences.split_sentences` keeps it on the Doc), so it is computed here,
with its own line in the timings, rather than inside whichever of them happens to run first:
a stage's timing is then what that stage alone adds.
"""

from __future__ import annotations

from service.pipeline.article import Article, StageResources, need
from service.pipeline.text.sentences import split_sentences

__all__ = ["SentencesStage"]


class SentencesStage:
    """Stage: split the parsed body into sentences (kept on the Doc for the later stages)."""

    name = "sentences"
    version = "1"
    data_files: tuple[str, ...] = ()

    def load(self, resources: StageResources) -> None:
        """Nothing to read: the split uses the parse and the cleaned paragraphs."""

    def __call__(self, article: Article) -> None:
        """Split the body once; quotes and summary read the same sentences from the Doc."""
        cleaned = need(article.cleaned, "the cleaned body")
        split_sentences(need(article.doc, "the parsed body"), cleaned.paragraphs)
