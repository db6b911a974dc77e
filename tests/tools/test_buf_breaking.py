"""`make buf-breaking` on a throwaway git repository with a copy of protos/: real git and buf."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tools import buf_breaking

RENAMED = (
    'protos/voice_agent/v1/types.proto: Previously present message "TranscriptSegment" was deleted '
    "from file."
)


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def _commit(repo: Path, message: str) -> None:
    _git(repo, "add", "-A")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", message)


def _rename_segment(repo: Path) -> None:
    """A deliberate break: TranscriptSegment becomes SpeechSegment."""
    for proto in (repo / "protos" / "voice_agent" / "v1").glob("*.proto"):
        proto.write_text(proto.read_text().replace("TranscriptSegment", "SpeechSegment"))


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose main has the protos of this checkout and the ledger."""
    _git(tmp_path, "init", "-q", "-b", "main")
    shutil.copy(buf_breaking.ROOT / "buf.yaml", tmp_path)
    shutil.copytree(
        buf_breaking.ROOT / "protos" / "voice_agent" / "v1",
        tmp_path / "protos" / "voice_agent" / "v1",
        ignore=shutil.ignore_patterns("*.py", "*.pyi", "__pycache__"),
    )
    shutil.copy(buf_breaking.ROOT / buf_breaking.LEDGER, tmp_path / buf_breaking.LEDGER)
    _commit(tmp_path, "first")
    return tmp_path


def test_first_commit_has_nothing_to_compare(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert buf_breaking.main(repo) == 0
    assert "SKIPPED" in capsys.readouterr().err


def test_compatible_change_passes(repo: Path) -> None:
    _git(repo, "checkout", "-qb", "feature")
    types = repo / "protos" / "voice_agent" / "v1" / "types.proto"
    added = "// Added.\nmessage Added {\n  // A field.\n  string a = 1;\n}\n"
    types.write_text(types.read_text() + added)
    _commit(repo, "add a message")
    assert buf_breaking.main(repo) == 0


def test_unacknowledged_break_on_a_branch_fails_listing_it(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _git(repo, "checkout", "-qb", "feature")
    _rename_segment(repo)
    _commit(repo, "rename")
    (repo / "README.md").write_text("A later commit: the branch is still compared with main.\n")
    _commit(repo, "later")
    assert buf_breaking.main(repo) == 1
    assert RENAMED in capsys.readouterr().err


def test_break_listed_in_the_ledger_passes(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _git(repo, "checkout", "-qb", "feature")
    _rename_segment(repo)
    ledger = repo / buf_breaking.LEDGER
    ledger.write_text(ledger.read_text() + "\n### Rename\n\nSafe: no outside clients.\n\n")
    assert buf_breaking.main(repo) == 1, "the ledger lists none of the changes yet"
    violations = capsys.readouterr().err.splitlines()
    listed = "\n".join(line.split("  [")[0] for line in violations if line.startswith("  - "))
    ledger.write_text(ledger.read_text() + listed + "\n")
    _commit(repo, "rename, acknowledged")
    assert buf_breaking.main(repo) == 0
    assert f"acknowledged in BREAKING_CHANGES.md: {RENAMED}" in capsys.readouterr().out


def test_on_main_the_previous_commit_is_the_baseline(repo: Path) -> None:
    _rename_segment(repo)
    _commit(repo, "rename on main")
    assert buf_breaking.main(repo) == 1


def test_a_shallow_clone_without_the_baseline_skips_saying_so(
    repo: Path, tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    _rename_segment(repo)
    _commit(repo, "rename on main")
    clone = tmp_path_factory.mktemp("shallow") / "clone"
    _git(repo, "clone", "-q", "--depth=1", f"file://{repo}", str(clone))
    assert buf_breaking.main(clone) == 0
    assert "shallow clone" in capsys.readouterr().err
