"""Reproducible builders of the model and data files shipped in service/data/."""
