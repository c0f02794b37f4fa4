"""The clean stage: article lines kept, clutter lines removed with a reason, metadata read."""

from service.pipeline.clean.stage import PARAGRAPH_SEPARATOR, Cleaned, CleanStage, clean

__all__ = ["PARAGRAPH_SEPARATOR", "CleanStage", "Cleaned", "clean"]
