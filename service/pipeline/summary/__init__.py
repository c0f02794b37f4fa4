"""The summary stage: repaired French sentences scored by a fitted model, picked with MMR."""

from service.pipeline.summary.stage import SummaryModel, SummaryStage, load_summary_model, summarize

__all__ = ["SummaryModel", "SummaryStage", "load_summary_model", "summarize"]
