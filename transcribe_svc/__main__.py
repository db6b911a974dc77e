"""Run the transcription service: `python -m transcribe_svc`."""

from transcribe_svc.app import TranscribeApp
from transcribe_svc.config import TranscribeSettings
from transcribe_svc.malloc import return_large_buffers_to_the_system
from voice_core.grpc_server import run_service
from voice_core.settings import load_settings


def main() -> None:
    return_large_buffers_to_the_system()
    settings = load_settings(TranscribeSettings)
    run_service(
        "transcribe",
        TranscribeApp(settings),
        port=settings.transcribe_port,
        metrics_port=settings.transcribe_metrics_port,
        settings=settings,
    )


if __name__ == "__main__":
    main()
