# Ingest service: stores uploaded audio, creates summary requests. Build from the repo root:
#   docker build -f deploy/docker/ingest.Dockerfile -t voice-agent/ingest .
ARG PYTHON_IMAGE=python:3.11-slim-bookworm
# The uv that installs the lock files: the version requirements/dev.txt pins (tests/deploy checks).
ARG UV_VERSION=0.13.9

FROM ${PYTHON_IMAGE} AS build
ARG UV_VERSION
# uv installs exactly what requirements/ingest.txt pins (every file's hash checked) into the
# virtualenv /venv, made with the image's own Python; it trusts the system's CA certificates,
# as pip does.
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/venv UV_PYTHON_DOWNLOADS=never \
    UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_NO_CACHE=1 UV_SYSTEM_CERTS=1
RUN python -m venv /uv && /uv/bin/pip install --quiet uv==${UV_VERSION} \
    && /uv/bin/uv venv --python /usr/local/bin/python3 /venv
WORKDIR /src
# The dependencies from the lock file alone, so that a code change reuses this layer.
COPY requirements/ingest.txt requirements/build.txt requirements/
RUN /uv/bin/uv pip sync --require-hashes requirements/ingest.txt
COPY voice_core voice_core
COPY protos/voice_agent protos/voice_agent
COPY ingest_svc ingest_svc
COPY pyproject.toml README.md ./
# The project itself, built with the pinned setuptools, resolving nothing; `uv pip check`
# confirms every installed package's requirements, the project's own among them, are met.
RUN /uv/bin/uv pip install --no-deps --build-constraints requirements/build.txt . \
    && /uv/bin/uv pip check

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
