# Every target installs what it is missing and can be run again safely.
#   make run      build and open the window
#   make test     go vet, go test, frontend tests, keychain tests, the package test, short fuzz runs
#   make bench    benchmarks
#   make package  a .deb and a portable .tar.gz in build/dist

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := build

GOBIN := $(shell go env GOPATH)/bin
export PATH := $(GOBIN):$(PATH)

WAILS_VERSION := v2.15.0
WAILS := $(GOBIN)/wails

APT_PACKAGES := build-essential pkg-config libgtk-3-dev libwebkit2gtk-4.1-dev \
	xvfb xauth xdotool imagemagick x11-apps fonts-dejavu-core fonts-noto-color-emoji chromium \
	desktop-file-utils zip gnome-keyring libsecret-tools dbus dunst systemd
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

VERSION := $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X github.com/airlock-dev/airlock/internal/cli.Version=$(VERSION)

# npm projects: the window's frontend, and the reference MCP servers and
# clients the end-to-end tests run.
FRONTEND := frontend
E2E_NODE := internal/e2e/testdata/node

GO_TEST_TIMEOUT ?= 15m
GO_TEST_FLAGS ?=
BENCHTIME ?= 1s
BENCH ?= .
# Short fuzz runs, as package:FuzzName pairs; empty means every Fuzz
# function in the module, e.g. FUZZ_TARGETS=./internal/redact:FuzzArguments
FUZZ_TARGETS ?=
FUZZTIME ?= 10s

# Packages (make package, make package-windows) go here.
DIST := build/dist

.PHONY: deps deps-apt deps-wails deps-node build run test test-go test-frontend test-package test-keychain fuzz-short bench \
	package package-windows clean

deps: deps-apt deps-wails deps-node

deps-apt:
	@missing=""; \
	for p in $(APT_PACKAGES); do dpkg -s "$$p" >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then echo "apt packages: all present"; exit 0; fi; \
	echo "apt packages: installing$$missing"; \
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -q; \
	install() { $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; }; \
	install || { echo "apt-get install failed; retrying once"; sleep 2; install; }

deps-wails:
	@have="$$("$(WAILS)" version 2>/dev/null || true)"; \
	if [[ "$$have" == *"$(WAILS_VERSION)"* ]]; then \
		echo "wails: $(WAILS_VERSION) present"; \
	else \
		echo "wails: installing $(WAILS_VERSION)"; \
		go install github.com/wailsapp/wails/v2/cmd/wails@$(WAILS_VERSION); \
	fi

# npm ci runs when node_modules is missing or older than the lock file.
# The stamp is npm's own .package-lock.json, written by every install.
deps-node: $(FRONTEND)/node_modules/.package-lock.json
	@if [ -f "$(E2E_NODE)/package-lock.json" ]; then \
		$(MAKE) --no-print-directory $(E2E_NODE)/node_modules/.package-lock.json; \
	else \
		echo "$(E2E_NODE)/package-lock.json not found: skipping the test servers' npm ci"; \
	fi

%/node_modules/.package-lock.json: %/package-lock.json %/package.json
	cd "$*" && npm ci --no-audit --no-fund
	@touch "$@"

# The webkit2_41 tag comes from wails.json. -m and -nosyncgomod keep the
# build from rewriting go.mod.
build: deps
	wails build -m -nosyncgomod -ldflags "$(LDFLAGS)"
	@ls -l build/bin/airlock

run: build
	./build/bin/airlock

# The short fuzz runs are part of the tests: each target replays its
# committed corpus and explores for FUZZTIME.
test: deps test-frontend test-go test-keychain test-package fuzz-short

test-go:
	go vet ./...
	go test -timeout $(GO_TEST_TIMEOUT) $(GO_TEST_FLAGS) ./...

# The keychain tests (build tag keychain) need a real Secret Service: an
# unlocked gnome-keyring on a private D-Bus session bus, with its keyring in
# a temporary folder. Outside CI they skip when none answers; in CI they fail.
test-keychain: deps-apt deps-node
	go vet -tags keychain ./internal/secrets/ ./internal/e2e/
	dbus-run-session -- sh internal/secrets/testdata/with-keyring.sh \
		go test -tags keychain -count=1 -timeout $(GO_TEST_TIMEOUT) $(GO_TEST_FLAGS) \
		-run 'Keychain|Secret' ./internal/secrets/ ./internal/e2e/

test-frontend: deps-node
	cd $(FRONTEND) && npm run typecheck && npm test

fuzz-short:
	@targets="$(FUZZ_TARGETS)"; \
	if [ -z "$$targets" ]; then \
		targets="$$(go test -list '^Fuzz' ./... | awk '/^Fuzz/ { n[++c] = $$1; next } /^ok/ { for (i = 1; i <= c; i++) print $$2 ":" n[i]; c = 0 }')"; \
	fi; \
	for t in $$targets; do \
		pkg="$${t%%:*}"; name="$${t##*:}"; \
		for try in 1 2; do \
			echo "fuzz $$pkg $$name for $(FUZZTIME)"; \
			log="$$(mktemp)"; \
			if go test "$$pkg" -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) 2>&1 | tee "$$log"; then \
				rm -f "$$log"; break; \
			fi; \
			if [ "$$try" = 1 ] && grep -q 'context deadline exceeded' "$$log" \
				&& ! grep -qE 'Failing input written|panic:' "$$log"; then \
				echo "fuzz $$name: Go 1.26's fuzz coordinator lost the race at the -fuzztime deadline (go.dev/issue/75804; no input failed); running it once more"; \
				rm -f "$$log"; continue; \
			fi; \
			rm -f "$$log"; exit 1; \
		done; \
	done

# Installs the .deb with dpkg -i (as root, or with sudo), runs airlock from
# the PATH, validates the desktop entry, then purges the package.
test-package: package
	build/test-package.sh $(DIST) "$(VERSION)"

# build/package.sh holds the steps: Depends from dpkg-shlibdeps, icons in
# the hicolor sizes from build/appicon.png, the desktop entry from
# build/linux, the control file from build/linux/deb/control.in.
package: build
	build/package.sh linux build/bin/airlock "$(VERSION)" $(DIST)

# Cross-builds the Windows app (Wails uses WebView2 there, no cgo) into
# build/bin/airlock.exe and zips it. A console program, so the CLI prints
# in a terminal; the proxy starts the window detached, without a console.
package-windows: deps
	wails build -m -nosyncgomod -platform windows/amd64 -windowsconsole -ldflags "$(LDFLAGS)"
	build/package.sh windows build/bin/airlock.exe "$(VERSION)" $(DIST)

bench: deps-node
	go test -run '^$$' -bench '$(BENCH)' -benchtime $(BENCHTIME) -benchmem -timeout 30m ./...

clean:
	rm -rf build/bin $(DIST)
	find $(FRONTEND)/dist -mindepth 1 ! -name .gitkeep -delete
