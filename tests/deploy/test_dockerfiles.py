"""Each service's Dockerfile: what it copies exists, what it runs exists, and it is built right.

No Docker engine runs here; `test_start_commands.py` runs each image's command on the host.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import tomllib
from importlib.metadata import PackageNotFoundError, packages_distributions, requires

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.deploy.images import DOCKERFILES, IMAGES, MODULES, ROOT, Image
from tools.lockfiles import BUILD, DEV, SERVICES, path_of, pinned_versions

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
LOCKED_VERSIONS = pinned_versions((ROOT / path_of(DEV)).read_text())
ALLOWED_BY_DOCKERIGNORE = [
    line[1:].rstrip("/")
    for line in (ROOT / ".dockerignore").read_text().splitlines()
    if line.startswith("!")
]


def test_every_service_has_an_image_and_nothing_else_does() -> None:
    assert {path.name.removesuffix(".Dockerfile") for path in DOCKERFILES.iterdir()} == set(MODULES)


@pytest.mark.parametrize("image", IMAGES.values(), ids=IMAGES)
def test_copied_sources_exist_and_pass_the_dockerignore(image: Image) -> None:
    for source in image.copied_sources:
        assert (ROOT / source).exists(), f"{image.path.name} copies missing {source}"
        # .dockerignore leaves everything out but what it re-includes with "!".
        assert any(
            source == allowed or source.startswith(f"{allowed}/")
            for allowed in ALLOWED_BY_DOCKERIGNORE
        ), f"{source} is not in the build context (.dockerignore)"
    assert {"voice_core", "protos/voice_agent", MODULES[image.service]} <= set(image.copied_sources)


@pytest.mark.parametrize("image", IMAGES.values(), ids=IMAGES)
def test_the_command_runs_the_services_module(image: Image) -> None:
    module = MODULES[image.service]
    assert image.command == ["python", "-m", module]
    assert importlib.util.find_spec(f"{module}.__main__") is not None
    assert image.healthcheck.startswith("python -m voice_core.healthcheck ")
    assert importlib.util.find_spec("voice_core.healthcheck") is not None


def test_every_image_installs_what_the_health_check_imports() -> None:
    """Each image runs voice_core.healthcheck but installs only its own extra: the check's one
    library, h2, must be a dependency of the project itself."""
    assert "h2" in {canonicalize_name(Requirement(line).name) for line in PROJECT["dependencies"]}


@pytest.mark.parametrize("image", IMAGES.values(), ids=IMAGES)
def test_the_image_is_multi_stage_slim_and_runs_as_a_user(image: Image) -> None:
    assert len(image.stages) >= 2
    assert image.build_args["PYTHON_IMAGE"].startswith("python:3.11-slim")
    # Numeric, so that Kubernetes can check non-root; the manifests' runAsUser and runAsGroup.
    assert image.user == "10001:10001"
    final_stage_runs = " ".join(" ".join(i.value) for i in image.stages[-1] if i.cmd == "RUN")
    assert "groupadd --gid 10001 app" in final_stage_runs
    assert image.env["PYTHONUNBUFFERED"] == "1"
    assert image.extra == image.service
    assert int(image.env[image.port_variable]) == image.exposed_port
    assert f"${{{image.port_variable}}}" in image.healthcheck


def test_every_image_has_a_lock_file() -> None:
    assert set(SERVICES) == set(MODULES)


@pytest.mark.parametrize("image", IMAGES.values(), ids=IMAGES)
def test_the_image_installs_its_extra_from_its_lock_file(image: Image) -> None:
    """Dependencies exactly as pinned, hashes required, in a layer of their own before the code
    is copied; then the project alone, resolving nothing."""
    lock, build = str(path_of(image.service)), str(path_of(BUILD))
    assert {lock, build} <= set(image.copied_sources)
    assert image.uv_pip_commands == [
        f"uv pip sync --require-hashes {lock}",
        f"uv pip install --no-deps --build-constraints {build} .",
        "uv pip check",
    ]
    runs = [i for i in image.instructions if i.cmd in ("RUN", "COPY")]
    sync = next(n for n, i in enumerate(runs) if "uv pip sync" in " ".join(i.value))
    first_code = next(n for n, i in enumerate(runs) if i.value[0] == MODULES[image.service])
    assert sync < first_code, f"{image.path.name}: a code change would reinstall every package"
    assert image.build_args["UV_VERSION"] == LOCKED_VERSIONS["uv"]


@pytest.mark.parametrize("image", IMAGES.values(), ids=IMAGES)
def test_the_build_needs_no_dockerfile_frontend_image(image: Image) -> None:
    """A `# syntax=` directive makes BuildKit pull an image: builds fail without Docker Hub."""
    assert not re.search(r"^#\s*syntax\s*=", image.path.read_text(), re.MULTILINE | re.IGNORECASE)


def test_make_install_uses_the_locked_uv() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert f"UV_VERSION := {LOCKED_VERSIONS['uv']}\n" in makefile
    assert f"pip sync --python $(BIN)/python --require-hashes {path_of(DEV)}" in makefile


def test_the_transcription_model_is_a_build_argument() -> None:
    image = IMAGES["transcribe"]
    assert image.build_args["WHISPER_MODEL"] == "tiny.en"
    assert image.env["WHISPER_MODEL"] == "/models/tiny.en"
    assert image.env["HF_HUB_OFFLINE"] == "1"


def _extra_requirements(extra: str) -> set[str]:
    """Distribution names an extra brings in, following `voice-agent[db]` references."""
    names = set()
    for line in PROJECT["optional-dependencies"][extra]:
        requirement = Requirement(line)
        if canonicalize_name(requirement.name) == canonicalize_name(PROJECT["name"]):
            for nested in requirement.extras:
                names |= _extra_requirements(nested)
        else:
            names.add(canonicalize_name(requirement.name))
    return names


def _with_dependencies(names: set[str]) -> set[str]:
    """The distributions and, transitively, what they require (as installed here)."""
    closure: set[str] = set()
    pending = list(names)
    while pending:
        name = pending.pop()
        if name in closure:
            continue
        closure.add(name)
        try:
            lines = requires(name) or []
        except PackageNotFoundError:
            continue
        for line in lines:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                pending.append(canonicalize_name(requirement.name))
    return closure


def _modules_of(distributions: set[str]) -> set[str]:
    return {
        module
        for module, owners in packages_distributions().items()
        if any(canonicalize_name(owner) in distributions for owner in owners)
    }


@pytest.mark.parametrize("image", IMAGES.values(), ids=IMAGES)
def test_the_service_imports_nothing_from_other_services_extras(image: Image) -> None:
    """The image installs only its own extra: importing the service must not need more."""
    own = _with_dependencies(_extra_requirements(image.extra))
    others = set().union(*(_extra_requirements(extra) for extra in MODULES if extra != image.extra))
    foreign = sorted(_modules_of(others - own))
    # A module set to None in sys.modules fails to import, as if it were not installed.
    probe = (
        f"import sys; sys.modules.update(dict.fromkeys({foreign!r})); "
        f"import {MODULES[image.service]}.__main__"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
