"""ingest_svc package."""
