"""decompose: break a Python monolith into candidate microservices."""

__version__ = "0.1.0"

from decompose.api import Analysis, analyze, analyze_graph

__all__ = ["Analysis", "__version__", "analyze", "analyze_graph"]
