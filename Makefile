# c2v: make for lessons. `make demo` and `make test` install what is missing first.
SWIFT ?= swift
PREFIX ?= /usr/local
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

# Debian packages c2v builds against (see docs/architecture.md, "Native libraries").
APT_PACKAGES := libcairo2-dev libpango1.0-dev libavcodec-dev libavformat-dev libavutil-dev \
	libswscale-dev libswresample-dev libcurl4-openssl-dev libespeak-ng-dev espeak-ng librsvg2-dev ffmpeg pkg-config fonts-dejavu-core nginx \
	libsource-highlight-dev

# Third-party OpenAI-compatible servers the tests build against, from PyPI, in a virtualenv
# under the build folder (see docs/agents.md).
LLM_SERVERS := .build/llm-servers
LLM_SERVER_PACKAGES := mockllm==0.0.8 litellm[proxy]==1.108.7

.PHONY: deps build demo test install bench clean llm-servers

## deps: install the native libraries, fonts and ffprobe that are not there yet
deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq -o DPkg::Lock::Timeout=300 $$missing; \
	fi

## build: an optimized c2v at .build/release/c2v
build: deps
	$(SWIFT) build -c release --product c2v

## demo: render the flagship lesson to build/fourier/fourier.mp4
demo: build
	.build/release/c2v build lessons/fourier.yaml
	@echo "video: build/fourier/fourier.mp4"

## llm-servers: mockllm and LiteLLM's proxy for the agent tests (once; about a minute)
llm-servers: $(LLM_SERVERS)/.installed
$(LLM_SERVERS)/.installed:
	python3 -m venv $(LLM_SERVERS)
	$(LLM_SERVERS)/bin/pip install -q --disable-pip-version-check $(LLM_SERVER_PACKAGES)
	touch $@

## test: the whole test suite (unit and end-to-end)
test: deps llm-servers
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

## install: put c2v on PATH
install: build
	$(SUDO) install -m 755 .build/release/c2v $(PREFIX)/bin/c2v

## bench: the benchmarks of docs/benchmarks.md (takes a few minutes)
bench: build
	scripts/bench

## clean: remove build outputs (the cache stays; `c2v clean --cache` empties it)
clean:
	rm -rf build
