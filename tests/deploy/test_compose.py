"""compose.yaml: valid against the Compose Specification's JSON schema, and wired as intended.

The schema is the one check-jsonschema ships (`vendor.compose-spec`), so no network is needed.
"""

from __future__ import annotations

import re
import subprocess
import sys
from typing import Any

import pytest
import yaml

from tests.deploy.images import IMAGES, MODULES, ROOT

COMPOSE_FILE = ROOT / "compose.yaml"
COMPOSE: dict[str, Any] = yaml.safe_load(COMPOSE_FILE.read_text())
SERVICES: dict[str, Any] = COMPOSE["services"]


def test_compose_file_matches_the_compose_specification() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.compose-spec",
            str(COMPOSE_FILE),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("service", MODULES)
def test_each_service_is_built_from_its_dockerfile(service: str) -> None:
    build = SERVICES[service]["build"]
    assert build["context"] == "."
    assert (ROOT / build["dockerfile"]).resolve() == IMAGES[service].path


@pytest.mark.parametrize("service", MODULES)
def test_health_checks_ask_the_service_itself(service: str) -> None:
    """gRPC health (or the gateway's /readyz) on the port the image listens on."""
    test = SERVICES[service]["healthcheck"]["test"]
    assert test[:4] == ["CMD", "python", "-m", "voice_core.healthcheck"]
    assert test[4].endswith(f"127.0.0.1:{IMAGES[service].exposed_port}") or test[4].startswith(
        f"http://127.0.0.1:{IMAGES[service].exposed_port}/"
    )


def test_services_wait_for_what_they_need() -> None:
    healthy = {name for name, spec in SERVICES.items() if "healthcheck" in spec}
    for name, spec in SERVICES.items():
        for dependency, condition in spec.get("depends_on", {}).items():
            assert dependency in SERVICES, f"{name} depends on unknown {dependency}"
            expected = (
                "service_healthy" if dependency in healthy else "service_completed_successfully"
            )
            assert condition == {"condition": expected}, (name, dependency)
    migrate = SERVICES["migrate"]
    assert migrate["image"] == SERVICES["scheduler"]["image"]
    assert migrate["command"][-1] == "/app/migrations"
    assert "supabase/migrations" in IMAGES["scheduler"].copied_sources
    for name in ("ingest", "notify", "scheduler"):
        assert "migrate" in SERVICES[name]["depends_on"]


def test_transcription_and_scheduling_run_twice_behind_one_name() -> None:
    assert SERVICES["transcribe"]["deploy"]["replicas"] == 2
    assert SERVICES["scheduler"]["deploy"]["replicas"] == 2
    # One DNS name answering with every replica; gRPC round robin spreads the calls.
    assert SERVICES["scheduler"]["environment"]["TRANSCRIBE_ADDR"] == "dns:///transcribe:50052"
    assert "ports" not in SERVICES["transcribe"], "replicas cannot share a published port"


def test_required_settings_are_marked_and_volumes_are_named() -> None:
    text = COMPOSE_FILE.read_text()
    for variable in ("POSTGRES_PASSWORD", "INTERNAL_AUTH_TOKEN"):
        assert f"${{{variable}:?" in text
    declared = set(COMPOSE["volumes"])
    for spec in SERVICES.values():
        for volume in spec.get("volumes", []):
            assert volume.split(":")[0] in declared, volume


def test_no_cpu_quota_above_what_a_one_cpu_host_has_by_default() -> None:
    """Docker refuses `cpus` above the host's CPU count; more must be asked for in .env."""
    for name, spec in SERVICES.items():
        if "cpus" in spec:
            default = re.fullmatch(r"\$\{(\w+):-([\d.]+)\}", str(spec["cpus"]))
            assert default, f"{name}: cpus is fixed at {spec['cpus']}"
            assert float(default[2]) <= 1
            assert f"\n{default[1]}={default[2]}\n" in (ROOT / ".env.example").read_text()
