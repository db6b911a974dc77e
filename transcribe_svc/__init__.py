"""transcribe_svc package."""
