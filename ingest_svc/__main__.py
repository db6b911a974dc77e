"""Run the ingest service: `python -m ingest_svc`."""

from ingest_svc.app import IngestApp
from ingest_svc.config import IngestSettings
from voice_core.grpc_server import run_service
from voice_core.settings import load_settings


def main() -> None:
    settings = load_settings(IngestSettings)
    run_service(
        "ingest",
        IngestApp(settings),
        port=settings.ingest_port,
        metrics_port=settings.ingest_metrics_port,
        settings=settings,
    )


if __name__ == "__main__":
    main()
