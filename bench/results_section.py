"""Writes one section of bench/results.md, replacing the section of the same heading
(the benchmarks that write whole sections share this; bench/run.py keeps its own)."""
import os

RESULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results.md")


def replace_section(heading, text):
    """`text` (starting with `heading`) in place of that section, or after the preamble."""
    old = open(RESULTS, encoding="utf-8").read() if os.path.exists(RESULTS) else "# Benchmarks\n"
    if heading in old:
        start = old.index(heading)
        nxt = old.find("\n## ", start + 1)
        old = old[:start] + (old[nxt + 1:] if nxt >= 0 else "")
    head, sep, rest = old.partition("\n## ")
    with open(RESULTS, "w", encoding="utf-8") as f:
        f.write(head.rstrip("\n") + "\n\n" + text + ("\n## " + rest if sep else ""))
