# ogi task runner. Run `./just` (the bootstrap script) rather than a bare `just`:
# it installs just itself from PyPI into .tools/ when it is missing.

set shell := ["bash", "-euo", "pipefail", "-c"]
# recipe arguments reach the shell as "$@", so they keep their quoting
set positional-arguments

# Compiled dependencies (polars!) persist outside the clone, across fresh clones.
export CARGO_TARGET_DIR := env_var_or_default("CARGO_TARGET_DIR", env_var("HOME") + "/.cache/ogi-target")

# the one binary; dev profile (debug = false) for build, tests and the dataset
ogi := CARGO_TARGET_DIR / "debug" / "ogi"
reports := "data/reports"
dataset := "data/dataset"
shared := "../shared"

# list recipes
default:
    @"{{just_executable()}}" --justfile "{{justfile()}}" --list --unsorted

# compile ogi (dev profile, debug = false)
build:
    cargo build --locked

# build ogi, then build the dataset from data/reports into data/dataset (extra args go to `ogi build`)
build-dataset *ARGS: build
    "{{ogi}}" build {{reports}} --out {{dataset}} "$@"

# create .venv with the Python test/notebook dependencies (skipped when up to date)
venv:
    #!/usr/bin/env bash
    set -euo pipefail
    if [[ -x .venv/bin/python && -f .venv/.installed && .venv/.installed -nt requirements-dev.txt ]]; then
        exit 0
    fi
    echo "venv: installing requirements-dev.txt into .venv" >&2
    [[ -x .venv/bin/python ]] || python3 -m venv .venv
    .venv/bin/python -m pip install --disable-pip-version-check -q --only-binary=:all: -r requirements-dev.txt </dev/null
    touch .venv/.installed

# Rust tests, then build the dataset and load it with duckdb and polars (pytest tests/python)
test: _cargo-test build-dataset venv
    OGI_BIN="$(cd "$(dirname "{{ogi}}")" && pwd)/ogi" OGI_DATASET="{{dataset}}" \
        .venv/bin/python -m pytest -q tests/python

_cargo-test:
    cargo test --locked

# rustfmt check and clippy with warnings as errors
lint:
    cargo fmt --check
    cargo clippy --all-targets --locked -- -D warnings

# build the dataset and score it against the samples' known truth (needs ../shared)
score:
    #!/usr/bin/env bash
    set -euo pipefail
    if [[ ! -f "{{shared}}/tools/score.py" || ! -f "{{shared}}/samples/expected.json" ]]; then
        echo "score: {{shared}} not found next to the repo; skipping" >&2
        exit 0
    fi
    "{{just_executable()}}" --justfile "{{justfile()}}" build-dataset
    "{{just_executable()}}" --justfile "{{justfile()}}" venv
    corpus="$(mktemp -d)"
    trap 'rm -rf "$corpus"' EXIT
    ln -s "$PWD/{{reports}}" "$corpus/reports"
    cp "{{shared}}/samples/expected.json" "$corpus/truth.json"
    .venv/bin/python "{{shared}}/tools/score.py" "$corpus" "{{dataset}}"

# check data/dataset against the contract's checker (needs ../shared)
check-contract:
    #!/usr/bin/env bash
    set -euo pipefail
    if [[ ! -f "{{shared}}/tools/check_contract.py" ]]; then
        echo "check-contract: {{shared}} not found next to the repo; skipping" >&2
        exit 0
    fi
    "{{just_executable()}}" --justfile "{{justfile()}}" venv
    .venv/bin/python "{{shared}}/tools/check_contract.py" "{{dataset}}"

# parse one report and print what was extracted (e.g. ./just parse data/reports/x.txt --json)
parse FILE *ARGS: build
    "{{ogi}}" parse "$@"

# print the rankings of data/dataset
rank *ARGS: build
    "{{ogi}}" rank --dataset {{dataset}} "$@"

# regenerate data/reference/divisions.csv from ../shared/reference
refresh-divisions:
    python3 scripts/build_divisions.py {{shared}}/reference

# NOT YET BUILT: benchmarks placeholder
bench:
    @echo "benchmarks: see issue 5 (not yet built)"
