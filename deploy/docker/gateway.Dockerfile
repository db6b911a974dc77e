# syntax=docker/dockerfile:1
# Gateway: the HTTP API the browser calls (FastAPI). Build from the repo root:
#   docker build -f deploy/docker/gateway.Dockerfile -t voice-agent/gateway .
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN python -m venv /venv
# Dependencies from pyproject.toml alone, so that a code change reuses this layer.
COPY pyproject.toml README.md ./
RUN /venv/bin/pip install '.[gateway]'
COPY voice_core voice_core
COPY protos/voice_agent protos/voice_agent
COPY gateway gateway
RUN /venv/bin/pip install --no-deps --force-reinstall .

FROM ${PYTHON_IMAGE}
# A fixed numeric uid: Kubernetes can check runAsNonRoot.
RUN useradd --system --uid 10001 --user-group --no-create-home app
COPY --from=build /venv /venv
ENV PATH=/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    GATEWAY_HOST=0.0.0.0 \
    GATEWAY_PORT=8000
WORKDIR /app
USER 10001:10001
EXPOSE 8000
# Ready means the ingest service behind it answers SERVING.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
    CMD python -m voice_core.healthcheck http://127.0.0.1:${GATEWAY_PORT}/readyz
# Python is PID 1: fine, the service handles SIGTERM itself and starts no child processes.
CMD ["python", "-m", "gateway"]
