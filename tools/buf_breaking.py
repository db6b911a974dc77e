"""`make buf-breaking`: the protos may not break their clients unless the break is written down.

`buf breaking` compares protos/ as it is now with protos/ at a baseline commit:

- on a branch, where it left `main` (everything the branch changes, committed or not);
- on `main` itself, the previous commit (first parent, so a merge compares with main before it);
- `BUF_BREAKING_AGAINST=<rev>` chooses another.

A deliberate break (allowed while the system has no outside clients) passes when every change
buf reports is listed, as this script prints it, in protos/BREAKING_CHANGES.md together with the
reason; anything unlisted fails. The baseline is read with `git archive`, which works the same in
a worktree, a clone and a shallow clone. With no baseline (the first commit, or a shallow clone
that lacks it) there is nothing to compare: the script says so and passes.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUF = ROOT / "tools" / "node_modules" / ".bin" / "buf"
LEDGER = Path("protos/BREAKING_CHANGES.md")
MAIN_BRANCHES = ("main", "origin/main")


@dataclass(frozen=True)
class Violation:
    """One change `buf breaking` reports."""

    path: str
    rule: str
    message: str

    @property
    def entry(self) -> str:
        """How the change is written in the ledger (no line numbers: they move)."""
        return f"{self.path}: {self.message}"


def git(root: Path, *args: str) -> str | None:
    """The output of a git command, or None when it fails (e.g. an unknown revision)."""
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)
    return done.stdout.strip() if done.returncode == 0 else None


def baseline(root: Path) -> str | None:
    """The commit to compare with (see the module docstring); None when there is none here."""
    chosen = os.environ.get("BUF_BREAKING_AGAINST", "").strip()
    if chosen:
        commit = git(root, "rev-parse", "--verify", "--quiet", f"{chosen}^{{commit}}")
        if commit is None:
            raise SystemExit(f"buf-breaking: BUF_BREAKING_AGAINST={chosen} is not a commit here")
        return commit
    head = git(root, "rev-parse", "HEAD")
    for main in MAIN_BRANCHES:
        if git(root, "rev-parse", "--verify", "--quiet", main) is None:
            continue
        fork = git(root, "merge-base", "HEAD", main)
        if fork is not None and fork != head:
            return fork
        # A branch just created from main: its changes are the uncommitted ones.
        branch = git(root, "symbolic-ref", "--short", "--quiet", "HEAD")
        if branch is not None and branch not in MAIN_BRANCHES:
            return head
        break
    # In a shallow clone HEAD^1 may be named in HEAD but absent: that is no baseline either.
    return git(root, "rev-parse", "--verify", "--quiet", "HEAD^1^{commit}")


def extract_protos(root: Path, commit: str, into: Path) -> Path:
    """protos/ as it was at `commit`, written under `into`."""
    archive = subprocess.run(
        ["git", "archive", "--format=tar", commit, "protos"],
        cwd=root,
        capture_output=True,
        check=False,
    )
    if archive.returncode != 0:
        raise SystemExit(f"buf-breaking: cannot read protos/ at {commit}: {archive.stderr!r}")
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(into, filter="data")
    return into / "protos"


def breaking_changes(root: Path, against: Path) -> list[Violation]:
    """What `buf breaking` reports for the working tree's protos against those in `against`."""
    done = subprocess.run(
        [str(BUF), "breaking", "--against", str(against), "--error-format", "json"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    # 0: no change breaks; 100: some do (one JSON object a line); anything else: buf failed.
    if done.returncode not in (0, 100):
        raise SystemExit(f"buf-breaking: buf failed:\n{done.stderr}{done.stdout}")
    reports = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    return [Violation(r["path"], r["type"], r["message"]) for r in reports]


def unlisted(violations: list[Violation], ledger: str) -> list[Violation]:
    """The changes the ledger does not acknowledge; protos that do not compile never pass."""
    return [v for v in violations if v.rule == "COMPILE" or v.entry not in ledger]


def main(root: Path = ROOT) -> int:
    """Check the repository at `root`; the exit status of `make buf-breaking`."""
    against = baseline(root)
    if against is None:
        shallow = git(root, "rev-parse", "--is-shallow-repository") == "true"
        why = "a shallow clone without the previous commit" if shallow else "the first commit"
        print(
            f"buf-breaking: SKIPPED: nothing to compare with ({why}); fetch more history "
            "or set BUF_BREAKING_AGAINST=<rev> to check.",
            file=sys.stderr,
        )
        return 0
    with tempfile.TemporaryDirectory(prefix="buf-breaking-") as scratch:
        violations = breaking_changes(root, extract_protos(root, against, Path(scratch)))
    ledger_path = root / LEDGER
    ledger = ledger_path.read_text(encoding="utf-8") if ledger_path.exists() else ""
    # The template's example is inside an HTML comment: it acknowledges nothing.
    ledger = re.sub(r"<!--.*?-->", "", ledger, flags=re.DOTALL)
    missing = unlisted(violations, ledger)
    for violation in violations:
        if violation not in missing:
            print(f"buf-breaking: acknowledged in {LEDGER.name}: {violation.entry}")
    if not missing:
        print(f"buf-breaking: no unacknowledged breaking change against {against[:12]}")
        return 0
    listing = "\n".join(f"  - {violation.entry}  [{violation.rule}]" for violation in missing)
    print(
        f"buf-breaking: these changes break the protos' clients (compared with {against[:12]}):\n"
        f"{listing}\n"
        "Keep the old contract working (add a field, message or RPC instead of changing one),\n"
        "or, if the break is deliberate, list these lines with the reason in a new entry of\n"
        f"{LEDGER}.",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
