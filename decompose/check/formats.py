"""A check's result for people and for machines: text, JSON, SARIF 2.1.0, GitHub annotations."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

from decompose.check.baseline import Ratchet
from decompose.model.boundaries import Rule, Severity, Violation

CHECK_FORMATS = ("text", "json", "sarif", "github")
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"

# What each rule means, for SARIF's rule list and the text summary.
RULE_HELP = {
    Rule.INTERNAL_USE: "Code of another service used outside its public API.",
    Rule.UNDECLARED_DEPENDENCY: "A dependency on a service that depends_on does not allow.",
    Rule.KERNEL_USES_SERVICE: "The shared kernel depends on a service.",
    Rule.SERVICE_CYCLE: "Services that depend on each other in a cycle.",
    Rule.CROSS_SERVICE_FK: "A foreign key or relationship to another service's model.",
    Rule.SHARED_TABLE: "A model or table used by several services.",
    Rule.DISTRIBUTED_TRANSACTION: "One transaction writing the data of several services.",
}


@dataclass(frozen=True)
class CheckResult:
    """The violations of a check against the baseline, and the modules no boundary covers."""

    root: str
    ratchet: Ratchet
    unassigned: tuple[str, ...] = ()
    baseline: str = ""  # where the baseline is ("" for none)
    version: str = ""  # of the decompose that checked

    @property
    def failed(self) -> bool:
        """Whether a new violation is an error (warnings never fail a check)."""
        return any(v.severity is Severity.ERROR for v in self.ratchet.new)

    def summary(self) -> str:
        """One line: how many violations are left, how many are new, how many fixed."""
        r = self.ratchet
        total = len(r.new) + len(r.known)
        errors = sum(1 for v in r.new if v.severity is Severity.ERROR)
        parts = [f"{_count(total, 'violation')}: {len(r.new)} new ({_count(errors, 'error')})"]
        if self.baseline:
            parts.append(f"{len(r.known)} in the baseline, {len(r.fixed)} fixed since it")
        if self.unassigned:
            parts.append(f"{_count(len(self.unassigned), 'module')} in no service")
        return "; ".join(parts)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def render_check(result: CheckResult, fmt: str) -> str:
    """The result in one of CHECK_FORMATS."""
    return {"text": _text, "json": _json, "sarif": _sarif, "github": _github}[fmt](result)


def _text(result: CheckResult) -> str:
    lines = []
    for v in result.ratchet.new:
        lines.append(f"{v.path}:{v.line}: {v.severity.value} [{v.rule.value}] {v.message}")
        if v.hint:
            lines.append(f"    fix: {v.hint}")
    for key in _counted(result.ratchet.fixed):
        lines.append(f"fixed: {key}")
    if result.unassigned:
        shown = ", ".join(result.unassigned[:5])
        more = len(result.unassigned) - 5
        lines.append(f"in no service: {shown}{f' and {more} more' if more > 0 else ''}")
    lines.append(result.summary())
    return "\n".join(lines) + "\n"


def _counted(keys: tuple[str, ...]) -> list[str]:
    counts = Counter(keys)
    return [key if n == 1 else f"{key} (x{n})" for key, n in sorted(counts.items())]


def _json(result: CheckResult) -> str:
    r = result.ratchet
    data = {
        "root": result.root,
        "summary": result.summary(),
        "failed": result.failed,
        "new": [v.model_dump(mode="json") for v in r.new],
        "known": [v.model_dump(mode="json") for v in r.known],
        "fixed": list(r.fixed),
        "unassigned": list(result.unassigned),
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _sarif(result: CheckResult) -> str:
    rules = sorted({v.rule for v in (*result.ratchet.new, *result.ratchet.known)}, key=str)
    results = [_sarif_result(v, "new") for v in result.ratchet.new]
    results += [_sarif_result(v, "unchanged") for v in result.ratchet.known]
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "decompose",
                        "version": result.version or "unknown",
                        "rules": [
                            {
                                "id": rule.value,
                                "shortDescription": {"text": RULE_HELP[rule]},
                            }
                            for rule in rules
                        ],
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _sarif_result(violation: Violation, state: str) -> dict[str, object]:
    text = violation.message + (f" Fix: {violation.hint}." if violation.hint else "")
    return {
        "ruleId": violation.rule.value,
        "level": "error" if violation.severity is Severity.ERROR else "warning",
        "message": {"text": text},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": violation.path or violation.module},
                    "region": {"startLine": max(violation.line, 1)},
                }
            }
        ],
        "partialFingerprints": {"decompose/v1": violation.key},
        "baselineState": state,
    }


def _github(result: CheckResult) -> str:
    lines = []
    for v in result.ratchet.new:
        level = "error" if v.severity is Severity.ERROR else "warning"
        text = v.message + (f" Fix: {v.hint}." if v.hint else "")
        lines.append(
            f"::{level} file={_property(v.path)},line={max(v.line, 1)},"
            f"title={_property(v.rule.value)}::{_data(text)}"
        )
    lines.append(result.summary())
    return "\n".join(lines) + "\n"


def _data(text: str) -> str:
    """A workflow command's message, escaped as GitHub requires."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    """A workflow command's property value, escaped as GitHub requires."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")
