# Voice notes → emailed summaries. `make run` starts everything; `make test` checks everything.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --warn-undefined-variables --no-builtin-rules
.DELETE_ON_ERROR:

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
NODE_INSTALLED := frontend/node_modules/.installed
FRONTEND ?= 1
PROTO_FILES := $(wildcard protos/voice_agent/v1/*.proto)
PY_SOURCES := bench devstack gateway ingest_svc notify_svc scheduler transcribe_svc voice_core tests eval

.PHONY: help install run migrate proto proto-check lint format typecheck test test-python \
        test-frontend bench-asr bench-queue bench-gateway eval-summary clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

$(NODE_INSTALLED): frontend/package-lock.json
	npm --prefix frontend ci --no-audit --no-fund
	touch $@

install: $(INSTALLED) ## Create the virtualenv with every service's dependencies

run: $(INSTALLED) $(if $(filter 0,$(FRONTEND)),,$(NODE_INSTALLED)) ## Run the whole system (FRONTEND=0 skips the UI)
	FRONTEND=$(FRONTEND) $(BIN)/python -m devstack

migrate: $(INSTALLED) ## Apply the SQL migrations (embedded Postgres unless DATABASE_URL is set)
	$(BIN)/python -m devstack.migrate

proto: $(INSTALLED) ## Regenerate the Python code from protos/
	PATH="$(BIN):$$PATH" $(BIN)/python -m grpc_tools.protoc -Iprotos \
	  --python_out=protos --grpc_python_out=protos --mypy_out=protos --mypy_grpc_out=protos \
	  $(PROTO_FILES)

proto-check: $(INSTALLED) ## Fail if the committed generated code is not what `make proto` makes
	tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	PATH="$(BIN):$$PATH" $(BIN)/python -m grpc_tools.protoc -Iprotos \
	  --python_out=$$tmp --grpc_python_out=$$tmp --mypy_out=$$tmp --mypy_grpc_out=$$tmp \
	  $(PROTO_FILES) >/dev/null; \
	for generated in $$tmp/voice_agent/v1/*; do \
	  diff -u "protos/voice_agent/v1/$$(basename $$generated)" "$$generated" \
	    || { echo "protos/ and generated code differ: run 'make proto'" >&2; exit 1; }; \
	done

lint: $(INSTALLED) ## ruff (lint + format check) and mypy
	$(BIN)/ruff check $(PY_SOURCES)
	$(BIN)/ruff format --check $(PY_SOURCES)
	$(BIN)/mypy $(PY_SOURCES)

format: $(INSTALLED) ## Format and auto-fix the Python code
	$(BIN)/ruff format $(PY_SOURCES)
	$(BIN)/ruff check --fix $(PY_SOURCES)

# The browser tests build and serve the frontend, so they need its node_modules too.
test-python: $(INSTALLED) $(NODE_INSTALLED)
	$(BIN)/python -m pytest

test-frontend: $(NODE_INSTALLED)
	npm --prefix frontend run lint
	npm --prefix frontend run typecheck
	npm --prefix frontend test
	npm --prefix frontend run build

test: proto-check lint test-python test-frontend ## Everything CI checks

bench-queue: $(INSTALLED) ## Claims/s, emails/s end to end, "send now" latency
	$(BIN)/python -m bench.queue

bench-asr: $(INSTALLED) ## faster-whisper direct vs through transcribe_svc, RSS over 100 requests, 1 vs 2 pods
	$(BIN)/python -m bench.asr

bench-gateway: $(INSTALLED) ## API latency at 200 req/s and upload throughput with gateway RSS
	$(BIN)/python -m bench.gateway

eval-summary: $(INSTALLED) ## Summarizer quality vs. baselines, dev and held-out (fails below the held-out targets)
	$(BIN)/python -m eval.summary_eval

clean: ## Remove the virtualenv, build outputs and local data
	rm -rf $(VENV) .data .mypy_cache .ruff_cache .pytest_cache test-artifacts \
	  frontend/node_modules frontend/.next frontend/.next-e2e frontend/.next-e2e.lock
