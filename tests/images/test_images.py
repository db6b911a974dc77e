"""`make test-images`: the five images, built and run by Docker Compose as an operator would.

Not part of `make test` (it skips here without VOICE_AGENT_TEST_IMAGES=1): it needs a Docker
engine with Compose v2 and the base images; on a machine without Docker Hub,
../shared/docker-standins/build.sh starts Debian's engine and builds stand-ins for them.
It builds each image in turn, starts compose.yaml from `.env.example` with only the two
secrets filled in (in a folder of its own, under a project name of its own, so an operator's
`.env` and volumes are never touched), sends a voice note through the gateway until it is
`sent`, measures the idle stack's CPU, prints the figures for docs/deploy.md, and tears down.
"""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psutil
import pytest

from tests.deploy.images import MODULES, ROOT
from tests.e2e.test_voice_note_flow import JFK_PHRASE, normalized
from tests.support import JFK_FLAC

if os.environ.get("VOICE_AGENT_TEST_IMAGES") != "1":
    pytest.skip("needs a Docker engine: run `make test-images`", allow_module_level=True)

PROJECT = "voice-agent-test-images"
# The smallest first: a broken Dockerfile shows before the long transcription build.
BUILD_ORDER = ["scheduler", "notify", "ingest", "gateway", "transcribe"]
IDLE_SECONDS = 60
SENT_WITHIN_S = 180.0


def docker(*arguments: str, timeout_s: float = 900, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        ["docker", *arguments], env=env, capture_output=True, text=True, timeout=timeout_s
    )
    assert result.returncode == 0, f"docker {' '.join(arguments)}:\n{result.stderr[-4000:]}"
    return result.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def operators_env_file(folder: Path) -> None:
    """`cp .env.example .env`, then the two secrets, as docs/deploy.md tells an operator, and
    double opt-in off."""
    text = (ROOT / ".env.example").read_text()
    for name in ("POSTGRES_PASSWORD", "INTERNAL_AUTH_TOKEN"):
        text, count = re.subn(
            rf"^{name}=$", f"{name}={secrets.token_urlsafe(32)}", text, flags=re.MULTILINE
        )
        assert count == 1, f".env.example should have one empty {name}= line"
    # The note goes to a made-up address that cannot click a confirmation link; double opt-in
    # has tests of its own (tests/e2e/test_recipient_attacks.py).
    text, count = re.subn(
        r"^RECIPIENT_CONFIRMATION=required$", "RECIPIENT_CONFIRMATION=off", text, flags=re.MULTILINE
    )
    assert count == 1, ".env.example should say RECIPIENT_CONFIRMATION=required once"
    (folder / ".env").write_text(text)


class Compose:
    """`docker compose` on the repository's compose.yaml, from a folder with its own .env."""

    def __init__(self, folder: Path, gateway_port: int) -> None:
        self.options = ["--project-name", PROJECT, "--project-directory", str(folder)]
        self.options += ["--file", str(ROOT / "compose.yaml")]
        # For interpolation only (the published port): the process environment wins over
        # .env there, and the container still listens on 8000.
        self.env = {**os.environ, "GATEWAY_PORT": str(gateway_port)}

    def __call__(self, *arguments: str, timeout_s: float = 600) -> str:
        try:
            return docker("compose", *self.options, *arguments, timeout_s=timeout_s, env=self.env)
        except AssertionError as error:
            logs = subprocess.run(
                ["docker", "compose", *self.options, "logs", "--no-color", "--tail=30"],
                env=self.env,
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
            raise AssertionError(f"{error}\n{logs.stdout[-6000:]}") from None

    def container_ids(self) -> dict[str, str]:
        """Each running container's name → id."""
        lines = self("ps", "--format", "{{.Name}} {{.ID}}").splitlines()
        return dict(line.split() for line in lines if line.strip())


def cpu_seconds(container_id: str) -> float:
    """CPU time a container's processes (health checks included) have used, from its cgroup."""
    pid = docker("inspect", "--format", "{{.State.Pid}}", container_id).strip()
    for line in Path(f"/proc/{pid}/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        if controllers == "":  # cgroup v2: one hierarchy
            stat = Path(f"/sys/fs/cgroup{path}/cpu.stat").read_text()
            usage = re.search(r"^usage_usec (\d+)$", stat, re.MULTILINE)
            assert usage, stat
            return int(usage[1]) / 1e6
        if "cpuacct" in controllers.split(","):
            return int(Path(f"/sys/fs/cgroup/{controllers}{path}/cpuacct.usage").read_text()) / 1e9
    raise AssertionError(f"no CPU accounting found for container {container_id}")


@pytest.fixture(scope="module")
def image_sizes() -> dict[str, int]:
    """Build each image (one at a time: the machine may be shared); print time and size."""
    sizes = {}
    for service in BUILD_ORDER:
        image = f"voice-agent/{service}"
        dockerfile = f"deploy/docker/{service}.Dockerfile"
        started = time.monotonic()
        docker("build", "--quiet", "--file", dockerfile, "--tag", image, str(ROOT))
        elapsed = time.monotonic() - started
        sizes[service] = int(docker("image", "inspect", "--format", "{{.Size}}", image))
        print(f"[images] {service}: built in {elapsed:.0f} s, {sizes[service] / 1e6:.0f} MB")
    return sizes


@pytest.fixture(scope="module")
def stack(
    image_sizes: dict[str, int], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Compose, str]]:
    """compose.yaml up and healthy; its gateway's URL."""
    folder = tmp_path_factory.mktemp("compose")
    operators_env_file(folder)
    port = free_port()
    compose = Compose(folder, port)
    started = time.monotonic()
    try:
        compose("up", "--detach", "--wait", "--wait-timeout", "300", "--pull", "never")
        print(f"[images] docker compose up --wait: healthy in {time.monotonic() - started:.0f} s")
        yield compose, f"http://127.0.0.1:{port}"
    finally:
        compose("down", "--volumes", "--remove-orphans", "--timeout", "30")


def test_every_service_has_an_image_running_as_10001(image_sizes: dict[str, int]) -> None:
    assert set(image_sizes) == set(MODULES)
    for service in image_sizes:
        user = docker("image", "inspect", "--format", "{{.Config.User}}", f"voice-agent/{service}")
        assert user.strip() == "10001:10001"


def wait_until_done(api: httpx.Client, created: dict[str, Any]) -> dict[str, Any]:
    deadline = time.monotonic() + SENT_WITHIN_S
    auth = {"Authorization": f"Bearer {created['access_token']}"}
    while True:
        body: dict[str, Any] = api.get(f"/v1/requests/{created['id']}", headers=auth).json()
        if body["status"] in ("sent", "failed", "canceled"):
            return body
        assert time.monotonic() < deadline, body
        time.sleep(0.5)


def test_a_voice_note_goes_through_the_stack_to_sent(stack: tuple[Compose, str]) -> None:
    compose, gateway_url = stack
    with httpx.Client(base_url=gateway_url, timeout=30) as api:
        assert api.get("/readyz").status_code == 200
        with JFK_FLAC.open("rb") as audio:
            uploaded = api.post("/v1/audio", files={"file": ("jfk.flac", audio, "audio/flac")})
        assert uploaded.status_code == 201, uploaded.text
        started = time.monotonic()
        created = api.post(
            "/v1/requests",
            json={
                "email": "operator@example.com",
                "audio_id": uploaded.json()["audio_id"],
                "upload_token": uploaded.json()["upload_token"],
            },
        )
        assert created.status_code == 201, created.text
        done = wait_until_done(api, created.json())
    print(f"[images] voice note sent {time.monotonic() - started:.1f} s after its request")
    assert done["status"] == "sent", done
    assert JFK_PHRASE in normalized(done["transcript"]["text"])
    # The email is a file in notify's outbox volume, owned by 10001:10001.
    outbox = compose("exec", "-T", "notify", "sh", "-c", "ls -ln /data/outbox; cat /data/outbox/*")
    assert "To: operator@example.com" in outbox
    assert re.search(r" 10001 +10001 ", outbox), outbox


def engine_cpu_seconds() -> float:
    """CPU time of a local Docker engine's own processes (dockerd, containerd, the shims and
    the runc children they reaped): the engine's share of running each health check."""
    total = 0.0
    for process in psutil.process_iter(["name", "cpu_times"]):
        name = str(process.info["name"])
        if name in ("dockerd", "containerd") or name.startswith("containerd-shim"):
            times = process.info["cpu_times"]
            total += times.user + times.system + times.children_user + times.children_system
    return total


def test_the_idle_stack_uses_little_cpu(stack: tuple[Compose, str]) -> None:
    compose, _ = stack
    containers = compose.container_ids()
    before = {name: cpu_seconds(container) for name, container in containers.items()}
    engine_before = engine_cpu_seconds()
    time.sleep(IDLE_SECONDS)
    used = {name: cpu_seconds(container) - before[name] for name, container in containers.items()}
    engine = (engine_cpu_seconds() - engine_before) / IDLE_SECONDS
    print(
        f"[images] idle Docker engine (dockerd, containerd, shims): {100 * engine:.1f} % of a core"
    )
    for name, seconds in sorted(used.items()):
        print(f"[images] idle {name}: {100 * seconds / IDLE_SECONDS:.2f} % of one core")
    total = sum(used.values()) / IDLE_SECONDS
    print(f"[images] idle stack, {len(containers)} containers: {100 * total:.1f} % of one core")
    # The engine's share counts too: each health check is an exec it has to run.
    assert total + engine < 0.10
