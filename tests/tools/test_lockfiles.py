"""The lock files (requirements/*.txt) and `make lock-check` (tools/lockfiles.py)."""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tools.lockfiles import (
    DEV,
    NAMES,
    REQUIREMENTS,
    ROOT,
    SERVICES,
    check,
    differences,
    path_of,
    pinned_versions,
    read_locks,
)

UV = Path(sys.executable).with_name("uv")
LOCKS = read_locks(ROOT)
NPM_LOCKS = [ROOT / "frontend" / "package-lock.json", ROOT / "tools" / "package-lock.json"]


def test_the_lock_files_are_the_ones_make_lock_writes() -> None:
    assert set(LOCKS) == set(NAMES)
    assert not (ROOT / "uv.lock").exists(), "uv.lock records the index's URLs: see tools/lockfiles"


@pytest.mark.parametrize("name", NAMES)
def test_a_lock_file_names_no_url_and_no_index(name: str) -> None:
    for number, line in enumerate(LOCKS[name].splitlines(), 1):
        assert "://" not in line, f"{path_of(name)}:{number} names a URL"
        # --index-url, --extra-index-url, --find-links, -e: options a lock file has no need of.
        option = line.strip().startswith("-") and not line.strip().startswith("--hash=")
        assert not option, f"{path_of(name)}:{number}: {line}"


@pytest.mark.parametrize("name", NAMES)
def test_every_pin_has_its_hashes(name: str) -> None:
    lines = LOCKS[name].splitlines()
    pins = [n for n, line in enumerate(lines) if line and not line.startswith((" ", "#"))]
    assert pins
    for n in pins:
        assert "==" in lines[n], lines[n]
        assert lines[n + 1].strip().startswith("--hash=sha256:"), f"{lines[n]} has no hash"


def _urls(value: object, keys: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """The key path of every string in a JSON document that holds a URL."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _urls(item, (*keys, key))
    elif isinstance(value, list):
        for item in value:
            yield from _urls(item, keys)
    elif isinstance(value, str) and "://" in value:
        yield keys


@pytest.mark.parametrize("path", NPM_LOCKS, ids=lambda path: path.parent.name)
def test_an_npm_lock_file_records_no_registry_url(path: Path) -> None:
    """npm's `omit-lockfile-registry-resolved` leaves out `resolved`; the only URLs npm still
    writes are the packages' own funding pages, which name no registry."""
    where = {keys[2:] for keys in _urls(json.loads(path.read_text()))}
    assert where <= {("funding", "url")}, where
    assert '"resolved"' not in path.read_text()
    # So that `npm install` keeps it so on any machine.
    npmrc = (path.parent / ".npmrc").read_text().splitlines()
    assert "omit-lockfile-registry-resolved=true" in npmrc


@pytest.mark.parametrize("service", SERVICES)
def test_an_image_runs_the_versions_the_tests_run(service: str) -> None:
    dev = pinned_versions(LOCKS[DEV])
    assert pinned_versions(LOCKS[service]).items() <= dev.items()


def test_pinned_versions_reads_names_versions_and_skips_markers_and_comments() -> None:
    text = "# via x==1\ncffi==2.1.1 ; platform_python_implementation != 'PyPy' \\\n    # via a\n"
    assert pinned_versions(text + "h2==4.3.0 \\\n    --hash=sha256:ab\n") == {
        "cffi": "2.1.1",
        "h2": "4.3.0",
    }


def test_only_hashes_may_differ() -> None:
    via = "    # via voice-agent\n"
    committed = {"dev": "h2==4.3.0 \\\n    --hash=sha256:aa\n" + via}
    more_files = {"dev": "h2==4.3.0 \\\n    --hash=sha256:aa \\\n    --hash=sha256:bb\n" + via}
    assert differences(committed, more_files) == []
    (report,) = differences(committed, {"dev": "h2==4.4.0 \\\n    --hash=sha256:cc\n"})
    assert "-h2==4.3.0" in report
    assert "+h2==4.4.0" in report
    (missing,) = differences(committed, {**committed, "gateway": "h2==4.3.0\n"})
    assert f"{REQUIREMENTS}/gateway.txt (committed)" in missing


def test_the_check_fails_when_pyproject_changes(tmp_path: Path) -> None:
    """A copy of the repository's pyproject.toml and lock files agrees with itself; dropping a
    dependency from pyproject.toml without `make lock` fails, in every file that pins it."""
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    shutil.copytree(ROOT / REQUIREMENTS, tmp_path / REQUIREMENTS)
    assert check(tmp_path, UV) == []
    pyproject = tmp_path / "pyproject.toml"
    dropped = pyproject.read_text().replace('    "h2>=4.1",\n', "")
    assert dropped != pyproject.read_text()
    pyproject.write_text(dropped)
    problems = {problem.splitlines()[0].split()[1]: problem for problem in check(tmp_path, UV)}
    assert set(problems) == {str(path_of(name)) for name in (DEV, *SERVICES)}
    # The gateway needs h2 for nothing else; dev and ingest keep it for httpx[http2].
    assert "\n-h2==" in problems[str(path_of("gateway"))]
    assert "\n-    #   voice-agent (pyproject.toml)" in problems[str(path_of(DEV))]
