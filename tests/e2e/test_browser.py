"""The recorder in a real Chromium with a fake microphone, against the whole running system.

The services run as real processes on a throwaway Postgres, the front end as a production
build (`next build` + `next start`) aimed at that gateway, and the Playwright scripts in
frontend/e2e/ drive Debian's chromium through it. Screenshots land in test-artifacts/browser/.
"""

from __future__ import annotations

import email
import email.policy
import fcntl
import os
import re
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import av
import httpx
import psycopg
import pytest

from devstack import frontend as ui
from devstack.processes import ServiceProcess
from devstack.stack import Stack
from tests.e2e.conftest import request_body
from tests.support import JFK_FLAC, running_stack, wait_until
from tests.transcribe_svc import media
from voice_core.capabilities import new_token, token_hash

ROOT = Path(__file__).resolve().parents[2]
FRONTEND = ROOT / "frontend"
CHROMIUM = Path("/usr/bin/chromium")
DIST_DIR = ".next-e2e"
EMAIL = "browser-e2e@example.com"
# Every address the scripts but confirm.test.ts send to (grep @example.com frontend/e2e).
SCRIPT_ADDRESSES = (
    EMAIL,
    "not-audio@example.com",
    "broken@example.com",
    "later@example.com",
    "phone@example.com",
    "terms@example.com",
)
# Room for the 12 s recording, and short enough to watch the limit stop another one.
MAX_RECORDING_SECONDS = 14

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"needs Debian's chromium at {CHROMIUM} (apt-get install chromium)",
)


@dataclass(frozen=True)
class Frontend:
    stack: Stack
    script_env: dict[str, str]


def speech_wav(path: Path) -> Path:
    """jfk.flac as the 48 kHz 16-bit WAV that Chromium's fake microphone plays."""
    resampler = av.AudioResampler(format="s16", layout="mono", rate=48_000)
    with av.open(str(JFK_FLAC)) as source, av.open(str(path), "w", format="wav") as target:
        stream = target.add_stream("pcm_s16le", rate=48_000, layout="mono")
        for frame in [*source.decode(audio=0), None]:
            for resampled in resampler.resample(frame):
                target.mux(stream.encode(resampled))
        target.mux(stream.encode(None))
    return path


def free_port() -> int:
    """A port nobody listens on. The front end's origin must be in the gateway's CORS_ORIGINS
    before the front end can be built for that gateway, so it cannot bind port 0 itself."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def exclusive_build_dir() -> Iterator[None]:
    """Two runs in one checkout would rebuild .next-e2e under each other's server."""
    with (FRONTEND / f"{DIST_DIR}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def wait_until_serving(url: str, server: ServiceProcess, timeout_s: float = 60.0) -> None:

    def serving() -> bool:
        assert server.running(), f"the front end stopped:\n{server.output()}"
        try:
            return httpx.get(url, timeout=5).status_code == 200
        except httpx.HTTPError:
            return False

    wait_until(serving, timeout_s=timeout_s, what=f"the front end to serve {url}", interval_s=0.2)


@pytest.fixture(scope="module")
def frontend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Frontend]:
    data_dir = tmp_path_factory.mktemp("browser")
    fake_audio = speech_wav(data_dir / "jfk-48k.wav")
    origin = f"http://127.0.0.1:{free_port()}"
    # The same server by name too (hosts.test.ts); double opt-in on, and the emails' links
    # pointing at this front end.
    env = {
        "CORS_ORIGINS": f"{origin},{by_name(origin)}",
        "SCHEDULER_POLL_INTERVAL_S": "0.5",
        "PUBLIC_APP_URL": origin,
    }
    with (
        exclusive_build_dir(),
        running_stack(data_dir, env=env, recipient_confirmation=True) as stack,
    ):
        # The other scripts' addresses confirmed beforehand, as their owners would have done.
        for address in SCRIPT_ADDRESSES:
            confirm_address(stack, address)
        next_env = {
            **os.environ,
            "NEXT_DIST_DIR": DIST_DIR,
            "NEXT_TELEMETRY_DISABLED": "1",
            "NEXT_PUBLIC_API_BASE_URL": stack.gateway_url,
            "NEXT_PUBLIC_MAX_RECORDING_SECONDS": str(MAX_RECORDING_SECONDS),
        }
        # As `make run` builds it (devstack/frontend.py), stamp included.
        ui.finish_build(ui.start_build(FRONTEND, next_env, None), FRONTEND, next_env)
        assert ui.is_current(FRONTEND, next_env)
        next_bin = str(FRONTEND / "node_modules" / ".bin" / "next")
        port = origin.rsplit(":", 1)[1]
        server = ServiceProcess(
            "frontend", [next_bin, "start", str(FRONTEND), "-H", "127.0.0.1", "-p", port], next_env
        )
        try:
            wait_until_serving(origin, server)
            yield Frontend(
                stack=stack,
                script_env={
                    **os.environ,
                    "E2E_BASE_URL": origin,
                    "E2E_API_URL": stack.gateway_url,
                    "E2E_FAKE_AUDIO": str(fake_audio),
                    "E2E_MAX_RECORDING_SECONDS": str(MAX_RECORDING_SECONDS),
                    "E2E_EMAIL": EMAIL,
                    "E2E_ARTIFACTS_DIR": str(ROOT / "test-artifacts" / "browser"),
                },
            )
        finally:
            server.stop()


def by_name(origin: str) -> str:
    """http://127.0.0.1:3000 → http://localhost:3000."""
    return origin.replace("//127.0.0.1:", "//localhost:")


def confirm_address(stack: Stack, address: str) -> None:
    """Confirm an address through the state functions, with a token as its email would carry."""
    hashed = token_hash(new_token())
    assert stack.database_url is not None
    with psycopg.connect(stack.database_url, autocommit=True) as connection:
        connection.execute(
            "SELECT add_recipient_token(%s, 'confirm', %s, '1 hour')", [address, hashed]
        )
        connection.execute("SELECT count(*) FROM confirm_recipient(%s)", [hashed])


def run_script(frontend: Frontend, name: str, **env: str) -> None:
    """Runs one frontend/e2e script with Node's test runner; its report is the test's output."""
    result = subprocess.run(
        ["node", "--import", "tsx", "--test", "--test-reporter=spec", f"e2e/{name}"],
        cwd=FRONTEND,
        env={**frontend.script_env, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    print(result.stdout, result.stderr, sep="\n")
    assert result.returncode == 0, f"e2e/{name} failed:\n{result.stdout}\n{result.stderr}"


def test_record_send_and_follow_to_the_email(frontend: Frontend) -> None:
    """The script sends a note, follows it to "sent", opens it from the recent notes, and
    deletes it; here: the email went out once, and the deleted note kept no content."""
    run_script(frontend, "record-and-send.test.ts")

    messages = [
        email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        for path in frontend.stack.outbox_dir.glob("*.eml")
    ]
    [message] = [m for m in messages if m["To"] == EMAIL]
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    assert "Next step" in str(body.get_content())
    assert frontend.stack.database_url is not None
    with psycopg.connect(frontend.stack.database_url) as connection:
        [row] = connection.execute(
            "SELECT status::text, email, summary_bullets, transcript_id,"
            " (SELECT purged_at IS NOT NULL FROM audio_assets a WHERE a.id = r.audio_id)"
            " FROM summary_requests r WHERE r.status = 'deleted'"
        ).fetchall()
    assert row == ("deleted", "", None, None, True)


def note_through_the_api(frontend: Frontend, address: str) -> dict[str, Any]:
    """A note (with a transcript, so nothing is transcribed) to `address`, as a caller makes it."""
    api = frontend.stack.gateway_url
    with JFK_FLAC.open("rb") as audio:
        uploaded = httpx.post(f"{api}/v1/audio", files={"file": ("n.flac", audio)}, timeout=30)
    body = {**request_body(uploaded.json(), address), "transcript": "We met."}
    created: dict[str, Any] = httpx.post(f"{api}/v1/requests", json=body, timeout=30).json()
    return created


def emailed_link(frontend: Frontend, address: str, page: str) -> str:
    """The link to the front end's `page` that an email to `address` carries."""

    def link() -> str | None:
        for path in frontend.stack.outbox_dir.glob("*.eml"):
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            if message["To"] == address and (part := message.get_body(("plain",))):
                origin = re.escape(frontend.script_env["E2E_BASE_URL"])
                if found := re.search(f"{origin}/{page}#token=[\\w-]+", str(part.get_content())):
                    return found.group(0)
        return None

    return wait_until(link, timeout_s=10, what=f"an email to {address} linking to /{page}")


def test_confirm_by_link(frontend: Frontend) -> None:
    """A note to a new address waits; the emailed link, opened in the browser, confirms it."""
    address = "confirm-by-link@example.com"
    created = note_through_the_api(frontend, address)
    assert created["status"] == "awaiting_confirmation"
    link = emailed_link(frontend, address, "confirm")
    run_script(
        frontend,
        "confirm.test.ts",
        E2E_CONFIRM_STATUS_PATH=f"/requests/{created['id']}#token={created['access_token']}",
        E2E_CONFIRM_LINK=link,
    )


def test_your_notes_page(frontend: Frontend) -> None:
    """ "Email me my notes": the emailed link opens the list of the address's notes."""
    address = "notes-page@example.com"
    created = note_through_the_api(frontend, address)
    asked = httpx.post(
        f"{frontend.stack.gateway_url}/v1/recipients/link", json={"email": address}, timeout=30
    )
    assert asked.status_code == 202
    link = emailed_link(frontend, address, "notes")
    run_script(frontend, "notes.test.ts", E2E_NOTES_REQUEST_ID=created["id"], E2E_NOTES_LINK=link)


def test_transcript_download_buttons(frontend: Frontend) -> None:
    """The status page's buttons save the transcript as the API serves it: .txt, .srt and .vtt
    for a note the real Whisper transcribed, .txt only for a typed one."""
    api = frontend.stack.gateway_url
    paths = {}
    for address, extra in [
        ("downloads-heard@example.com", {}),
        ("downloads-typed@example.com", {"transcript": "We met. We agreed on Friday."}),
    ]:
        confirm_address(frontend.stack, address)
        with JFK_FLAC.open("rb") as audio:
            uploaded = httpx.post(f"{api}/v1/audio", files={"file": ("n.flac", audio)}, timeout=30)
        body = {**request_body(uploaded.json(), address), **extra}
        created = httpx.post(f"{api}/v1/requests", json=body, timeout=30).json()
        paths[address] = f"/requests/{created['id']}#token={created['access_token']}"
    run_script(
        frontend,
        "transcript-downloads.test.ts",
        E2E_TRANSCRIBED_STATUS_PATH=paths["downloads-heard@example.com"],
        E2E_TYPED_STATUS_PATH=paths["downloads-typed@example.com"],
    )


def test_unsubscribe_by_link(frontend: Frontend) -> None:
    """The summary email's "Stop these emails" link, opened in the browser, unsubscribes."""
    address = "unsubscribe-by-link@example.com"
    confirm_address(frontend.stack, address)
    note_through_the_api(frontend, address)
    link = emailed_link(frontend, address, "unsubscribe")
    run_script(frontend, "unsubscribe.test.ts", E2E_UNSUBSCRIBE_LINK=link)
    assert frontend.stack.database_url is not None
    with psycopg.connect(frontend.stack.database_url) as connection:
        row = connection.execute("SELECT recipient_standing(%s)::text", [address]).fetchone()
    assert row == ("unsubscribed",)


def test_problems_are_explained_and_nothing_is_lost(frontend: Frontend) -> None:
    run_script(frontend, "problems.test.ts")


def test_schedule_reschedule_and_cancel_in_local_time(frontend: Frontend) -> None:
    run_script(frontend, "schedule.test.ts")


def test_names_and_terms_and_language_go_with_the_note(frontend: Frontend) -> None:
    run_script(frontend, "vocabulary.test.ts")


def test_transcription_progress_on_the_status_page(frontend: Frontend, tmp_path: Path) -> None:
    """A note long enough to watch (2.5 minutes of speech): the script follows its status page
    through "Transcribing… N %" to the sent summary."""
    address = "progress@example.com"
    confirm_address(frontend.stack, address)
    path = tmp_path / "long-note.wav"
    path.write_bytes(media.wav(media.long_speech(150)))
    api = frontend.stack.gateway_url
    with path.open("rb") as audio:
        uploaded = httpx.post(f"{api}/v1/audio", files={"file": (path.name, audio)}, timeout=30)
    body = request_body(uploaded.json(), address)
    created = httpx.post(f"{api}/v1/requests", json=body, timeout=30).json()
    status_path = f"/requests/{created['id']}#token={created['access_token']}"
    run_script(frontend, "progress.test.ts", E2E_PROGRESS_STATUS_PATH=status_path)


def test_pages_forbid_framing_and_may_call_only_the_gateway(frontend: Frontend) -> None:
    """The Content-Security-Policy is on every page; that it blocks nothing the app needs is
    checked by every script above (a CSP report in the console fails it)."""
    origin = frontend.script_env["E2E_BASE_URL"]
    for path in ("/", "/requests/0b5a5f9e-8a8f-4d0e-9c55-2d9f2b0f9a11", "/no-such-page"):
        headers = httpx.get(f"{origin}{path}", timeout=30).headers
        policy = {
            name: sources
            for name, _, sources in (
                directive.strip().partition(" ")
                for directive in headers["content-security-policy"].split(";")
            )
        }
        assert policy["frame-ancestors"] == "'none'", path
        assert policy["connect-src"] == f"'self' {frontend.stack.gateway_url}", path
        assert "'unsafe-eval'" not in policy["script-src"], path
        assert headers["x-frame-options"] == "DENY", path


def test_phone_recovery_upload_retry_and_wake_lock(frontend: Frontend) -> None:
    """A recording back after a reload, uploads through a refused connection and a busy
    server, the screen kept on (frontend/e2e/phone.test.ts)."""
    run_script(frontend, "phone.test.ts")


def test_records_and_sends_at_localhost_and_127_0_0_1(frontend: Frontend) -> None:
    """The production build (`make run`) works under either name of the machine."""
    origin = frontend.script_env["E2E_BASE_URL"]
    run_script(frontend, "hosts.test.ts", E2E_ORIGINS=f"{by_name(origin)},{origin}", E2E_SEND="1")


def test_the_dev_server_hydrates_at_localhost_and_127_0_0_1(frontend: Frontend) -> None:
    """`make dev`'s `next dev` (into .next-e2e/dev, beside the production build): the page
    hydrates, so the record button records, at both names."""
    origin = f"http://127.0.0.1:{free_port()}"
    env = {
        **frontend.script_env,
        **ui.frontend_env(frontend.stack.gateway_url),
        "NEXT_DIST_DIR": DIST_DIR,
    }
    server = ui.server("dev", FRONTEND, env, origin.rsplit(":", 1)[1], None)
    try:
        wait_until_serving(origin, server, timeout_s=180)
        run_script(frontend, "hosts.test.ts", E2E_ORIGINS=f"{origin},{by_name(origin)}")
    finally:
        server.stop()
