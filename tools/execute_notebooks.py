#!/usr/bin/env python3
"""Re-execute chapter notebooks in a fresh kernel and store their outputs.

Usage: python tools/execute_notebooks.py [NOTEBOOK ...]

Without arguments, every notebook listed in _toc.yml is executed. Each one
runs top to bottom in a new kernel with the notebook's folder as working
directory; outputs are written back in place and the per-cell timing
metadata that nbclient records is dropped, so that a re-run changes the file
only where an output changed. Prints the wall time of each notebook and exits
non-zero if any cell raises.
"""
from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parent.parent


def toc_notebooks() -> list[Path]:
    out = []
    for line in (ROOT / "_toc.yml").read_text(encoding="utf-8").splitlines():
        m = re.match(r"\s*-?\s*(root|file)\s*:\s*(\S+)", line)
        if m:
            path = ROOT / (m.group(2).strip("'\"") + ".ipynb")
            if path.exists():
                out.append(path)
    return out


def merge_streams(outputs: list) -> list:
    """Join consecutive stdout (or stderr) outputs: how the kernel happens to flush a cell's
    prints varies from run to run, and the stored file should not."""
    merged = []
    for out in outputs:
        prev = merged[-1] if merged else None
        if (out.get("output_type") == "stream" and prev is not None and prev.get("output_type") == "stream"
                and prev.get("name") == out.get("name")):
            prev["text"] = "".join(prev["text"]) + "".join(out["text"])
        else:
            merged.append(out)
    return merged


def execute(path: Path) -> float:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - start
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            for out in cell.get("outputs", []):
                out.get("metadata", {}).pop("execution", None)
            cell.outputs = merge_streams(cell.outputs)
    nb.metadata.pop("widgets", None)
    nbformat.write(nb, path)
    return elapsed


def main(argv: list[str]) -> int:
    paths = [Path(a).resolve() for a in argv] or toc_notebooks()
    failed = 0
    for path in paths:
        rel = path.relative_to(ROOT)
        try:
            elapsed = execute(path)
        except CellExecutionError as exc:
            failed += 1
            print(f"FAILED {rel}\n{str(exc)[-3000:]}", file=sys.stderr)
            continue
        print(f"{elapsed:6.1f} s  {rel}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
