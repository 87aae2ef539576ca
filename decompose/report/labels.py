"""Human names and one-line explanations for metrics, finding kinds and severities."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MetricInfo:
    """How to present one metric: its label, meaning, and which direction is good."""

    label: str
    explanation: str
    better: str  # "higher", "lower" or "" when neither end is good in itself


# Report-level metrics, in the order the reports list them.
METRICS: dict[str, MetricInfo] = {
    "modularity": MetricInfo(
        "Modularity (Q)",
        "How much more dependency weight stays inside services than chance would put there "
        "(Newman); above 0.3 is a clear structure.",
        "higher",
    ),
    "mq": MetricInfo(
        "Modularization quality (MQ)",
        "Sum over services of internal weight / (internal + half the boundary-crossing weight) "
        "(Bunch); rewards cohesive, loosely coupled services.",
        "higher",
    ),
    "icp": MetricInfo(
        "Inter-service call percentage (ICP)",
        "Share of all dependency weight that crosses a service boundary: the calls that "
        "would become network calls.",
        "lower",
    ),
    "ifn": MetricInfo(
        "Interface number (IFN)",
        "Average number of public API items per service: how wide the contracts are.",
        "lower",
    ),
    "sm": MetricInfo(
        "Structural modularity (SM)",
        "Average cohesion inside services minus average coupling between them.",
        "higher",
    ),
    "ned": MetricInfo(
        "Non-extreme distribution (NED)",
        "Share of modules in services that are neither tiny nor oversized.",
        "higher",
    ),
    "cohesion": MetricInfo(
        "Cohesion",
        "Share of a service's dependency weight that stays inside it.",
        "higher",
    ),
    "coupling": MetricInfo(
        "Coupling",
        "Share of a service's dependency weight that crosses to other services.",
        "lower",
    ),
    "instability": MetricInfo(
        "Instability",
        "Efferent / (afferent + efferent): 0 when only depended upon, 1 when only depending.",
        "",
    ),
    "afferent": MetricInfo("Afferent coupling", "Services that depend on this one.", ""),
    "efferent": MetricInfo("Efferent coupling", "Services this one depends on.", ""),
}

FINDING_KINDS: dict[str, str] = {
    "service_cycle": "Cycle between services",
    "shared_table": "Table shared by services",
    "cross_service_fk": "Foreign key across services",
    "distributed_transaction": "Transaction spanning services",
    "chatty_pair": "Chatty pair of services",
    "oversized_service": "Oversized service",
    "tiny_service": "Tiny service",
}

# Severities from the most to the least urgent; unknown ones sort after these.
SEVERITIES: tuple[str, ...] = ("high", "medium", "low")


def metric_info(key: str) -> MetricInfo:
    """The presentation of a metric; unknown keys get a label made from the key."""
    return METRICS.get(key) or MetricInfo(humanize(key), "", "")


def finding_label(kind: str) -> str:
    """The human name of a finding kind."""
    return FINDING_KINDS.get(kind) or humanize(kind)


def humanize(key: str) -> str:
    """`chatty_pair` -> `Chatty pair`."""
    words = key.replace("_", " ").replace("-", " ").split()
    return " ".join(words).capitalize() if words else key
