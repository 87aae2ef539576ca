"""The detectors by name, and `find_all` that runs them over a decomposition."""

from __future__ import annotations

from collections.abc import Collection, Iterable

import networkx as nx

from decompose.config import FindingThresholds
from decompose.errors import ConfigError
from decompose.metrics.findings.base import (
    SEVERITY_ORDER,
    Detector,
    FindingContext,
    finding_key,
)
from decompose.metrics.findings.chatty_pair import ChattyPairDetector
from decompose.metrics.findings.cross_service_fk import CrossServiceForeignKeyDetector
from decompose.metrics.findings.cycles import ServiceCycleDetector
from decompose.metrics.findings.distributed_transaction import DistributedTransactionDetector
from decompose.metrics.findings.oversized_service import OversizedServiceDetector
from decompose.metrics.findings.shared_model import SharedModelDetector
from decompose.metrics.findings.shared_table import SharedTableDetector
from decompose.metrics.findings.tiny_service import TinyServiceDetector
from decompose.metrics.services import Partition
from decompose.model import Finding

DETECTORS: dict[str, Detector] = {
    detector.name: detector
    for detector in (
        ServiceCycleDetector(),
        SharedModelDetector(),
        SharedTableDetector(),
        CrossServiceForeignKeyDetector(),
        DistributedTransactionDetector(),
        ChattyPairDetector(),
        OversizedServiceDetector(),
        TinyServiceDetector(),
    )
}

SEVERITIES: tuple[str, ...] = tuple(SEVERITY_ORDER)


def find_all(
    graph: nx.DiGraph,
    partition: Partition,
    thresholds: FindingThresholds | None = None,
    *,
    kinds: Iterable[str] | None = None,
) -> tuple[Finding, ...]:
    """Run the detectors over a decomposition and return their findings in a fixed order.

    Findings are sorted by severity (high first), kind, services, locations and detail.

    Args:
        graph: The module dependency graph from `build_graph`.
        partition: Module -> service name, or None for the shared kernel.
        thresholds: Limits for the size and chattiness detectors (defaults if None).
        kinds: Names of the detectors to run (all of `DETECTORS` if None).

    Raises:
        ConfigError: `kinds` names a detector that does not exist.
    """
    selected = sorted(DETECTORS) if kinds is None else sorted(set(kinds))
    unknown = [kind for kind in selected if kind not in DETECTORS]
    if unknown:
        raise ConfigError(
            f"unknown finding kind(s): {', '.join(unknown)}; known: {', '.join(sorted(DETECTORS))}"
        )
    context = FindingContext(graph, partition, thresholds or FindingThresholds())
    findings = [finding for kind in selected for finding in DETECTORS[kind].find(context)]
    return tuple(sorted(findings, key=finding_key))


def fail_on_conditions(values: Iterable[str]) -> frozenset[str]:
    """The finding kinds and severities a run fails on, read in any case.

    A name that is neither would make the gate match nothing, silently: it is refused.

    Raises:
        ConfigError: a value is neither a kind of `DETECTORS` nor one of `SEVERITIES`;
            the message lists the valid ones.
    """
    conditions = frozenset(value.strip().lower() for value in values)
    unknown = sorted(conditions - DETECTORS.keys() - set(SEVERITIES))
    if unknown:
        raise ConfigError(
            f"fail_on: unknown finding kind or severity {', '.join(repr(u) for u in unknown)}; "
            f"kinds: {', '.join(sorted(DETECTORS))}; severities: {', '.join(SEVERITIES)}"
        )
    return conditions


def matching(findings: Iterable[Finding], conditions: Collection[str]) -> list[Finding]:
    """The findings whose kind or severity is one of `conditions` (from fail_on_conditions)."""
    return [f for f in findings if f.kind in conditions or f.severity in conditions]
