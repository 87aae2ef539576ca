"""The report's overview: headline numbers, settings and metrics, with their labels."""

from __future__ import annotations

from dataclasses import dataclass

from decompose.model.decomposition import Decomposition, Service
from decompose.report.finding_view import FindingView
from decompose.report.formatting import format_number, plural
from decompose.report.labels import METRICS, metric_info


@dataclass(frozen=True)
class MetricView:
    """One metric with its label, formatted value and meaning."""

    key: str
    label: str
    value: float
    display: str
    explanation: str
    better: str


@dataclass(frozen=True)
class SettingView:
    """One setting the decomposition was made with."""

    label: str
    value: str


@dataclass(frozen=True)
class SummaryView:
    """The headline numbers."""

    modules: int
    loc: int
    services: int
    shared: int
    dependencies: int
    findings: int
    findings_by_severity: tuple[tuple[str, int], ...]
    skipped: int


def metric_view(key: str, value: float) -> MetricView:
    """A metric with its label and explanation."""
    info = metric_info(key)
    return MetricView(key, info.label, value, format_number(value), info.explanation, info.better)


def ordered_metrics(metrics: dict[str, float]) -> list[tuple[str, float]]:
    """Known metrics in their usual order, then any others by key."""
    known = [(key, metrics[key]) for key in METRICS if key in metrics]
    return known + sorted((k, v) for k, v in metrics.items() if k not in METRICS)


def service_metrics(service: Service) -> tuple[MetricView, ...]:
    """A service's cohesion, coupling, instability and fan-in/out."""
    m = service.metrics
    return tuple(
        metric_view(key, value)
        for key, value in (
            ("cohesion", m.cohesion),
            ("coupling", m.coupling),
            ("instability", m.instability),
            ("afferent", float(m.afferent)),
            ("efferent", float(m.efferent)),
        )
    )


def settings_view(decomposition: Decomposition) -> tuple[SettingView, ...]:
    """The settings the decomposition was made with, as the reports list them."""
    s = decomposition.settings
    rows = [SettingView("Algorithm", s.algorithm), SettingView("Seed", str(s.seed))]
    if s.resolution is not None:
        rows.append(SettingView("Resolution", format_number(s.resolution)))
    if s.services is not None:
        rows.append(SettingView("Target services", str(s.services)))
    rows.append(SettingView("Level", s.level))
    if s.git_commits is not None:
        rows.append(SettingView("Co-change history", plural(s.git_commits, "commit")))
    if s.weights:
        weights = ", ".join(f"{k}={format_number(v)}" for k, v in sorted(s.weights.items()))
        rows.append(SettingView("Weights", weights))
    return tuple(rows)


def summary_view(decomposition: Decomposition, findings: tuple[FindingView, ...]) -> SummaryView:
    """The headline numbers."""
    counts: dict[str, int] = {}
    for finding in findings:
        counts[finding.severity] = counts.get(finding.severity, 0) + 1
    return SummaryView(
        modules=len(decomposition.modules),
        loc=sum(m.loc for m in decomposition.modules),
        services=len(decomposition.services),
        shared=len(decomposition.shared),
        dependencies=len(decomposition.dependencies),
        findings=len(findings),
        findings_by_severity=tuple(counts.items()),
        skipped=len(decomposition.skipped_files),
    )
