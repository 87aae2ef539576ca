"""Finding detectors, one per anti-pattern kind, picked from a registry."""

from decompose.config import FindingThresholds
from decompose.metrics.findings.base import Detector, FindingContext
from decompose.metrics.findings.registry import DETECTORS, find_all

__all__ = ["DETECTORS", "Detector", "FindingContext", "FindingThresholds", "find_all"]
