#!/usr/bin/env python3
"""Benchmark corpus generator for `ogi build`: the command line of ogi_fixtures.corpus
(tests/fixtures/ogi_fixtures/corpus.py, which says what the corpus holds).

    .venv/bin/python bench/gen_corpus.py --n 100000 --out ~/.cache/ogi-bench/corpus-100000-seed1
    .venv/bin/python bench/gen_corpus.py --out DIR --mutate-percent 1 --seed 7   # rewrite 1% of DIR
    .venv/bin/python bench/gen_corpus.py --out DIR --restore                     # undo all mutations

The same as `.venv/bin/python -m ogi_fixtures.corpus ...`; ogi_fixtures is installed
editable into .venv by `./just venv` (requirements-dev.txt).
"""
import sys

try:
    from ogi_fixtures.corpus import main
except ModuleNotFoundError as e:
    if e.name != "ogi_fixtures":
        raise
    sys.exit("gen_corpus: ogi_fixtures is not installed here: run `./just venv` and use .venv/bin/python "
             "(or `pip install -e tests/fixtures`)")

if __name__ == "__main__":
    main()
