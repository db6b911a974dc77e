"""The UI as `make run` serves it: Next.js's production build (`next start`), built again only
when what it is built from changed; or, for `make dev`, `next dev` with hot reload.

A production build is fast and has no development overlay, so people meet the app as deployed.
What it is built from: the sources below and every `NEXT_PUBLIC_*` variable (Next.js inlines
them into the bundle), hashed into a stamp written beside the build once it succeeded; a stamp
that differs, or none, means build again.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Literal, TextIO

from devstack.processes import ServiceProcess

FRONTEND = Path(__file__).resolve().parents[1] / "frontend"
# Folders of sources, and single files, that `next build` reads (tests excluded below).
SOURCE_DIRS = ("app", "components", "hooks", "lib", "public")
SOURCE_FILES = (
    "next.config.ts",
    "package.json",
    "package-lock.json",
    "tsconfig.json",
    # Next.js reads these at build time (frontend/.env.example says which settings they hold).
    ".env",
    ".env.local",
    ".env.production",
    ".env.production.local",
)
STAMP_FILE = "voice-notes-build-stamp"

Mode = Literal["production", "dev"]


def source_files(frontend: Path) -> Iterator[Path]:
    """The files a production build depends on, in a stable order."""
    for name in SOURCE_DIRS:
        folder = frontend / name
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file() and not path.name.endswith(".test.ts"):
                    yield path
    for name in SOURCE_FILES:
        if (frontend / name).is_file():
            yield frontend / name


def build_stamp(frontend: Path, env: Mapping[str, str]) -> str:
    """A hash of every source file (path and bytes) and of the build-time variables."""
    digest = hashlib.sha256()
    for path in source_files(frontend):
        digest.update(path.relative_to(frontend).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    for name in sorted(name for name in env if name.startswith("NEXT_PUBLIC_")):
        digest.update(f"{name}={env[name]}\0".encode())
    return digest.hexdigest()


def dist_dir(frontend: Path, env: Mapping[str, str]) -> Path:
    """Where the build goes: NEXT_DIST_DIR, as frontend/next.config.ts reads it."""
    return frontend / (env.get("NEXT_DIST_DIR") or ".next")


def is_current(frontend: Path, env: Mapping[str, str]) -> bool:
    """Whether a complete production build of exactly these sources and variables is there."""
    build = dist_dir(frontend, env)
    stamp = build / STAMP_FILE
    return (
        (build / "BUILD_ID").is_file()
        and stamp.is_file()
        and stamp.read_text().strip() == build_stamp(frontend, env)
    )


def _next(frontend: Path) -> str:
    # `next` itself, not through `npm run` (whose `sh` leaves next behind when signalled).
    return str(frontend / "node_modules" / ".bin" / "next")


def start_build(frontend: Path, env: Mapping[str, str], echo: TextIO | None) -> ServiceProcess:
    """`next build`, started (it runs while the services start); see `finish_build`."""
    return ServiceProcess("build-ui", [_next(frontend), "build", str(frontend)], env, echo)


def finish_build(
    build: ServiceProcess,
    frontend: Path,
    env: Mapping[str, str],
    stop: threading.Event | None = None,
) -> None:
    """Waits for the build; stamps it if it succeeded, else raises with its output. Setting
    `stop` (Ctrl-C) ends the wait and the build."""
    while build.popen.poll() is None:
        if stop is None:
            build.popen.wait()
        elif stop.wait(0.2):
            build.stop()
            raise RuntimeError("stopped while the frontend was being built")
    if build.popen.returncode != 0:
        raise RuntimeError(f"the frontend's production build failed:\n{build.output()}")
    stamp = build_stamp(frontend, env)
    (dist_dir(frontend, env) / STAMP_FILE).write_text(stamp + "\n")


def server(
    mode: Mode, frontend: Path, env: Mapping[str, str], port: str, echo: TextIO | None
) -> ServiceProcess:
    """`next start` on the production build, or `next dev`, on `port`.

    SIGTERM when we die, not SIGKILL: on SIGTERM next stops its own server process.
    """
    command = "start" if mode == "production" else "dev"
    return ServiceProcess(
        "frontend",
        [_next(frontend), command, str(frontend), "-p", port],
        {**env, "PORT": port},
        echo,
        death_signal="TERM",
    )


def frontend_env(api_url: str) -> dict[str, str]:
    """The environment of the build and the server: the gateway the browser calls (unless
    NEXT_PUBLIC_API_BASE_URL says otherwise), no telemetry."""
    # NODE_ENV is each next command's own choice (production for build and start).
    return {
        **{name: value for name, value in os.environ.items() if name != "NODE_ENV"},
        "NEXT_TELEMETRY_DISABLED": "1",
        "NEXT_PUBLIC_API_BASE_URL": os.environ.get("NEXT_PUBLIC_API_BASE_URL") or api_url,
    }
