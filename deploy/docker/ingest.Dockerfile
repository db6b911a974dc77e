# Ingest service: stores uploaded audio, creates summary requests. Build from the repo root:
#   docker build -f deploy/docker/ingest.Dockerfile -t voice-agent/ingest .
ARG PYTHON_IMAGE=python:3.11-slim-bookworm
# The uv that installs from uv.lock: the lock's own version of it (tests/deploy checks).
ARG UV_VERSION=0.13.9

FROM ${PYTHON_IMAGE} AS build
ARG UV_VERSION
# uv installs exactly what uv.lock pins (hashes checked) for this service's extra into /venv,
# with the image's own Python; it trusts the system's CA certificates, as pip does.
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    UV_PROJECT_ENVIRONMENT=/venv UV_PYTHON=/usr/local/bin/python3 UV_PYTHON_DOWNLOADS=never \
    UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_NO_CACHE=1 UV_SYSTEM_CERTS=1
RUN python -m venv /uv && /uv/bin/pip install --quiet uv==${UV_VERSION}
WORKDIR /src
# Dependencies from the lock alone, so that a code change reuses this layer.
COPY pyproject.toml uv.lock README.md ./
RUN /uv/bin/uv sync --frozen --extra ingest --no-install-project
COPY voice_core voice_core
COPY protos/voice_agent protos/voice_agent
COPY ingest_svc ingest_svc
# A webhook event's data is the request as the API shows it: gateway/schemas.py makes it.
COPY gateway/__init__.py gateway/schemas.py gateway/
RUN /uv/bin/uv sync --frozen --extra ingest --no-editable

FROM ${PYTHON_IMAGE}
# A fixed numeric uid and gid, the manifests' runAsUser and runAsGroup: Kubernetes can check
# runAsNonRoot, and volumes are owned 10001:10001.
# /data/audio is created here so that a named volume mounted on it starts out owned by app.
RUN groupadd --gid 10001 app \
    && useradd --uid 10001 --gid 10001 --no-create-home --shell /usr/sbin/nologin app \
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
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD python -m voice_core.healthcheck 127.0.0.1:${INGEST_PORT}
# Python is PID 1: fine, the service handles SIGTERM itself and starts no child processes.
CMD ["python", "-m", "ingest_svc"]
