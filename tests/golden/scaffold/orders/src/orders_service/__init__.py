"""The orders service, extracted from the monolith by decompose."""

__version__ = "0.1.0"
