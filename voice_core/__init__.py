"""What every service shares: settings, logging, gRPC bootstrap, database pool and error mapping."""
