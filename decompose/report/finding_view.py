"""Findings as the reports show them: labelled, sorted by severity, grouped."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from decompose.model.decomposition import Finding
from decompose.report.labels import SEVERITIES, finding_label, humanize


@dataclass(frozen=True)
class LocationView:
    """A place in the analyzed code."""

    path: str
    line: int
    module: str
    display: str  # path:line


@dataclass(frozen=True)
class FindingView:
    """A finding with a human label for its kind."""

    kind: str
    label: str
    severity: str
    services: tuple[str, ...]
    detail: str
    locations: tuple[LocationView, ...]


@dataclass(frozen=True)
class KindGroup:
    """The findings of one kind within a severity."""

    kind: str
    label: str
    findings: tuple[FindingView, ...]


@dataclass(frozen=True)
class SeverityGroup:
    """The findings of one severity, also grouped by kind (in the same order)."""

    severity: str
    label: str
    findings: tuple[FindingView, ...]
    kinds: tuple[KindGroup, ...] = ()


def build_findings(findings: Iterable[Finding]) -> tuple[FindingView, ...]:
    """Findings from the most to the least severe, then by label, services and detail."""
    views = [
        FindingView(
            kind=f.kind,
            label=finding_label(f.kind),
            severity=f.severity,
            services=f.services,
            detail=f.detail,
            locations=tuple(
                LocationView(loc.path, loc.line, loc.module, f"{loc.path}:{loc.line}")
                for loc in sorted(f.locations, key=lambda loc: (loc.path, loc.line, loc.module))
            ),
        )
        for f in findings
    ]
    return tuple(
        sorted(views, key=lambda f: (severity_rank(f.severity), f.label, f.services, f.detail))
    )


def group_by_severity(findings: tuple[FindingView, ...]) -> tuple[SeverityGroup, ...]:
    """Consecutive groups of one severity; `findings` must come from build_findings."""
    groups: dict[str, list[FindingView]] = {}
    for finding in findings:
        groups.setdefault(finding.severity, []).append(finding)
    return tuple(
        SeverityGroup(severity, humanize(severity), tuple(items), group_by_kind(items))
        for severity, items in groups.items()
    )


def group_by_kind(findings: Iterable[FindingView]) -> tuple[KindGroup, ...]:
    """Findings by kind, kinds in the order of their first finding.

    In each kind the findings with the most places come first: a summary that shows
    a few shows the widest reaching ones.
    """
    kinds: dict[str, list[FindingView]] = {}
    for finding in findings:
        kinds.setdefault(finding.label, []).append(finding)
    return tuple(
        KindGroup(items[0].kind, label, tuple(sorted(items, key=lambda f: -len(f.locations))))
        for label, items in kinds.items()
    )


def severity_rank(severity: str) -> tuple[int, str]:
    """Sort key: known severities by urgency, then unknown ones by name."""
    if severity in SEVERITIES:
        return (SEVERITIES.index(severity), "")
    return (len(SEVERITIES), severity)
