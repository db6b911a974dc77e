# syntax=docker/dockerfile:1
# Scheduler: claims due requests and drives them through transcription, summary and email.
# The image also applies the schema: python -m voice_core.migrate --dir /app/migrations
# Build from the repo root:
#   docker build -f deploy/docker/scheduler.Dockerfile -t voice-agent/scheduler .
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN python -m venv /venv
# Dependencies from pyproject.toml alone, so that a code change reuses this layer.
COPY pyproject.toml README.md ./
RUN /venv/bin/pip install '.[scheduler]'
COPY voice_core voice_core
COPY protos/voice_agent protos/voice_agent
COPY scheduler scheduler
RUN /venv/bin/pip install --no-deps --force-reinstall .

FROM ${PYTHON_IMAGE}
# A fixed numeric uid: Kubernetes can check runAsNonRoot, and volumes can be chowned to it.
RUN useradd --system --uid 10001 --user-group --no-create-home app
COPY --from=build /venv /venv
# The installed voice_core.migrate cannot see the repository's folder: pass --dir.
COPY supabase/migrations /app/migrations
ENV PATH=/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    GRPC_HOST=0.0.0.0 \
    SCHEDULER_PORT=50054
WORKDIR /app
USER 10001:10001
# Health and reflection only: the scheduler serves no API.
EXPOSE 50054
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
    CMD python -m voice_core.healthcheck 127.0.0.1:${SCHEDULER_PORT}
# Python is PID 1: fine, the service handles SIGTERM itself and starts no child processes.
CMD ["python", "-m", "scheduler"]
