# syntax=docker/dockerfile:1
# Ingest service: stores uploaded audio, creates summary requests. Build from the repo root:
#   docker build -f deploy/docker/ingest.Dockerfile -t voice-agent/ingest .
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN python -m venv /venv
# Dependencies from pyproject.toml alone, so that a code change reuses this layer.
COPY pyproject.toml README.md ./
RUN /venv/bin/pip install '.[ingest]'
COPY voice_core voice_core
COPY protos/voice_agent protos/voice_agent
COPY ingest_svc ingest_svc
RUN /venv/bin/pip install --no-deps --force-reinstall .

FROM ${PYTHON_IMAGE}
# A fixed numeric uid: Kubernetes can check runAsNonRoot, and volumes can be chowned to it.
# /data/audio is created here so that a named volume mounted on it starts out owned by app.
RUN useradd --system --uid 10001 --user-group --no-create-home app \
    && install -d -o app -g app /data/audio
COPY --from=build /venv /venv
ENV PATH=/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    GRPC_HOST=0.0.0.0 \
    INGEST_PORT=50051 \
    AUDIO_DIR=/data/audio
WORKDIR /app
USER 10001:10001
EXPOSE 50051
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
    CMD python -m voice_core.healthcheck 127.0.0.1:${INGEST_PORT}
# Python is PID 1: fine, the service handles SIGTERM itself and starts no child processes.
CMD ["python", "-m", "ingest_svc"]
