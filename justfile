# ogi task runner. Run `./just` (the bootstrap script) rather than a bare `just`:
# it installs just itself from PyPI into .tools/ when it is missing.

set shell := ["bash", "-euo", "pipefail", "-c"]
# recipe arguments reach the shell as "$@", so they keep their quoting
set positional-arguments

# Compiled dependencies (polars!) persist outside the clone, across fresh clones.
export CARGO_TARGET_DIR := env_var_or_default("CARGO_TARGET_DIR", env_var("HOME") + "/.cache/ogi-target")

# the one binary: the dev profile, optimised where the time goes (Cargo.toml, README
# "Build profiles"), for the dataset and the tests alike
ogi := CARGO_TARGET_DIR / "debug" / "ogi"
reports := "data/reports"
dataset := "data/dataset"
fonts_dir := ".tools/fonts"
shared := "../shared"

# list recipes
default:
    @"{{just_executable()}}" --justfile "{{justfile()}}" --list --unsorted

# compile ogi (the dev profile: see README "Build profiles")
build:
    cargo build --locked

# install an optimised `ogi` on your PATH (cargo install: the release profile, ~18 min the first time)
install:
    cargo install --path . --locked

# build ogi, then build the dataset from data/reports into data/dataset (extra args go to `ogi build`)
build-dataset *ARGS: build
    "{{ogi}}" build {{reports}} --out {{dataset}} --pipeline pipelines/default.toml "$@"

# create .venv with the Python test/notebook dependencies and the fixture generator
# (tests/fixtures, editable: `import ogi_fixtures`; skipped when up to date)
venv:
    #!/usr/bin/env bash
    set -euo pipefail
    if [[ -x .venv/bin/python && -f .venv/.installed && .venv/.installed -nt requirements-dev.txt \
          && .venv/.installed -nt tests/fixtures/pyproject.toml ]]; then
        exit 0
    fi
    echo "venv: installing requirements-dev.txt into .venv" >&2
    [[ -x .venv/bin/python ]] || python3 -m venv .venv
    .venv/bin/python -m pip install --disable-pip-version-check -q --only-binary=:all: -r requirements-dev.txt </dev/null
    touch .venv/.installed

# Rust tests, then build the dataset, load it with duckdb, polars and pandas, and run the notebooks (pytest tests/python)
# install the Python binding (`import ogi`) into .venv with `pip install .` (maturin, a
# release build of crates/ogi-py; skipped when no source of it changed since)
binding: venv
    #!/usr/bin/env bash
    set -euo pipefail
    stamp=.venv/.binding
    if [[ -f "$stamp" ]] && [[ -z "$(find crates/ogi-parse crates/ogi-py python pyproject.toml data/reference -newer "$stamp" -type f -print -quit)" ]]; then
        exit 0
    fi
    echo "binding: pip install . (maturin; the first build takes a few minutes)" >&2
    .venv/bin/python -m pip install --disable-pip-version-check -q . </dev/null
    touch "$stamp"

# pyspark into .venv for the Spark job's test (requirements-spark.txt; skipped when up to date)
spark-venv: venv
    #!/usr/bin/env bash
    set -euo pipefail
    if [[ -f .venv/.spark && .venv/.spark -nt requirements-spark.txt ]]; then exit 0; fi
    echo "spark-venv: installing pyspark into .venv (a ~450 MB download, once)" >&2
    .venv/bin/python -m pip install --disable-pip-version-check -q -r requirements-spark.txt </dev/null
    touch .venv/.spark

test: _cargo-test build-dataset venv fonts binding spark-venv accuracy
    OGI_BIN="$(cd "$(dirname "{{ogi}}")" && pwd)/ogi" OGI_DATASET="{{dataset}}" \
        .venv/bin/python -m pytest -q tests/python

# every generated layout (bench/layout_accuracy.py), as a test: no wrong value, no crash,
# at least 99.5 % of each layout's cells read (ARGS: --per-layout N --seed S …)
accuracy *ARGS: build venv
    .venv/bin/python bench/layout_accuracy.py --per-layout 20 --seed 13 --bin "{{ogi}}" --check 0.995 "$@"

# execute notebooks/*.ipynb headless against data/dataset (or $OGI_DATASET) and check their Chinese labels
notebooks-test *ARGS: venv fonts
    #!/usr/bin/env bash
    set -euo pipefail
    [[ -f "${OGI_DATASET:-{{dataset}}}/reports.parquet" ]] \
        || "{{just_executable()}}" --justfile "{{justfile()}}" build-dataset
    export OGI_DATASET="${OGI_DATASET:-{{dataset}}}"
    [[ -x "{{ogi}}" ]] && export OGI_BIN="$(cd "$(dirname "{{ogi}}")" && pwd)/ogi"
    .venv/bin/python -m pytest -q tests/python/test_notebooks.py "$@"

# clear the outputs and execution counts of notebooks/*.ipynb (they are committed without)
notebooks-strip: venv
    #!/usr/bin/env bash
    set -euo pipefail
    .venv/bin/python - notebooks/*.ipynb <<'EOF'
    import sys
    import nbformat
    for path in sys.argv[1:]:
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = []
                cell.execution_count = None
            for key in ("execution", "ExecuteTime"):  # run timings (nbclient, JupyterLab)
                cell.metadata.pop(key, None)
        nbformat.write(nb, path)
    EOF

# a CJK font for the notebooks' charts: WenQuanYi Micro Hei into .tools/fonts (skipped when there)
fonts: venv
    #!/usr/bin/env bash
    set -euo pipefail
    # wqy-microhei.ttc as Debian's fonts-wqy-microhei 0.2.0-beta-3.1 ships it; the PyPI
    # wheel paperang-p2-fonts-cjk 0.1.0 carries the same file byte for byte
    font="{{fonts_dir}}/wqy-microhei.ttc"
    want=2420e8078af796b19a3f6ef13de527a1a91c1e7171eea115926c614ced1009b3
    sha() { sha256sum "$1" | cut -d' ' -f1; }
    if [[ -f "$font" && "$(sha "$font")" == "$want" ]]; then exit 0; fi
    mkdir -p "{{fonts_dir}}"
    tmp="$(mktemp -d)"
    trap 'rm -rf "$tmp"' EXIT
    debian=/usr/share/fonts/truetype/wqy/wqy-microhei.ttc
    if [[ -f "$debian" && "$(sha "$debian")" == "$want" ]]; then
        echo "fonts: copying $debian" >&2
        cp "$debian" "$tmp/font.ttc"
    elif .venv/bin/python -m pip download --disable-pip-version-check -q --no-deps --only-binary=:all: \
            -d "$tmp" "paperang-p2-fonts-cjk==0.1.0" </dev/null; then
        echo "fonts: WenQuanYi Micro Hei from PyPI (paperang-p2-fonts-cjk 0.1.0)" >&2
        .venv/bin/python -c 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); open(sys.argv[2], "wb").write(z.read("paperang_p2_fonts_cjk/fonts/wqy-microhei.ttc"))' \
            "$tmp"/paperang_p2_fonts_cjk-0.1.0-*.whl "$tmp/font.ttc"
    elif [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
        echo "fonts: PyPI failed; apt-get install fonts-wqy-microhei" >&2
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei >/dev/null
        cp "$debian" "$tmp/font.ttc"
    else
        echo "fonts: cannot get WenQuanYi Micro Hei: install fonts-wqy-microhei (Debian) or set OGI_CJK_FONT" >&2
        exit 1
    fi
    got="$(sha "$tmp/font.ttc")"
    [[ "$got" == "$want" ]] || { echo "fonts: wqy-microhei.ttc has sha256 $got, want $want" >&2; exit 1; }
    mv "$tmp/font.ttc" "$font"

# install JupyterLab into .venv (requirements-notebooks.txt) and open notebooks/ in it; prints the URL
notebooks *ARGS: venv fonts
    #!/usr/bin/env bash
    set -euo pipefail
    stamp=.venv/.installed-notebooks
    if [[ ! -f "$stamp" || requirements-notebooks.txt -nt "$stamp" || .venv/.installed -nt "$stamp" ]]; then
        echo "notebooks: installing requirements-notebooks.txt (JupyterLab) into .venv" >&2
        .venv/bin/python -m pip install --disable-pip-version-check -q --only-binary=:all: -r requirements-notebooks.txt </dev/null
        touch "$stamp"
    fi
    [[ -n "${OGI_DATASET:-}" || -f "{{dataset}}/reports.parquet" ]] \
        || echo "notebooks: no {{dataset}} yet: run ./just build-dataset (or set OGI_DATASET)" >&2
    port="${OGI_JUPYTER_PORT:-8888}"
    export JUPYTER_TOKEN="${JUPYTER_TOKEN:-$(.venv/bin/python -c 'import secrets; print(secrets.token_hex(24))')}"
    echo "notebooks: JupyterLab on http://127.0.0.1:$port/lab/tree/rankings.ipynb?token=$JUPYTER_TOKEN (Ctrl-C stops it)"
    root=(); [[ "$(id -u)" != 0 ]] || root=(--allow-root)
    exec .venv/bin/jupyter lab --notebook-dir=notebooks --ip=127.0.0.1 --port="$port" \
        --ServerApp.port_retries=0 --no-browser "${root[@]}" "$@"

_cargo-test:
    cargo test --locked

# rustfmt check and clippy with warnings as errors
lint:
    cargo fmt --all --check
    # both crates of the workspace: the reader (crates/ogi-parse) and the dataset (.)
    cargo clippy --workspace --all-targets --locked -- -D warnings
    # the reader builds on its own, without polars (as the fuzz target and the binding use it)
    cargo tree -p ogi-parse -e normal --prefix none | grep -q '^polars' && { echo "ogi-parse depends on polars" >&2; exit 1; } || true
    # the Python binding, a workspace of its own
    cargo fmt --manifest-path crates/ogi-py/Cargo.toml --check
    cargo clippy --manifest-path crates/ogi-py/Cargo.toml --all-targets --locked -- -D warnings

# build the dataset and score it against the samples' known truth (needs ../shared)
score:
    #!/usr/bin/env bash
    set -euo pipefail
    if [[ ! -f "{{shared}}/tools/score.py" || ! -f "{{shared}}/samples/expected.json" ]]; then
        echo "score: needs {{shared}} (the samples and tools/score.py) next to the repo; not found" >&2
        exit 1
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

# recompute county_year and the ranking CSVs of data/dataset (--excel: CSVs with a BOM for Excel)
rank *ARGS: build
    "{{ogi}}" rank --dataset {{dataset}} "$@"

# regenerate data/reference/divisions.csv from ../shared/reference
refresh-divisions:
    python3 scripts/build_divisions.py {{shared}}/reference

# release build, then benchmark it on N generated reports into bench/results.md (extra args go to bench/run.py)
bench N="100000" *ARGS: venv
    cargo build --release --locked
    .venv/bin/python bench/run.py --n "{{N}}" --bin "$CARGO_TARGET_DIR/release/ogi" "${@:2}"

# ogi build over PDFs next to pdftotext over the same files (bench/pdf.py; needs poppler-utils)
bench-pdf *ARGS: build
    python3 bench/pdf.py --bin "{{ogi}}" "$@"

# ogi build next to the Python binding and the Spark job in local mode (bench/spark.py)
bench-spark *ARGS: build binding spark-venv
    .venv/bin/python bench/spark.py --bin "{{ogi}}" "$@"

# fuzz parse_report with cargo-fuzz (libFuzzer) on one core for SECONDS (README "Fuzzing")
fuzz SECONDS="600" *ARGS:
    #!/usr/bin/env bash
    set -euo pipefail
    command -v cargo-fuzz >/dev/null || { echo "fuzz: cargo install cargo-fuzz --locked" >&2; exit 1; }
    target="${OGI_FUZZ_TARGET_DIR:-$HOME/.cache/ogi-fuzz-target}"
    RUSTC_BOOTSTRAP=1 cargo fuzz build --sanitizer none --target-dir "$target" parse_report
    mkdir -p fuzz/corpus fuzz/artifacts
    # seeds: a leading byte picks how the target reads the file (odd: .html, even: .txt)
    for f in data/reports/*.txt tests/fixtures/shapes/*.txt tests/fixtures/shapes/*.html \
             tests/fixtures/bad/*.txt tests/fixtures/bad/*.html \
             tests/fixtures/documents/tiny_*; do
        seed="fuzz/corpus/seed_$(basename "$f")"
        [[ -f "$seed" ]] && continue
        if [[ "$f" == *.html ]]; then printf '\x01' > "$seed"; else printf '\x00' > "$seed"; fi
        cat "$f" >> "$seed"
    done
    taskset -c 0 "$target/x86_64-unknown-linux-gnu/release/parse_report" \
        -max_total_time="$1" -max_len=16384 -timeout=10 -rss_limit_mb=4096 \
        -dict=fuzz/parse_report.dict -artifact_prefix=fuzz/artifacts/ -print_final_stats=1 \
        "${@:2}" fuzz/corpus
