"""Kubernetes manifests: the Pod Security "restricted" profile, disruption budget and autoscaler."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from decompose.model import Decomposition
from decompose.scaffold import plan_scaffold

FIXTURE = Path(__file__).parents[2] / "fixtures" / "scaffold" / "decomposition.json"
# Volume types the restricted profile allows.
RESTRICTED_VOLUMES = {
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "persistentVolumeClaim",
    "projected",
    "secret",
}


def _manifests() -> dict[str, list[dict[str, Any]]]:
    plan = plan_scaffold(
        Decomposition.model_validate_json(FIXTURE.read_text(encoding="utf-8")), Path("out")
    )
    return {
        f.relpath: list(yaml.safe_load_all(f.content))
        for f in plan.files
        if f.relpath.startswith("deploy/k8s/") and f.relpath.count("/") == 2
    }


MANIFESTS = _manifests()


def restricted_violations(pod: dict[str, Any]) -> list[str]:
    """What in a pod spec breaks the Pod Security "restricted" profile (Kubernetes 1.30)."""
    found = []
    pod_context = pod.get("securityContext", {})
    for key in ("hostNetwork", "hostPID", "hostIPC"):
        if pod.get(key):
            found.append(key)
    for volume in pod.get("volumes", []):
        if not set(volume) - {"name"} <= RESTRICTED_VOLUMES:
            found.append(f"volume {volume['name']}")
    for container in pod.get("initContainers", []) + pod["containers"]:
        context = container.get("securityContext", {})
        name = container["name"]
        if context.get("privileged"):
            found.append(f"{name}: privileged")
        if context.get("allowPrivilegeEscalation") is not False:
            found.append(f"{name}: allowPrivilegeEscalation")
        if not (context.get("runAsNonRoot") or pod_context.get("runAsNonRoot")):
            found.append(f"{name}: runAsNonRoot")
        if 0 in (context.get("runAsUser"), pod_context.get("runAsUser")):
            found.append(f"{name}: runAsUser 0")
        seccomp = context.get("seccompProfile", pod_context.get("seccompProfile", {}))
        if seccomp.get("type") not in ("RuntimeDefault", "Localhost"):
            found.append(f"{name}: seccompProfile")
        capabilities = context.get("capabilities", {})
        if "ALL" not in capabilities.get("drop", []):
            found.append(f"{name}: capabilities.drop")
        if set(capabilities.get("add", [])) - {"NET_BIND_SERVICE"}:
            found.append(f"{name}: capabilities.add")
        if any(port.get("hostPort") for port in container.get("ports", [])):
            found.append(f"{name}: hostPort")
    return found


def test_the_check_finds_what_the_profile_forbids() -> None:
    pod = {"hostNetwork": True, "containers": [{"name": "app", "securityContext": {}}]}

    assert len(restricted_violations(pod)) == 5


@pytest.mark.parametrize("relpath", sorted(MANIFESTS))
def test_pods_pass_the_restricted_profile_with_a_read_only_root(relpath: str) -> None:
    (deployment,) = [d for d in MANIFESTS[relpath] if d["kind"] == "Deployment"]
    pod = deployment["spec"]["template"]["spec"]

    assert restricted_violations(pod) == []
    assert all(c["securityContext"]["readOnlyRootFilesystem"] for c in pod["containers"])
    assert pod["automountServiceAccountToken"] is False


@pytest.mark.parametrize("relpath", sorted(MANIFESTS))
def test_each_service_has_a_disruption_budget_and_an_autoscaler(relpath: str) -> None:
    by_kind = {d["kind"]: d for d in MANIFESTS[relpath]}
    labels = by_kind["Deployment"]["spec"]["selector"]["matchLabels"]

    assert sorted(by_kind) == [
        "Deployment",
        "HorizontalPodAutoscaler",
        "PodDisruptionBudget",
        "Service",
    ]
    budget = by_kind["PodDisruptionBudget"]["spec"]
    assert budget["selector"]["matchLabels"] == labels
    assert budget["minAvailable"] < by_kind["HorizontalPodAutoscaler"]["spec"]["minReplicas"]
    target = by_kind["HorizontalPodAutoscaler"]["spec"]["scaleTargetRef"]
    deployment = by_kind["Deployment"]["metadata"]["name"]
    assert (target["kind"], target["name"]) == ("Deployment", deployment)
