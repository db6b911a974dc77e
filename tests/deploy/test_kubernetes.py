"""The Kubernetes manifests: rendered by kustomize, valid against the API schemas, sound.

kustomize is the one built into kubectl; kubernetes-validate checks each rendered object
against the OpenAPI schemas of the oldest Kubernetes we support and of the newest it knows.
"""

from __future__ import annotations

import shutil
import subprocess
from functools import cache
from typing import Any

import kubernetes_validate
import pytest
import yaml

from tests.deploy.images import IMAGES, MODULES, ROOT

KUSTOMIZATIONS = {
    "base": ROOT / "deploy" / "kubernetes" / "base",
    "production": ROOT / "deploy" / "kubernetes" / "overlays" / "production",
}
# Native gRPC probes are generally available from Kubernetes 1.27 on.
KUBERNETES_VERSIONS = ["1.27", kubernetes_validate.latest_version()]
SECRET = "voice-agent-secrets"
DEFAULT_SHUTDOWN_GRACE_S = 10


@cache
def render(name: str) -> list[dict[str, Any]]:
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip("kubectl, whose built-in kustomize renders the manifests, is not installed")
    rendered = subprocess.run(
        [kubectl, "kustomize", str(KUSTOMIZATIONS[name])],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    return [document for document in yaml.safe_load_all(rendered) if document]


def objects(name: str, kind: str) -> dict[str, dict[str, Any]]:
    return {o["metadata"]["name"]: o for o in render(name) if o["kind"] == kind}


def containers(deployment: dict[str, Any]) -> list[dict[str, Any]]:
    pod = deployment["spec"]["template"]["spec"]
    return [*pod.get("initContainers", []), *pod["containers"]]


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
@pytest.mark.parametrize("name", KUSTOMIZATIONS)
def test_every_object_matches_the_kubernetes_api_schema(name: str, version: str) -> None:
    for document in render(name):
        kubernetes_validate.validate(document, version, strict=True)


@pytest.mark.parametrize("name", KUSTOMIZATIONS)
def test_each_service_runs_its_image_with_probes_limits_and_no_root(name: str) -> None:
    deployments = objects(name, "Deployment")
    assert set(deployments) == set(MODULES)
    for service, deployment in deployments.items():
        pod = deployment["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        (main,) = pod["containers"]
        assert main["image"].split(":")[0].endswith(f"voice-agent/{service}")
        port = IMAGES[service].exposed_port
        assert main["ports"][0]["containerPort"] == port
        for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
            if service == "gateway":
                assert main[probe]["httpGet"]["port"] == "http"
            else:
                assert main[probe]["grpc"] == {"port": port}, (service, probe)
        for container in containers(deployment):
            assert {"cpu", "memory"} <= set(container["resources"]["requests"])
            assert {"cpu", "memory"} <= set(container["resources"]["limits"])
            assert container["securityContext"]["readOnlyRootFilesystem"] is True
            assert container["securityContext"]["allowPrivilegeEscalation"] is False


@pytest.mark.parametrize("name", KUSTOMIZATIONS)
def test_pods_outlive_their_shutdown_grace(name: str) -> None:
    """The kubelet's SIGKILL comes after the scheduler has handed its requests back."""
    for deployment in objects(name, "Deployment").values():
        pod = deployment["spec"]["template"]["spec"]
        env = {e["name"]: e.get("value") for e in pod["containers"][0].get("env", [])}
        grace = float(env.get("SHUTDOWN_GRACE_S") or DEFAULT_SHUTDOWN_GRACE_S)
        assert pod["terminationGracePeriodSeconds"] > grace
    scheduler = objects(name, "Deployment")["scheduler"]["spec"]["template"]["spec"]
    assert scheduler["initContainers"][0]["command"][-1] == "/app/migrations"


@pytest.mark.parametrize("name", KUSTOMIZATIONS)
def test_transcription_is_headless_and_autoscaled_on_cpu(name: str) -> None:
    service = objects(name, "Service")["transcribe"]
    assert service["spec"]["clusterIP"] == "None"
    (autoscaler,) = objects(name, "HorizontalPodAutoscaler").values()
    assert autoscaler["spec"]["scaleTargetRef"]["name"] == "transcribe"
    assert autoscaler["spec"]["minReplicas"] >= 2
    (metric,) = autoscaler["spec"]["metrics"]
    assert metric["resource"]["name"] == "cpu"
    deployment = objects(name, "Deployment")["transcribe"]
    assert "replicas" not in deployment["spec"], "the autoscaler owns the replica count"
    # Whisper sizes its threads to the CPU quota, and utilization is relative to the request.
    resources = deployment["spec"]["template"]["spec"]["containers"][0]["resources"]
    assert resources["requests"]["cpu"] == resources["limits"]["cpu"]
    config = next(iter(objects(name, "ConfigMap").values()))["data"]
    assert config["TRANSCRIBE_ADDR"] == "dns:///transcribe:50052"


@pytest.mark.parametrize("name", KUSTOMIZATIONS)
def test_every_service_has_a_disruption_budget(name: str) -> None:
    budgets = objects(name, "PodDisruptionBudget")
    for service, deployment in objects(name, "Deployment").items():
        selector = deployment["spec"]["selector"]
        assert budgets[service]["spec"]["selector"] == selector


@pytest.mark.parametrize("name", KUSTOMIZATIONS)
def test_secrets_come_only_from_the_secret(name: str) -> None:
    config = next(iter(objects(name, "ConfigMap").values()))["data"]
    assert not [key for key in config if key.endswith(("_KEY", "_SECRET", "_TOKEN"))]
    assert not objects(name, "Secret"), "secrets are created out of band, never committed"
    for deployment in objects(name, "Deployment").values():
        for container in containers(deployment):
            from_secret = {
                variable["name"]: variable["valueFrom"]["secretKeyRef"]
                for variable in container.get("env", [])
                if "valueFrom" in variable
            }
            assert all(reference["name"] == SECRET for reference in from_secret.values())
            uses_database = container["name"] in ("ingest", "notify", "scheduler", "migrate")
            assert ("DATABASE_URL" in from_secret) == uses_database, container["name"]
            if container["name"] != "migrate":
                assert "INTERNAL_AUTH_TOKEN" in from_secret, container["name"]


def test_production_pins_images_and_has_its_namespace() -> None:
    for deployment in objects("production", "Deployment").values():
        for container in containers(deployment):
            assert not container["image"].startswith("voice-agent/"), "no registry set"
            assert ":" in container["image"], "no tag set"
    for document in render("production"):
        if document["kind"] != "Namespace":
            assert document["metadata"]["namespace"] == "voice-agent", document["kind"]
