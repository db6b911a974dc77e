"""Developer tools the Makefile runs (code generators and contract checks)."""
