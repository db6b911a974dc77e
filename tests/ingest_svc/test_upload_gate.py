"""Upload admission: slots, and room on the spool's disk for the worst case of each upload."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import NamedTuple

import grpc
import pytest

from ingest_svc.upload_gate import UploadGate
from voice_core.errors import ServiceError

MB = 2**20


class Usage(NamedTuple):
    total: int
    used: int
    free: int


def gate_with_free_space(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, free: int, slots: int = 8
) -> UploadGate:
    monkeypatch.setattr(shutil, "disk_usage", lambda _: Usage(free * 2, free, free))
    return UploadGate(tmp_path, slots=slots, max_upload_bytes=100 * MB, min_free_bytes=50 * MB)


def refusal(gate: UploadGate) -> ServiceError:
    with pytest.raises(ServiceError) as caught, gate.admit():
        pass
    assert caught.value.code is grpc.StatusCode.UNAVAILABLE
    assert caught.value.retry_after_s is not None
    assert caught.value.retry_after_s > 0
    return caught.value


def test_slots_are_counted_and_given_back(tmp_path: Path) -> None:
    gate = UploadGate(tmp_path, slots=2, max_upload_bytes=MB, min_free_bytes=0)
    with gate.admit():
        with gate.admit():
            assert refusal(gate).reason == "uploads_busy"
        with gate.admit():  # the second slot is back
            assert refusal(gate).reason == "uploads_busy"
    with gate.admit(), gate.admit():
        pass


def test_an_upload_needs_room_for_its_largest_size_plus_the_reserve(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert refusal(gate_with_free_space(monkeypatch, tmp_path, 149 * MB)).reason == "spool_full"
    with gate_with_free_space(monkeypatch, tmp_path, 150 * MB).admit():
        pass


def test_uploads_in_progress_keep_room_for_what_they_may_still_write(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    gate = gate_with_free_space(monkeypatch, tmp_path, 249 * MB)
    with gate.admit() as running:
        # 249 free - 100 still promised to the first upload - 100 for this one < 50 in reserve.
        assert refusal(gate).reason == "spool_full"
        running.written = 60 * MB  # written bytes are already gone from the free space
        with gate.admit():
            pass
