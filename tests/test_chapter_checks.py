"""Scan the chapters' code cells for checks that cannot fail (issue 15).

Every notebook listed in ``_toc.yml`` is read with nbformat and each code cell is
parsed with :mod:`ast` (lines starting with ``%`` or ``!`` become ``pass`` first). The
scan flags three patterns:

1. ``isclose``/``allclose`` (``np.``, ``numpy.``, ``math.`` or a bare name) called
   without an explicit absolute tolerance: ``atol`` (keyword, or the 4th positional
   argument of the numpy functions) or, for ``math.isclose``, ``abs_tol``. numpy's
   default ``atol=1e-8`` passes for any two tiny numbers.
2. ``simplify(...)``, ``expand(...)`` or ``factor(...)`` compared ``!= 0``: passes
   whenever SymPy fails to simplify, so it does not show that two expressions differ.
3. An ``assert`` in a cell that times code (``time.perf_counter``, ``time.time``,
   ``time.process_time``, ``time.monotonic``, ``timeit`` or a ``%timeit`` magic):
   a claim about the machine's load, not about the mathematics.

What it cannot see: tolerances that are explicit but too loose; helpers that wrap
these calls (a function defined in another cell or in ``coursepkg``); an assertion on
a timing measured in an earlier cell; checks written as ``if ...: raise``; text in
markdown cells; notebooks not listed in ``_toc.yml``. A cell that does not parse is
reported as an offence too, since nothing in it could be checked.
"""
import ast
import pathlib
import re

import nbformat
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
CHAPTERS = [ROOT / f"{m}.ipynb" for m in re.findall(r"^\s*-\s*file:\s*(\S+)\s*$",
                                                     (ROOT / "_toc.yml").read_text(), flags=re.M)
            if (ROOT / f"{m}.ipynb").exists()]

TIMERS = {"perf_counter", "perf_counter_ns", "time", "time_ns", "process_time", "monotonic", "timeit", "repeat"}
SIMPLIFIERS = {"simplify", "expand", "factor"}


def _name(func) -> tuple[str, str]:
    """(module-ish prefix, function name) of a call target: np.isclose -> ('np', 'isclose')."""
    if isinstance(func, ast.Attribute):
        base = func.value
        prefix = base.id if isinstance(base, ast.Name) else (base.attr if isinstance(base, ast.Attribute) else "")
        return prefix, func.attr
    if isinstance(func, ast.Name):
        return "", func.id
    return "", ""


def offences(source: str) -> list[str]:
    """The offences in one code cell, as short descriptions with line numbers."""
    code = "\n".join(line[:len(line) - len(line.lstrip())] + "pass" if line.lstrip().startswith(("%", "!"))
                     else line for line in source.splitlines())  # a magic becomes a no-op at its indentation
    timed = bool(re.search(r"^\s*%%?timeit", source, flags=re.M))
    try:
        tree = ast.parse(code)
    except SyntaxError as exc:
        return [f"line {exc.lineno}: does not parse ({exc.msg})"]
    found, asserts = [], []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assert):
            asserts.append(node.lineno)
        if isinstance(node, ast.Call):
            prefix, name = _name(node.func)
            keywords = {k.arg for k in node.keywords}
            if name in ("isclose", "allclose"):
                if prefix == "math":
                    if "abs_tol" not in keywords:
                        found.append(f"line {node.lineno}: math.isclose without abs_tol")
                elif "atol" not in keywords and "abs_tol" not in keywords and len(node.args) < 4:
                    found.append(f"line {node.lineno}: {prefix + '.' if prefix else ''}{name} without atol")
            if name in TIMERS and prefix in ("time", "timeit"):
                timed = True
        if isinstance(node, ast.Compare) and any(isinstance(op, ast.NotEq) for op in node.ops):
            sides = [node.left, *node.comparators]
            zero = any(isinstance(s, ast.Constant) and s.value == 0 and not isinstance(s.value, bool) for s in sides)
            simp = [s for s in sides if isinstance(s, ast.Call) and _name(s.func)[1] in SIMPLIFIERS]
            if zero and simp:
                found.append(f"line {node.lineno}: {_name(simp[0].func)[1]}(...) != 0 does not show a difference")
    if timed and asserts:
        found.append(f"line {asserts[0]}: assert in a cell that times code ({len(asserts)} assert(s))")
    return found


def _scan():
    report = []
    for path in CHAPTERS:
        nb = nbformat.read(path, as_version=4)
        for index, cell in enumerate(nb.cells):
            if cell.cell_type == "code":
                for text in offences(cell.source):
                    report.append(f"{path.name} cell {index} (id {cell.get('id', '?')}), {text}")
    return report


@pytest.mark.parametrize("source, expected", [
    ("import numpy as np\nassert np.isclose(a, b)", ["np.isclose without atol"]),
    ("assert np.allclose(a, b, rtol=0, atol=1e-12)", []),
    ("assert np.allclose(a, b, 1e-9, 1e-12)", []),
    ("assert math.isclose(a, b, rel_tol=1e-9)", ["math.isclose without abs_tol"]),
    ("assert math.isclose(a, b, rel_tol=1e-9, abs_tol=0.0)", []),
    ("assert sp.simplify(e1 - e2) != 0", ["simplify(...) != 0"]),
    ("assert 0 != expand(e)", ["expand(...) != 0"]),
    ("assert sp.simplify(e1 - e2) == 0", []),
    ("import time\nt0 = time.perf_counter()\nf()\nassert time.perf_counter() - t0 < 1", ["assert in a cell that times"]),
    ("%timeit f()\nassert True", ["assert in a cell that times"]),
    ("t = timeit.timeit(f, number=3)\nprint(t)", []),
    ("try:\n    import x\nexcept ImportError:\n    %pip install x", []),
])
def test_the_scanner_sees_what_it_claims(source, expected):
    found = offences(source)
    assert len(found) == len(expected) and all(e in f for e, f in zip(expected, found)), found


def test_chapters_have_no_checks_that_cannot_fail():
    assert len(CHAPTERS) >= 17, [p.name for p in CHAPTERS]
    report = _scan()
    assert not report, f"{len(report)} check(s) that cannot fail:\n" + "\n".join(report)
