"""``python -m eval.summary_eval``: dev and held-out scored apart; an empty held-out set is said."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval import summary_eval
from eval.notes import DEV_SET, load

NOTE: dict[str, object] = {
    "id": "w9-001",
    "category": "errand",
    "language": "en",
    "style": "punctuated",
    "text": (
        "Quick note about the car. The garage says the brakes are worn and the repair costs "
        "four hundred euros. The MOT is due on the first of March. I'll book the garage for "
        "Thursday morning and pay from the joint account."
    ),
    "key_points": ["the brakes are worn", "repair costs four hundred euros"],
    "must_cover": ["repair costs four hundred euros"],
    "next_step": "book the garage for Thursday morning",
}


def write_set(path: Path, notes: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(n) + "\n" for n in notes), encoding="utf-8")
    return path


@pytest.fixture
def dev_set(tmp_path: Path) -> Path:
    return write_set(tmp_path / "dev.jsonl", [NOTE, {**NOTE, "id": "w9-002", "origin": "x-r1"}])


def test_an_empty_held_out_set_is_reported_and_checks_no_target(
    dev_set: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = write_set(tmp_path / "heldout.jsonl", [])
    code = summary_eval.main(["--dev-set", str(dev_set), "--heldout-set", str(empty)])
    out = capsys.readouterr().out
    assert code == 0
    assert "no held-out set" in out
    assert "targets, on" not in out
    assert "from x-r1: 1" in out  # where moved notes came from


def test_a_held_out_set_is_scored_apart_against_the_targets(
    dev_set: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A next step nobody said: the held-out set misses its target, and the exit status says so.
    wrong = {**NOTE, "id": "w9-003", "next_step": "sell the car to the neighbour"}
    heldout = write_set(tmp_path / "heldout.jsonl", [wrong])
    code = summary_eval.main(["--dev-set", str(dev_set), "--heldout-set", str(heldout)])
    out = capsys.readouterr().out
    assert code == 1
    assert "targets, on the held-out set:" in out
    assert "FAIL  next-step accuracy" in out


def test_the_committed_dev_set_loads_with_every_origin_known() -> None:
    notes = load(DEV_SET)
    assert len(notes) >= 248
    assert len({n.id for n in notes}) == len(notes)
    assert {n.origin for n in notes} <= {"", "heldout-r2"}
