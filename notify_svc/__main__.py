"""Run the notification service: `python -m notify_svc`."""

from notify_svc.config import NotifySettings
from notify_svc.server import NotifyApp
from voice_core.grpc_server import run_service
from voice_core.settings import load_settings


def main() -> None:
    settings = load_settings(NotifySettings)
    run_service(
        "notify",
        NotifyApp(settings),
        port=settings.notify_port,
        metrics_port=settings.notify_metrics_port,
        settings=settings,
    )


if __name__ == "__main__":
    main()
