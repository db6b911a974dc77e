"""The service images as their Dockerfiles describe them, read with BuildKit's own parser."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from pathlib import Path

import dockerfile

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILES = ROOT / "deploy" / "docker"
# Service name (as in compose.yaml and the Kubernetes manifests) → the module it runs.
MODULES = {
    "gateway": "gateway",
    "ingest": "ingest_svc",
    "transcribe": "transcribe_svc",
    "notify": "notify_svc",
    "scheduler": "scheduler",
}


@dataclass(frozen=True)
class Image:
    service: str
    path: Path
    instructions: tuple[dockerfile.Command, ...]

    @classmethod
    def read(cls, service: str) -> Image:
        path = DOCKERFILES / f"{service}.Dockerfile"
        return cls(service, path, tuple(dockerfile.parse_file(str(path))))

    @property
    def stages(self) -> list[list[dockerfile.Command]]:
        """The instructions of each build stage, from its FROM on."""
        stages: list[list[dockerfile.Command]] = []
        for instruction in self.instructions:
            if instruction.cmd == "FROM":
                stages.append([])
            if stages:
                stages[-1].append(instruction)
        return stages

    def _final(self, cmd: str) -> list[dockerfile.Command]:
        return [i for i in self.stages[-1] if i.cmd == cmd]

    @property
    def build_args(self) -> dict[str, str]:
        """The default of each ARG declared before the first FROM."""
        args = {}
        for instruction in self.instructions:
            if instruction.cmd == "FROM":
                break
            if instruction.cmd == "ARG":
                name, _, default = instruction.value[0].partition("=")
                args[name] = default
        return args

    @property
    def env(self) -> dict[str, str]:
        """The final stage's ENV, with `$VAR` and `${VAR}` expanded as the build would."""
        env: dict[str, str] = {}
        known = dict(self.build_args)
        for instruction in self._final("ENV"):
            pairs = instruction.value
            for name, value in zip(pairs[::2], pairs[1::2], strict=True):
                env[name] = string.Template(value).safe_substitute(known)
                known[name] = env[name]
        return env

    @property
    def copied_sources(self) -> list[str]:
        """Paths COPY takes from the build context (not from another stage)."""
        return [
            source
            for instruction in self.instructions
            if instruction.cmd == "COPY"
            and not any(f.startswith("--from") for f in instruction.flags)
            for source in instruction.value[:-1]
        ]

    @property
    def uv_pip_commands(self) -> list[str]:
        """Each `uv pip …` command of the RUN instructions, from `uv` on."""
        return [
            command.strip()
            for run in self.run_commands
            for command in re.findall(r"\buv pip [^&;]*", run)
        ]

    @property
    def extra(self) -> str:
        """The extra the image installs: the one lock file, requirements/<extra>.txt, that its
        `uv pip sync` names."""
        syncs = [c for c in self.uv_pip_commands if c.startswith("uv pip sync ")]
        assert len(syncs) == 1, f"{self.path.name}: one `uv pip sync` expected, not {syncs}"
        (lock,) = re.findall(r"requirements/(\w+)\.txt", syncs[0])
        return str(lock)

    @property
    def run_commands(self) -> list[str]:
        return [" ".join(i.value) for i in self.instructions if i.cmd == "RUN"]

    @property
    def command(self) -> list[str]:
        (cmd,) = self._final("CMD")
        assert cmd.json, f"{self.path.name}: CMD must be exec form (signals reach Python)"
        return list(cmd.value)

    @property
    def healthcheck(self) -> str:
        """The shell-form HEALTHCHECK command (Docker runs it with /bin/sh -c)."""
        (check,) = self._final("HEALTHCHECK")
        kind, command = check.value
        assert kind == "CMD", check.original
        return str(command)

    @property
    def user(self) -> str:
        (user,) = self._final("USER")
        return str(user.value[0])

    @property
    def port_variable(self) -> str:
        """The setting that holds the service's port, e.g. INGEST_PORT."""
        return f"{self.service.upper()}_PORT"

    @property
    def exposed_port(self) -> int:
        (expose,) = self._final("EXPOSE")
        return int(expose.value[0])


IMAGES = {service: Image.read(service) for service in MODULES}
