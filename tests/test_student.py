"""Tests of tools/make_student.py: the student edition keeps exercises, hints and practice cells and no solution."""
import importlib.util
import re
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("make_student", ROOT / "tools" / "make_student.py")
make_student = importlib.util.module_from_spec(spec)
spec.loader.exec_module(make_student)

SOLUTION = re.compile(r"(`{3,}|:{3,})\{solution(-start|-end)?\}")
CHECK = re.compile(r"practice\.check\(\s*['\"](?P<task>\w+)['\"]\s*,\s*(?P<fn>\w+)\s*\)")
HIDDEN = {"tags": ["solution", "hide-cell"], "jupyter": {"source_hidden": True, "outputs_hidden": True}}


def _exercise_labels(nb):
    return [m for c in nb.cells if c.cell_type == "markdown"
            for m in re.findall(r"\{exercise\}\s*\n:label:\s*(\S+)", c.source)]


def _practice_ok(nb):
    """Every practice.check(task, fn) cell comes after a cell that defines fn."""
    seen = ""
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for m in CHECK.finditer(cell.source):
            assert re.search(rf"def {m.group('fn')}\(", seen), f"practice.check of {m.group('fn')} without its stub"
        seen += cell.source + "\n"


def _toy_notebook():
    stub = new_code_cell('def my_softmax(Z):\n    raise NotImplementedError  # your code here')
    stub.metadata["tags"] = ["practice"]
    check = new_code_cell('from coursepkg import practice\npractice.check("softmax", my_softmax)')
    check.metadata["tags"] = ["practice"]
    answer = new_code_cell('def my_softmax(Z):\n    E = np.exp(Z - Z.max(axis=1, keepdims=True))\n'
                           '    return E / E.sum(axis=1, keepdims=True)\n\npractice.check("softmax", my_softmax)')
    answer.metadata.update(HIDDEN)
    answer.outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "softmax: passed"}, execution_count=3)]
    answer.execution_count = 3
    plain = new_code_cell("import numpy as np\nx = 1")
    plain.outputs = [nbformat.v4.new_output("stream", name="stdout", text="1\n")]
    plain.execution_count = 1
    plain.metadata["execution"] = {"iopub.execute_input": "2026-01-01T00:00:00"}
    between = new_code_cell("print('the gated solution computes this')")
    cells = [
        new_markdown_cell("# Title\n\nSome text."),
        plain,
        new_markdown_cell("```{exercise}\n:label: ex-99-softmax\nImplement the softmax.\n```"),
        new_markdown_cell("```{admonition} Hint\n:class: dropdown hint\nSubtract the maximum.\n```"),
        stub, check,
        new_markdown_cell("```{solution} ex-99-softmax\n:class: dropdown\n\nSubtract each row's maximum.\n```"),
        answer,
        new_markdown_cell("Text before.\n\n```{exercise}\n:label: ex-99-gated\nA gated one.\n```\n\n"
                          "```{solution-start} ex-99-gated\n:class: dropdown\n```\n\nThe gated answer is 42."),
        between,
        new_markdown_cell("```{solution-end}\n```\n\n```{exercise}\n:label: ex-99-colon\nA third.\n```\n\n"
                          ":::{solution} ex-99-colon\n:class: dropdown\nColon-fenced answer.\n:::\n\n## Summary"),
        new_markdown_cell("````{solution} ex-99-gated\n:class: dropdown\n```python\nx = 1\n```\nstill solution\n````"),
    ]
    return new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                              "language": "python"}})


def test_strip_toy_notebook():
    nb = _toy_notebook()
    nbformat.validate(nb)
    student, counts = make_student.strip_notebook(nb)
    text = "\n".join(c.source for c in student.cells)
    assert make_student.problems(student) == []
    assert not SOLUTION.search(text)
    for gone in ("Subtract each row's maximum", "E.sum(axis=1", "The gated answer is 42", "the gated solution",
                 "Colon-fenced answer", "still solution"):
        assert gone not in text
    for kept in ("# Title", "Text before.", "## Summary", "Subtract the maximum.", "raise NotImplementedError",
                 'practice.check("softmax", my_softmax)'):
        assert kept in text
    assert _exercise_labels(student) == ["ex-99-softmax", "ex-99-gated", "ex-99-colon"]
    assert counts == {"solution_blocks": 3, "gated_blocks": 1, "cells_removed": 4}
    code = [c for c in student.cells if c.cell_type == "code"]
    assert all(c.outputs == [] and c.execution_count is None and "execution" not in c.metadata for c in code)
    assert [c.metadata.get("tags") for c in code] == [None, ["practice"], ["practice"]]
    _practice_ok(student)
    # the original is untouched
    assert len(nb.cells) == 12 and nb.cells[7].outputs


def test_student_practice_cells_run_and_say_not_implemented():
    student, _ = make_student.strip_notebook(_toy_notebook())
    namespace = {}
    result = None
    for cell in student.cells:
        if cell.cell_type == "code":
            *body, last = cell.source.split("\n")
            if last.startswith("practice.check("):
                exec("\n".join(body), namespace)  # noqa: S102 -- our own toy notebook
                result = eval(last, namespace)  # noqa: S307
            else:
                exec(cell.source, namespace)  # noqa: S102
    assert not result.passed and result.feedback.startswith("softmax: not implemented yet")


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    out = tmp_path_factory.mktemp("student")
    return out, make_student.build(out, quiet=True)


def test_student_edition_of_the_book(edition):
    out, written = edition
    chapters = make_student.chapters()
    assert [p.name for p in written] == [p.name for p in chapters]
    assert {f"{n:02d}" for n in range(1, 17)} <= {p.name[:2] for p in written}
    assert (out / "README.md").exists()
    for src, dest in zip(chapters, written):
        original = nbformat.read(src, as_version=4)
        student = nbformat.read(dest, as_version=4)
        nbformat.validate(student)
        assert make_student.problems(student) == [], dest.name
        assert not any(SOLUTION.search(c.source) for c in student.cells if c.cell_type == "markdown")
        assert not any("solution" in c.metadata.get("tags", []) for c in student.cells)
        assert _exercise_labels(student) == _exercise_labels(original), dest.name
        hints = sum(c.source.count("{admonition} Hint") for c in original.cells if c.cell_type == "markdown")
        assert sum(c.source.count("{admonition} Hint") for c in student.cells if c.cell_type == "markdown") == hints
        practice = [c.source for c in original.cells if "practice" in c.metadata.get("tags", [])]
        assert [c.source for c in student.cells if "practice" in c.metadata.get("tags", [])] == practice
        _practice_ok(student)


def test_make_student_refuses_a_leftover_solution(tmp_path):
    nb = new_notebook(cells=[new_markdown_cell("```{solution} ex\nanswer\n```")])
    nb.cells[0].source = "text"  # problems() sees tagged cells and directives
    bad = new_code_cell("x = 1")
    bad.metadata["tags"] = ["solution"]
    nb.cells.append(bad)
    assert make_student.problems(nb) == ["cell 1 is tagged solution"]
