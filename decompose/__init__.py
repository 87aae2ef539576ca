"""decompose: break a Python monolith into candidate microservices."""

from decompose.api import Analysis, analyze_graph

__version__ = "0.1.0"

__all__ = ["Analysis", "__version__", "analyze_graph"]
