"""Finding detectors, one per anti-pattern kind, picked from a registry."""

from decompose.config import FindingThresholds
from decompose.metrics.findings.base import Detector, FindingContext
from decompose.metrics.findings.registry import (
    DETECTORS,
    SEVERITIES,
    fail_on_conditions,
    find_all,
    matching,
)

__all__ = [
    "DETECTORS",
    "SEVERITIES",
    "Detector",
    "FindingContext",
    "FindingThresholds",
    "fail_on_conditions",
    "find_all",
    "matching",
]
