"""The topics stage: IPTC Media Topics with calibrated scores and confident subtopics."""

from service.pipeline.topics.stage import TopicClassifier, TopicsStage

__all__ = ["TopicClassifier", "TopicsStage"]
