"""Repository-level checks: every module is tested and documented; configuration files are valid."""
import json
import re
from pathlib import Path

import pytest
import yaml

import coursepkg

ROOT = Path(__file__).resolve().parent.parent
MODULES = sorted(p.stem for p in (ROOT / "coursepkg").glob("*.py") if not p.stem.startswith("_"))
TOC = (ROOT / "_toc.yml").read_text(encoding="utf-8")
CHAPTERS = sorted((ROOT / "book").glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("module", MODULES)
def test_every_module_has_tests_and_an_api_page(module):
    assert (ROOT / "tests" / f"test_{module}.py").exists(), f"tests/test_{module}.py is missing"
    page = ROOT / "book" / "api" / f"{module}.md"
    assert page.exists(), f"book/api/{module}.md is missing"
    assert f"automodule:: coursepkg.{module}" in page.read_text(encoding="utf-8")
    assert f"book/api/{module}" in TOC, f"book/api/{module} is not in _toc.yml"


@pytest.mark.parametrize("module", MODULES)
def test_every_module_declares_its_public_names(module):
    mod = __import__(f"coursepkg.{module}", fromlist=["__all__"])
    assert hasattr(mod, "__all__") and mod.__all__, f"coursepkg.{module} has no __all__"
    for name in mod.__all__:
        assert hasattr(mod, name), f"coursepkg.{module}.__all__ names {name}, which does not exist"


def test_version():
    assert re.fullmatch(r"\d+\.\d+\.\d+", coursepkg.__version__)


def test_yaml_files_are_valid_and_workflows_mirror_ci():
    for path in [ROOT / "_config.yml", ROOT / "_toc.yml", *sorted((ROOT / ".github" / "workflows").glob("*.yml"))]:
        assert isinstance(yaml.safe_load(path.read_text(encoding="utf-8")), dict), path
    ci = (ROOT / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8")
    run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for command in ("make test", "make book"):
        assert command in ci and command in run


def test_requirements_are_pinned():
    for name in ("requirements.txt", "requirements-check.txt"):
        for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
            line = line.split("#")[0].strip()
            if line and not line.startswith("-"):
                assert "==" in line, f"{name}: {line} is not pinned"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_chapters_are_listed_and_start_with_the_colab_cell(path):
    assert f"book/{path.stem}" in TOC, f"{path.name} is not in _toc.yml"
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    first = "".join(code[0]["source"])
    assert "import coursepkg" in first and "except ImportError" in first, \
        f"{path.name}: the first code cell must install coursepkg only when it is missing"
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
