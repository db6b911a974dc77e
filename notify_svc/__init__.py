"""notify_svc package."""
