"""Run a scheduler: `python -m scheduler` (run several for throughput and failover)."""

from scheduler.app import SchedulerApp
from scheduler.config import SchedulerSettings
from voice_core.grpc_server import run_service
from voice_core.settings import load_settings


def main() -> None:
    settings = load_settings(SchedulerSettings)
    run_service(
        "scheduler",
        SchedulerApp(settings),
        port=settings.scheduler_port,
        metrics_port=settings.scheduler_metrics_port,
        settings=settings,
    )


if __name__ == "__main__":
    main()
