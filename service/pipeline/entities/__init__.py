"""The entities stage: spans repaired, merged into clusters, labelled and ranked by salience."""

from service.pipeline.entities.stage import EntitiesStage, extract_demonym_countries, extract_entities

__all__ = ["EntitiesStage", "extract_demonym_countries", "extract_entities"]
