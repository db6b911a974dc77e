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
# uv installs from requirements/*.txt; the version dev.txt pins (tests/deploy checks they agree).
UV_VERSION := 0.13.9
UV := $(BIN)/uv
# uv uses the virtualenv's Python (made from PYTHON) and never downloads an interpreter.
export UV_PYTHON_DOWNLOADS := never
NODE_INSTALLED := frontend/node_modules/.installed
# Code generators and contract checkers from npm (buf, openapi-typescript), pinned in tools/.
TOOLS_INSTALLED := tools/node_modules/.installed
BUF := tools/node_modules/.bin/buf
API_TYPES := frontend/lib/api-types.ts
# Empty unless given: then make run takes it from .env, or runs the UI.
FRONTEND ?=
# Packages `make lock` upgrades to their newest allowed versions (names, space-separated).
UPGRADE ?=
PROTO_FILES := $(wildcard protos/voice_agent/v1/*.proto)
PY_SOURCES := bench devstack gateway ingest_svc notify_svc scheduler transcribe_svc voice_core tests eval \
  tools

.PHONY: help install lock lock-check run dev migrate proto proto-check buf-lint buf-breaking api-types \
        api-types-check lint format typecheck test test-python test-frontend test-images bench-asr \
        bench-queue bench-gateway bench-healthcheck eval-summary clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

# uv itself comes from the package index into the virtualenv, by pip; from then on dev.txt keeps it.
$(UV):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet uv==$(UV_VERSION)

# Exactly what requirements/dev.txt pins, every file's hash checked (packages not in it are
# removed), then the project itself editable, built with the pinned setuptools, and nothing
# resolved; `uv pip check` confirms the pins satisfy the project's own requirements.
$(INSTALLED): pyproject.toml requirements/dev.txt requirements/build.txt | $(UV)
	$(UV) pip sync --python $(BIN)/python --require-hashes requirements/dev.txt
	$(UV) pip install --python $(BIN)/python --no-deps --build-constraints requirements/build.txt \
	  --editable .
	$(UV) pip check --python $(BIN)/python
	touch $@

$(NODE_INSTALLED): frontend/package-lock.json
	npm --prefix frontend ci --no-audit --no-fund
	touch $@

$(TOOLS_INSTALLED): tools/package-lock.json
	npm --prefix tools ci --no-audit --no-fund
	touch $@

install: $(INSTALLED) $(TOOLS_INSTALLED) ## The virtualenv with every service's dependencies as locked, and tools/

# The lock files keep their pins wherever pyproject.toml allows (tools/lockfiles.py);
# `make lock UPGRADE="NAME …"` moves those packages to their newest allowed versions.
lock: | $(UV) ## Rewrite requirements/*.txt from pyproject.toml (UPGRADE="NAME …": newest of those)
	$(BIN)/python -m tools.lockfiles lock $(foreach name,$(UPGRADE),--upgrade-package=$(name))

lock-check: | $(UV) ## Fail if requirements/*.txt do not match pyproject.toml
	$(BIN)/python -m tools.lockfiles check

run: $(INSTALLED) $(if $(filter 0,$(FRONTEND)),,$(NODE_INSTALLED)) ## Run the whole system, the UI as a production build (FRONTEND=0 skips it)
	$(if $(FRONTEND),FRONTEND=$(FRONTEND) )$(BIN)/python -m devstack

dev: $(INSTALLED) $(NODE_INSTALLED) ## Like run, the UI on `next dev` with hot reload
	FRONTEND=dev $(BIN)/python -m devstack

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

buf-lint: $(TOOLS_INSTALLED) ## Lint protos/ in Buf's STANDARD style, every element commented (buf.yaml)
	$(BUF) lint

# Compares with where the branch left main, or on main with the previous commit; a deliberate
# break passes once listed in protos/BREAKING_CHANGES.md (which says how).
buf-breaking: $(INSTALLED) $(TOOLS_INSTALLED) ## Fail on proto changes that break clients, unless acknowledged
	$(BIN)/python -m tools.buf_breaking

# The frontend's API types: the gateway's OpenAPI document through openapi-typescript, under a
# header of our own, written to the file named by the argument.
define generate_api_types
{ printf '%s\n' \
    '// GENERATED by `make api-types` from the OpenAPI document of the gateway (its routes,' \
    '// gateway/schemas.py and voice_core/request_json.py), with openapi-typescript' \
    '// (tools/package.json). Do not edit: change the' \
    '// gateway and run `make api-types`; `make test` fails while this file is stale.' \
  && $(BIN)/python -m gateway.openapi | tools/node_modules/.bin/openapi-typescript; } > $(1)
endef

api-types: $(INSTALLED) $(TOOLS_INSTALLED) ## Regenerate frontend/lib/api-types.ts from the gateway's OpenAPI
	tmp=$$(mktemp); trap 'rm -f "$$tmp"' EXIT; \
	$(call generate_api_types,"$$tmp"); \
	cp "$$tmp" $(API_TYPES)

api-types-check: $(INSTALLED) $(TOOLS_INSTALLED) ## Fail if frontend/lib/api-types.ts is stale
	tmp=$$(mktemp); trap 'rm -f "$$tmp"' EXIT; \
	$(call generate_api_types,"$$tmp"); \
	diff -u $(API_TYPES) "$$tmp" || { echo "$(API_TYPES) is stale: run 'make api-types'" >&2; exit 1; }

lint: $(INSTALLED) ## ruff (lint + format check) and mypy
	$(BIN)/ruff check $(PY_SOURCES)
	$(BIN)/ruff format --check $(PY_SOURCES)
	$(BIN)/mypy $(PY_SOURCES)

format: $(INSTALLED) ## Format and auto-fix the Python code
	$(BIN)/ruff format $(PY_SOURCES)
	$(BIN)/ruff check --fix $(PY_SOURCES)

# The browser tests build and serve the frontend, so they need its node_modules too; the
# tools' tests run buf.
test-python: $(INSTALLED) $(NODE_INSTALLED) $(TOOLS_INSTALLED)
	$(BIN)/python -m pytest

test-frontend: $(NODE_INSTALLED)
	npm --prefix frontend run lint
	npm --prefix frontend run typecheck
	npm --prefix frontend test
	npm --prefix frontend run build

test: lock-check proto-check buf-lint buf-breaking api-types-check lint test-python test-frontend ## Everything CI checks

# Not in CI: needs a Docker engine with Compose v2 and the base images (docs/deploy.md).
test-images: $(INSTALLED) ## Build the images, compose up from .env.example, send a note, tear down
	VOICE_AGENT_TEST_IMAGES=1 $(BIN)/python -m pytest tests/images -v -s

bench-queue: $(INSTALLED) ## Claims/s, emails/s end to end, "send now" latency
	$(BIN)/python -m bench.queue

bench-asr: $(INSTALLED) ## faster-whisper direct vs through transcribe_svc, RSS, 1 vs 2 pods, a 20-min note
	$(BIN)/python -m bench.asr

bench-gateway: $(INSTALLED) ## API latency at 200 req/s and upload throughput with gateway RSS
	$(BIN)/python -m bench.gateway

bench-healthcheck: $(INSTALLED) ## CPU of one container health check (gRPC, HTTP) vs grpcio's client
	$(BIN)/python -m bench.healthcheck

eval-summary: $(INSTALLED) ## Summarizer quality vs. baselines, dev and held-out (fails below the held-out targets; says so when there is no held-out set)
	$(BIN)/python -m eval.summary_eval

clean: ## Remove the virtualenv, build outputs and local data
	rm -rf $(VENV) .data .mypy_cache .ruff_cache .pytest_cache test-artifacts tools/node_modules \
	  frontend/node_modules frontend/.next frontend/.next-e2e frontend/.next-e2e.lock
