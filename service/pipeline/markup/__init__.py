"""The markup stage: HTML pages and CMS fragments read with a real HTML5 parser (lexbor)."""

from service.pipeline.markup.stage import MarkupStage, read_page

__all__ = ["MarkupStage", "read_page"]
