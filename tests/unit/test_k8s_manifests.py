"""deploy/k8s/: every manifest validates offline with kubernetes-validate, and sizing follows the bench."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

K8S = Path(__file__).resolve().parents[2] / "deploy" / "k8s"
# The oldest Kubernetes the manifests target (native HPA v2 behaviour, PDB policy/v1).
KUBERNETES_VERSION = "1.30.0"
MANIFESTS = sorted(K8S.glob("*.yaml"))
# Measured per worker (README, Limits and Capacity): resident after the model loads, and the
# extra peak of the worst accepted input.
WORKER_MB = 610
WORST_EXTRA_MB = 411
# Measured for the whole served tree, by its worker count: PSS after 5,000 articles (the workers
# share the model's pages; README, Start-up and workers).
TREE_PSS_MB = {2: 895}
MIB = 1024 * 1024
MB = 1_000_000


def validate(*paths: Path) -> subprocess.CompletedProcess[str]:
    """Run kubernetes-validate (strict: unknown fields are errors) on `paths`, offline."""
    command = [sys.executable, "-m", "kubernetes_validate", "--strict", "-k", KUBERNETES_VERSION]
    return subprocess.run([*command, *map(str, paths)], capture_output=True, text=True, check=False)


def test_every_manifest_is_valid() -> None:
    """The Deployment, Service, HPA and PDB all pass strict schema validation."""
    result = validate(*MANIFESTS)
    kinds = sorted(yaml.safe_load(path.read_text())["kind"] for path in MANIFESTS)
    assert (0, "") == (result.returncode, result.stderr)
    assert len(MANIFESTS) == result.stdout.count(" passed for resource ")
    assert ["Deployment", "HorizontalPodAutoscaler", "PodDisruptionBudget", "Service"] == kinds


def test_a_misspelt_field_fails_validation(tmp_path: Path) -> None:
    """A probe under a misspelt key is refused, so the check above can fail."""
    broken = tmp_path / "deployment.yaml"
    broken.write_text((K8S / "deployment.yaml").read_text().replace("livenessProbe:", "livenesProbe:"))
    result = validate(broken)
    assert 1 == result.returncode
    assert "livenesProbe" in result.stdout + result.stderr


def quantity_bytes(value: str) -> int:
    """Bytes of a Kubernetes memory quantity written in Mi or Gi."""
    units = {"Mi": MIB, "Gi": 1024 * MIB}
    return int(value[:-2]) * units[value[-2:]]


@pytest.fixture(scope="module")
def api() -> dict[str, Any]:
    """The API container of the Deployment."""
    deployment = yaml.safe_load((K8S / "deployment.yaml").read_text())
    container: dict[str, Any] = deployment["spec"]["template"]["spec"]["containers"][0]
    return container


def test_resources_follow_the_measured_worker_memory(api: dict[str, Any]) -> None:
    """One core per worker; requests cover the measured tree, the limit each worker's unshared peak."""
    env = {item["name"]: item.get("value") for item in api["env"]}
    resources = api["resources"]
    workers = int(env["WORKERS"])
    requests, limits = resources["requests"], resources["limits"]
    assert workers == int(requests["cpu"])
    assert quantity_bytes(requests["memory"]) >= TREE_PSS_MB[workers] * MB
    assert quantity_bytes(limits["memory"]) >= workers * (WORKER_MB + WORST_EXTRA_MB) * MB
    assert "cpu" not in limits


def test_probes_use_the_health_routes(api: dict[str, Any]) -> None:
    """Start-up and readiness wait for /health/ready, liveness asks /health/live."""
    probes = ("startupProbe", "readinessProbe", "livenessProbe")
    paths = tuple(api[probe]["httpGet"]["path"] for probe in probes)
    assert ("/health/ready", "/health/ready", "/health/live") == paths
