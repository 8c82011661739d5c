"""What a reader meets in each chapter notebook, checked on the stored notebooks.

1. Answers stay behind the fold (the construct of /work/notes/CONVENTIONS.md, "The one fold
   construct for exercises"): every code cell after a ``{solution}`` markdown cell, up to the next
   markdown cell, is tagged ``solution`` and ``hide-cell`` (a closed toggle in the book) and has
   ``metadata.jupyter.source_hidden`` and ``outputs_hidden`` true (collapsed in JupyterLab); the
   solution itself is a dropdown; code cells between an exercise and its solution are ``practice``
   stubs; the gated form (``solution-start``/``solution-end``) is not used; one exercise per cell.
2. No internal label (``eq-NN-...``, ``ex-NN-...``, ``fig-...``, ``thm-...`` or any ``:label:``
   or ``(target)=`` defined in a chapter) appears in a printed output: stream text,
   ``text/plain``, ``text/html`` or ``text/markdown``.
3. No printed line is longer than the output box of the HTML book at a 1280 px window
   (``OUTPUT_WIDTH`` characters): stream text, and ``text/plain`` results that have no richer
   form (SymPy's LaTeX, HTML, images and explorables are rendered otherwise).
Each failure names the chapter, the cell (index and id) and what is wrong.
"""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

BOOK = Path(__file__).resolve().parent.parent / "book"
CHAPTERS = sorted(BOOK.glob("[0-9][0-9]_*.ipynb"))

EXERCISE = re.compile(r"^(?:`{3,}|:{3,})\{exercise\}[^\n]*", re.M)
SOLUTION = re.compile(r"^(?:`{3,}|:{3,})\{solution\}\s*([^\s`]*)", re.M)
GATED = re.compile(r"\{(?:exercise|solution)-(?:start|end)\}")
LABEL_OPTION = re.compile(r"^\s*:label:\s*(\S+)", re.M)
TARGET = re.compile(r"^\(([^()\s]+)\)=\s*$", re.M)
EQ_LABEL = re.compile(r"\$\$\s*\(([^()\s]+)\)")
LABEL_SHAPE = re.compile(r"(?<![\w-])(?:(?:eq|ex)-\d\d-[\w-]+|(?:fig|thm)-[A-Za-z0-9][\w-]*)")


def _load(path: Path):
    return nbformat.read(path, as_version=4)


def _where(path: Path, index: int, cell) -> str:
    return f"{path.name} cell {index} (id {cell.get('id', '?')})"


def _defined_labels() -> set[str]:
    labels: set[str] = set()
    for path in CHAPTERS:
        for cell in _load(path).cells:
            if cell.cell_type == "markdown":
                src = cell.source
                labels.update(LABEL_OPTION.findall(src))
                labels.update(TARGET.findall(src))
                labels.update(EQ_LABEL.findall(src))
    # a label without a hyphen or digit ("notation") is an ordinary word: leave it to the shape check
    return {lab for lab in labels if re.search(r"[-\d]", lab)}


def _printed_texts(cell):
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            yield out.get("text", "")
        elif out.get("output_type") in ("execute_result", "display_data"):
            data = out.get("data", {})
            for mime in ("text/plain", "text/html", "text/markdown"):
                if mime in data:
                    text = data[mime]
                    yield "".join(text) if isinstance(text, list) else text


def fold_problems(path: Path) -> list[str]:
    """Every way the chapter at ``path`` leaves an answer outside the fold."""
    nb = _load(path)
    cells = nb.cells
    problems: list[str] = []
    solution_of: dict[str, int] = {}
    for i, cell in enumerate(cells):
        if cell.cell_type != "markdown":
            continue
        for m in SOLUTION.finditer(cell.source):
            solution_of.setdefault(m.group(1), i)
    in_solution = False
    for i, cell in enumerate(cells):
        where = _where(path, i, cell)
        if cell.cell_type == "markdown":
            src = cell.source
            if GATED.search(src):
                problems.append(f"{where}: gated solution-start/solution-end form; use the solution "
                                "dropdown followed by hidden check cells")
            exercises = EXERCISE.findall(src)
            if len(exercises) > 1:
                problems.append(f"{where}: {len(exercises)} exercises in one cell (one exercise per cell)")
            sols = list(SOLUTION.finditer(src))
            for m in sols:
                body = src[m.end():]
                if not re.search(r"^\s*:class:[^\n]*\bdropdown\b", body.split("\n```")[0], re.M):
                    problems.append(f"{where}: solution {m.group(1) or '(no label)'} is not a "
                                    "dropdown (:class: dropdown)")
            in_solution = bool(sols)
            for lab in LABEL_OPTION.findall(src) if exercises else []:
                end = solution_of.get(lab)
                if end is None or end <= i:
                    continue
                for j in range(i + 1, end):
                    other = cells[j]
                    if other.cell_type == "code" and "practice" not in other.metadata.get("tags", []):
                        problems.append(f"{_where(path, j, other)}: code cell between exercise {lab} and "
                                        "its solution is not a `practice` stub: it belongs inside the fold")
            continue
        if cell.cell_type != "code" or not in_solution:
            continue
        tags = set(cell.metadata.get("tags", []))
        missing = {"solution", "hide-cell"} - tags
        if missing:
            problems.append(f"{where}: check cell of a solution lacks tag(s) {sorted(missing)}")
        jup = cell.metadata.get("jupyter", {})
        for key in ("source_hidden", "outputs_hidden"):
            if jup.get(key) is not True:
                problems.append(f"{where}: check cell of a solution lacks metadata jupyter.{key} = true")
    return problems


def label_leaks(path: Path, labels: set[str]) -> list[str]:
    """Every printed output of the chapter that shows an internal label."""
    leaks: list[str] = []
    for i, cell in enumerate(_load(path).cells):
        if cell.cell_type != "code":
            continue
        for text in _printed_texts(cell):
            found = set(LABEL_SHAPE.findall(text))
            found.update(lab for lab in labels
                         if re.search(r"(?<![\w-])" + re.escape(lab) + r"(?![\w-])", text))
            if found:
                leaks.append(f"{_where(path, i, cell)}: printed output shows internal label(s) {sorted(found)}")
    return leaks


def test_chapters_found():
    assert len(CHAPTERS) >= 17, [p.name for p in CHAPTERS]


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_answers_behind_the_fold(path):
    problems = fold_problems(path)
    assert not problems, "\n".join(problems)


@pytest.fixture(scope="module")
def labels():
    return _defined_labels()


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_no_internal_label_in_printed_output(path, labels):
    leaks = label_leaks(path, labels)
    assert not leaks, "\n".join(leaks)


OUTPUT_WIDTH = 78  # characters an output box shows at a 1280 px window without scrolling
RICH = ("text/html", "text/latex", "image/png", "image/svg+xml", "application/vnd.plotly.v1+json")


def long_output_lines(path: Path) -> list[str]:
    """Printed lines a reader would have to scroll sideways to read."""
    nb = nbformat.read(path, as_version=4)
    found = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if out.output_type == "stream":
                text = out.text
            elif any(kind in out.get("data", {}) for kind in RICH):
                continue
            else:
                text = out.get("data", {}).get("text/plain", "")
            for line in text.splitlines():
                if len(line) > OUTPUT_WIDTH:
                    found.append(f"{path.name} cell {i} ({cell.get('id')}): a printed line of {len(line)} "
                                 f"characters (at most {OUTPUT_WIDTH}): {line[:60]!r}...")
    return found


@pytest.mark.parametrize("path", CHAPTERS + [BOOK / "benchmarks.ipynb"],
                         ids=[p.stem for p in CHAPTERS] + ["benchmarks"])
def test_printed_lines_fit_the_output_box(path):
    too_long = long_output_lines(path)
    assert not too_long, "\n".join(too_long)


# --- the checks themselves catch what they are meant to catch (synthetic notebooks) ---

def _write(tmp_path, cells) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = cells
    p = tmp_path / "99_synthetic.ipynb"
    nbformat.write(nb, p)
    return p


def _hidden_check(source, output_text="ok\n"):
    c = nbformat.v4.new_code_cell(source)
    c.metadata["tags"] = ["solution", "hide-cell"]
    c.metadata["jupyter"] = {"source_hidden": True, "outputs_hidden": True}
    c.outputs = [nbformat.v4.new_output("stream", name="stdout", text=output_text)]
    return c


EX = "```{exercise}\n:label: ex-99-demo\nCount.\n```"
SOL = "```{solution} ex-99-demo\n:class: dropdown\nIt is 3.\n```"


def test_fold_check_accepts_the_construct(tmp_path):
    practice = nbformat.v4.new_code_cell("answer = None  # your code")
    practice.metadata["tags"] = ["practice"]
    p = _write(tmp_path, [nbformat.v4.new_markdown_cell(EX), practice,
                          nbformat.v4.new_markdown_cell(SOL), _hidden_check("print(3)"),
                          nbformat.v4.new_markdown_cell("Text."), nbformat.v4.new_code_cell("x = 1")])
    assert fold_problems(p) == []


def test_fold_check_catches_an_open_check_cell(tmp_path):
    open_cell = nbformat.v4.new_code_cell("print(3)")
    p = _write(tmp_path, [nbformat.v4.new_markdown_cell(EX), nbformat.v4.new_markdown_cell(SOL), open_cell])
    problems = fold_problems(p)
    assert any("lacks tag(s) ['hide-cell', 'solution']" in m and "cell 2" in m for m in problems), problems
    assert any("jupyter.source_hidden" in m for m in problems), problems


def test_fold_check_catches_an_answer_before_the_solution(tmp_path):
    p = _write(tmp_path, [nbformat.v4.new_markdown_cell(EX), nbformat.v4.new_code_cell("print(3)"),
                          nbformat.v4.new_markdown_cell(SOL), _hidden_check("print(3)")])
    problems = fold_problems(p)
    assert len(problems) == 1 and "cell 1" in problems[0] and "practice" in problems[0], problems


def test_fold_check_catches_the_gated_form_and_an_open_solution(tmp_path):
    gated = "```{solution-start} ex-99-demo\n:class: dropdown\n```"
    p = _write(tmp_path, [nbformat.v4.new_markdown_cell(EX), nbformat.v4.new_markdown_cell(gated),
                          nbformat.v4.new_markdown_cell("```{solution} ex-99-demo\nIt is 3.\n```")])
    problems = fold_problems(p)
    assert any("gated" in m and "cell 1" in m for m in problems), problems
    assert any("not a dropdown" in m and "cell 2" in m for m in problems), problems


def test_label_check_catches_a_leak(tmp_path):
    leaky = _hidden_check("print(...)", output_text="equation (eq-06-one-hidden) holds\n")
    clean = _hidden_check("print(...)", output_text="the equation holds for all 9 weights\n")
    p = _write(tmp_path, [nbformat.v4.new_markdown_cell(EX), clean, leaky])
    leaks = label_leaks(p, {"prop-99-custom"})
    assert len(leaks) == 1 and "cell 2" in leaks[0] and "eq-06-one-hidden" in leaks[0], leaks
    custom = _hidden_check("print(...)", output_text="see prop-99-custom\n")
    assert label_leaks(_write(tmp_path, [custom]), {"prop-99-custom"}) != []


def test_width_check_catches_a_long_line_but_not_rendered_math(tmp_path):
    long = "x" * (OUTPUT_WIDTH + 1)
    printed = nbformat.v4.new_code_cell("print(...)")
    printed.outputs = [nbformat.v4.new_output("stream", name="stdout", text="short\n" + long + "\n")]
    math = nbformat.v4.new_code_cell("sympy")
    math.outputs = [nbformat.v4.new_output("execute_result", data={"text/plain": long, "text/latex": "$x$"})]
    found = long_output_lines(_write(tmp_path, [printed, math]))
    assert len(found) == 1 and "cell 0" in found[0] and f"{OUTPUT_WIDTH + 1} characters" in found[0]
