"""When `make run` builds the UI again: exactly when a source or a build-time variable changed.
The build itself, served and driven in Chromium, is in tests/e2e/test_browser.py."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import pytest

from devstack import frontend as ui
from devstack.processes import ServiceProcess

ENV = {"NEXT_PUBLIC_API_BASE_URL": "http://127.0.0.1:8000", "PATH": "/usr/bin"}


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    """A frontend folder with a few of each kind of file."""
    for name, text in {
        "app/page.tsx": "export default function Page() {}",
        "lib/recorder.ts": "export const x = 1;",
        "lib/recorder.test.ts": "test();",
        "next.config.ts": "export default {};",
        "package-lock.json": "{}",
        "e2e/phone.test.ts": "test();",
        "node_modules/next/index.js": "",
    }.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return tmp_path


def stamped_build(frontend: Path, env: dict[str, str]) -> None:
    """What a finished `next build` leaves, and the stamp `finish_build` writes beside it."""
    build = ui.dist_dir(frontend, env)
    build.mkdir(exist_ok=True)
    (build / "BUILD_ID").write_text("x")
    (build / ui.STAMP_FILE).write_text(ui.build_stamp(frontend, env) + "\n")


def test_a_source_change_means_a_new_build(sources: Path) -> None:
    stamped_build(sources, ENV)
    assert ui.is_current(sources, ENV)
    (sources / "lib" / "recorder.ts").write_text("export const x = 2;")
    assert not ui.is_current(sources, ENV)


def test_a_new_source_file_or_a_renamed_one_means_a_new_build(sources: Path) -> None:
    stamped_build(sources, ENV)
    (sources / "lib" / "recorder.ts").rename(sources / "lib" / "recording.ts")
    assert not ui.is_current(sources, ENV)
    stamped_build(sources, ENV)
    (sources / "hooks").mkdir()
    (sources / "hooks" / "use-wake-lock.ts").write_text("")
    assert not ui.is_current(sources, ENV)


def test_a_changed_build_time_variable_means_a_new_build(sources: Path) -> None:
    """NEXT_PUBLIC_* values are inlined into the bundle; other variables are not."""
    stamped_build(sources, ENV)
    assert ui.is_current(sources, {**ENV, "PATH": "/bin", "HOME": "/root"})
    assert not ui.is_current(sources, {**ENV, "NEXT_PUBLIC_API_BASE_URL": "https://api.example"})
    assert not ui.is_current(sources, {**ENV, "NEXT_PUBLIC_MAX_RECORDING_SECONDS": "60"})


def test_tests_and_installed_packages_do_not_count(sources: Path) -> None:
    stamped_build(sources, ENV)
    (sources / "lib" / "recorder.test.ts").write_text("test(); test();")
    (sources / "e2e" / "phone.test.ts").write_text("")
    (sources / "node_modules" / "next" / "index.js").write_text("changed")
    assert ui.is_current(sources, ENV)


def test_no_build_or_an_unfinished_one_is_not_current(sources: Path) -> None:
    assert not ui.is_current(sources, ENV)
    stamped_build(sources, ENV)
    (ui.dist_dir(sources, ENV) / "BUILD_ID").unlink()  # a build that stopped halfway
    assert not ui.is_current(sources, ENV)


def test_the_build_folder_follows_next_dist_dir(sources: Path) -> None:
    env = {**ENV, "NEXT_DIST_DIR": ".next-e2e"}
    stamped_build(sources, env)
    assert ui.is_current(sources, env)
    assert not ui.is_current(sources, ENV)


def test_a_failed_build_is_not_stamped_and_says_why(sources: Path) -> None:
    script = "import sys; print('Type error: x is not a string'); sys.exit(1)"
    build = ServiceProcess("build-ui", [sys.executable, "-c", script], os.environ)
    with pytest.raises(RuntimeError, match="Type error: x is not a string"):
        ui.finish_build(build, sources, ENV)
    assert not (ui.dist_dir(sources, ENV) / ui.STAMP_FILE).exists()


def test_the_ui_gets_the_gateway_and_no_node_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NODE_ENV", "development")
    monkeypatch.delenv("NEXT_PUBLIC_API_BASE_URL", raising=False)
    env = ui.frontend_env("http://127.0.0.1:8000")
    assert env["NEXT_PUBLIC_API_BASE_URL"] == "http://127.0.0.1:8000"
    assert "NODE_ENV" not in env
    monkeypatch.setenv("NEXT_PUBLIC_API_BASE_URL", "https://api.example")
    assert (
        ui.frontend_env("http://127.0.0.1:8000")["NEXT_PUBLIC_API_BASE_URL"]
        == "https://api.example"
    )


def test_ctrl_c_during_the_build_ends_it(sources: Path) -> None:
    build = ServiceProcess("build-ui", ["sleep", "60"], os.environ)
    stop = threading.Event()
    stop.set()
    with pytest.raises(RuntimeError, match="stopped while the frontend was being built"):
        ui.finish_build(build, sources, ENV, stop)
    assert not build.running()
    assert not (ui.dist_dir(sources, ENV) / ui.STAMP_FILE).exists()
