# Signalboard: two commands for users (see README).
#   make run   build the app, start the demo service, serve the dashboard on :8080
#   make test  every test layer: native, wasm-in-Chromium, end-to-end
SHELL := /bin/bash
.ONESHELL:
.SHELLFLAGS := -eu -o pipefail -c
.PHONY: run test build tools test-tools test-native test-wasm test-e2e lint fmt size clean

TOOLS_ENV = scripts/setup-tools.sh
PORT ?= 8080
DEMO_ADDR ?= 127.0.0.1:8000

tools:
	@$(TOOLS_ENV) >/dev/null

build:
	eval "$$($(TOOLS_ENV))"
	trunk build --release
	scripts/wasm-size.sh

run:
	eval "$$($(TOOLS_ENV))"
	trunk build --release
	scripts/wasm-size.sh
	cargo build --release -p signalboard-demo -p signalboard-cli
	exec scripts/run.sh "$(DEMO_ADDR)" "$(PORT)"

test:
	eval "$$($(TOOLS_ENV) --test)"
	scripts/test.sh

lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings

fmt:
	cargo fmt --all

clean:
	rm -rf dist target
