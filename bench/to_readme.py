#!/usr/bin/env python3
"""Copies bench/results.md into README.md between the bench markers (run after bench/run.sh)."""
import pathlib
import re

root = pathlib.Path(__file__).resolve().parent.parent
results = (root / "bench" / "results.md").read_text().replace("## Benchmarks\n\n", "", 1).strip()
readme = root / "README.md"
text = readme.read_text()
text = re.sub(r"<!-- bench:start -->.*<!-- bench:end -->",
              lambda _: f"<!-- bench:start -->\n{results}\n<!-- bench:end -->", text, flags=re.S)
readme.write_text(text)
