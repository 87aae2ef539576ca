"""decompose: break a Python monolith into candidate microservices."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from decompose.api import Analysis, analyze, analyze_graph

__all__ = ["Analysis", "__version__", "analyze", "analyze_graph"]


def __getattr__(name: str) -> Any:
    """The public API, imported on first use: a worker or a submodule need not load it all."""
    if name in ("Analysis", "analyze", "analyze_graph"):
        from decompose import api

        return getattr(api, name)
    raise AttributeError(f"module 'decompose' has no attribute {name!r}")
