"""`make lock` and `make lock-check`: the Python lock files, requirements/*.txt.

Each file pins every package one install needs, with the hashes of its files, and names no
package index or URL (uv.lock records the index's and every file's URL, so it is not used):

- `dev.txt`: the `dev` extra, everything `make install` puts in .venv (every service's extra
  among them);
- one file per image, `<service>.txt`: that service's extra, constrained to dev.txt's pins, so
  that an image runs the very versions the tests ran;
- `build.txt`: the build backend of `[build-system] requires`, for building the project itself.

`uv pip compile` writes them (`--universal`: one file for every platform). It reads the file it
is about to write and keeps those pins wherever pyproject.toml still allows them, so `make lock`
changes only what a change to pyproject.toml needs; `UPGRADE="NAME …"` (`--upgrade-package`)
moves those packages to their newest allowed versions, `--upgrade` everything.

The check compiles again into a scratch copy seeded with the committed files and compares. It
tries uv's cache alone first (`--offline`: quick, no network); when that cannot resolve or
disagrees (offline, uv quietly picks another version when a pin is missing from its cache), it
asks the index. Newer releases never fail it: the committed pins are kept wherever allowed.
Hashes are left out of the comparison: the index may list a new file for an old version (a wheel
for a new platform) without anything here changing.
"""

from __future__ import annotations

import argparse
import difflib
import shutil
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = Path("requirements")
# The images' Python (python:3.11-slim), the lowest that requires-python allows.
PYTHON_VERSION = "3.11"
DEV = "dev"
# The extra each image installs (deploy/docker/<service>.Dockerfile).
SERVICES = ("gateway", "ingest", "transcribe", "notify", "scheduler")
BUILD = "build"
# In the order they are written: the services are constrained by dev.txt.
NAMES = (BUILD, DEV, *SERVICES)
COMMON_OPTIONS = (
    "--generate-hashes",
    "--universal",
    f"--python-version={PYTHON_VERSION}",
    "--custom-compile-command=make lock",
    "--quiet",
)


def path_of(name: str) -> Path:
    """Where a lock file lives, relative to the repository's root."""
    return REQUIREMENTS / f"{name}.txt"


def build_requirements(root: Path) -> str:
    """`[build-system] requires` of pyproject.toml, one per line."""
    with (root / "pyproject.toml").open("rb") as file:
        requires: list[str] = tomllib.load(file)["build-system"]["requires"]
    return "".join(f"{requirement}\n" for requirement in requires)


def compile_command(uv: Path, name: str) -> list[str]:
    """The `uv pip compile` that writes one lock file, run in the repository's root."""
    if name == BUILD:
        sources = ["-"]
    elif name == DEV:
        sources = ["pyproject.toml", f"--extra={DEV}"]
    else:
        sources = ["pyproject.toml", f"--extra={name}", f"--constraint={path_of(DEV)}"]
    return [
        str(uv.absolute()),
        "pip",
        "compile",
        *sources,
        *COMMON_OPTIONS,
        f"--output-file={path_of(name)}",
    ]


def compile_all(root: Path, uv: Path, options: Sequence[str] = (), quiet: bool = False) -> None:
    """Write every lock file under root; CalledProcessError when uv cannot."""
    (root / REQUIREMENTS).mkdir(exist_ok=True)
    for name in NAMES:
        subprocess.run(
            [*compile_command(uv, name), *options],
            cwd=root,
            input=build_requirements(root) if name == BUILD else None,
            text=True,
            check=True,
            capture_output=quiet,
        )


def without_hashes(text: str) -> list[str]:
    """A lock file's lines (pins, markers, annotations) without its `--hash` lines."""
    return [
        line.rstrip().removesuffix("\\").rstrip()
        for line in text.splitlines()
        if not line.strip().startswith("--hash=")
    ]


def pinned_versions(text: str) -> dict[str, str]:
    """The version a lock file pins for each package, by name (`name==version ; marker`)."""
    pins = {}
    for line in text.splitlines():
        name, separator, rest = line.partition("==")
        if separator and not line.startswith((" ", "#")):
            pins[name] = rest.split(";")[0].split()[0]
    return pins


def read_locks(root: Path) -> dict[str, str]:
    """Every requirements/*.txt under root, by name."""
    return {path.stem: path.read_text() for path in sorted((root / REQUIREMENTS).glob("*.txt"))}


def recompiled(root: Path, uv: Path, offline: bool) -> dict[str, str] | None:
    """The lock files `make lock` would write now, from a scratch copy of pyproject.toml and the
    committed files; None when uv cannot resolve (offline: something is not in its cache)."""
    with tempfile.TemporaryDirectory(prefix="lock-check-") as scratch_name:
        scratch = Path(scratch_name)
        shutil.copy(root / "pyproject.toml", scratch)
        (scratch / REQUIREMENTS).mkdir()
        for name, text in read_locks(root).items():
            (scratch / path_of(name)).write_text(text)
        try:
            compile_all(scratch, uv, ["--offline"] if offline else [], quiet=offline)
        except subprocess.CalledProcessError:
            if offline:
                return None
            raise
        return read_locks(scratch)


def differences(committed: dict[str, str], fresh: dict[str, str]) -> list[str]:
    """A unified diff (hashes left out) per lock file that is missing, stale or unexpected."""
    report = []
    for name in sorted(committed.keys() | fresh.keys()):
        before = without_hashes(committed.get(name, ""))
        after = without_hashes(fresh.get(name, ""))
        if before != after:
            path = path_of(name)
            diff = difflib.unified_diff(
                before, after, f"{path} (committed)", f"{path} (make lock)", lineterm=""
            )
            report.append("\n".join(diff))
    return report


def check(root: Path, uv: Path) -> list[str]:
    """The differences between the committed lock files and pyproject.toml (none: they agree)."""
    committed = read_locks(root)
    problems: list[str] = []
    for offline in (True, False):
        fresh = recompiled(root, uv, offline)
        if fresh is None:
            continue
        problems = differences(committed, fresh)
        if not problems:
            if fresh != committed:
                print("lock files agree with pyproject.toml; the index now lists other files for")
                print("some pins than their hashes cover (`make lock` would add them)")
            return []
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.lockfiles", description=__doc__)
    parser.add_argument("--uv", type=Path, default=Path(sys.executable).with_name("uv"))
    commands = parser.add_subparsers(dest="command", required=True)
    lock = commands.add_parser("lock", help="write requirements/*.txt from pyproject.toml")
    lock.add_argument("--upgrade-package", action="append", default=[], metavar="NAME")
    lock.add_argument("--upgrade", action="store_true", help="every package to its newest")
    commands.add_parser("check", help="fail when requirements/*.txt and pyproject.toml disagree")
    arguments = parser.parse_args(argv)
    if arguments.command == "lock":
        options = [f"--upgrade-package={name}" for name in arguments.upgrade_package]
        compile_all(ROOT, arguments.uv, options + (["--upgrade"] if arguments.upgrade else []))
        return 0
    try:
        problems = check(ROOT, arguments.uv)
    except subprocess.CalledProcessError:
        print("uv could not compile the lock files (its error is above)", file=sys.stderr)
        return 1
    for problem in problems:
        print(problem)
    if problems:
        print("requirements/*.txt do not match pyproject.toml: run 'make lock'", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
