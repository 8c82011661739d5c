# Neural Networks, Derived and Tested -- build, test and maintain the course.
#   make book       build the HTML book into _build/html from the stored outputs (zero warnings allowed)
#   make test       run the package tests and every chapter notebook (pytest --nbval, both cores)
#   make notebooks  re-execute every chapter in a fresh kernel and store its outputs
#   make student    write the chapters without solutions (for a class) to _build/student
#   make check-html open every page of the built book in headless Chromium and check it
#   make pdf        build the whole book as one PDF (_build/latex/book.pdf, also offered by the HTML book)
#   make check-jupyter open every chapter in JupyterLab (jupyterlab-myst) in headless Chromium and check it
#   make lab        start JupyterLab on the chapters from the course environment
#   make bench      run benchmarks/ and store the results in benchmarks/results.json
#   make clean      remove build products (keeps .venv); make distclean removes .venv too
# Each target creates the virtual environment .venv on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# kernels from .venv take precedence over any user-wide kernel of the same name
export JUPYTER_PREFER_ENV_PATH := 1
export PYDEVD_DISABLE_FILE_VALIDATION := 1
# one BLAS thread per process: the chapters' matrices are small, and `make test` already runs one
# process per core (threads would only fight over the cores); set the variable to override
export OPENBLAS_NUM_THREADS ?= 1
export OMP_NUM_THREADS ?= 1

.PHONY: all book test notebooks check-html pdf check-jupyter lab bench clean distclean venv chromium student

all: test book

venv: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -r requirements.txt
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (course)"
	@touch $(STAMP)

book: $(STAMP)
	$(BIN)/jupyter-book build . -W -n --keep-going
	@echo ""
	@echo "The book is built: open $(CURDIR)/_build/html/index.html in a browser."

# pytest-xdist: one worker per core; --dist loadfile keeps every file (each notebook) in one worker,
# so a notebook's cells run in order in one kernel. JOBS=0 runs everything in one process.
JOBS ?= auto
test: $(STAMP)
	$(BIN)/python -m pytest --nbval -n $(JOBS) --dist loadfile

notebooks: $(STAMP)
	$(BIN)/python tools/execute_notebooks.py $(NB)

# the chapters without their solutions (hints, practice stubs and checks kept, outputs cleared)
.PHONY: student
student: $(STAMP)
	$(BIN)/python tools/make_student.py --out _build/student

# bench_mlp.py pins BLAS to one thread itself: the ratios compare implementations, not thread pools
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_mlp.py --json benchmarks/results.json

CHECK_STAMP := $(VENV)/.installed-check
$(CHECK_STAMP): $(STAMP) requirements-check.txt
	$(BIN)/python -m pip install -r requirements-check.txt
	@touch $(CHECK_STAMP)

# Debian's chromium, installed when missing (needs root, as on CI); playwright drives it.
chromium:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "the browser checks need /usr/bin/chromium: sudo apt-get install chromium"; exit 1; fi; }

check-html: $(CHECK_STAMP) chromium
	$(BIN)/python tools/check_html.py
	$(BIN)/python tools/check_figures.py

# The chapters as a student meets them on Binder: JupyterLab + jupyterlab-myst, headless Chromium.
check-jupyter: $(CHECK_STAMP) chromium
	$(BIN)/python tools/check_jupyter.py

# JupyterLab on the chapters, from the course environment (renders their MyST like Binder does)
lab: $(STAMP)
	$(BIN)/jupyter-lab book/01_forward_pass.ipynb

# The whole book as one PDF with Jupyter Book's LaTeX builder and xelatex (_config.yml `latex:`,
# tools/sphinx_pdf.py), checked by tools/check_pdf.py and copied into the HTML book (_static/book.pdf).
# Debian's TeX Live packages are installed when missing (needs root, as on CI).
TEX_PACKAGES := texlive-xetex texlive-latex-extra texlive-fonts-recommended texlive-pictures latexmk \
                fonts-freefont-otf poppler-utils
pdf: $(STAMP)
	@{ command -v xelatex && command -v latexmk && command -v pdftotext && kpsewhich pgfplots.sty changepage.sty \
	   && test -d /usr/share/fonts/opentype/freefont; } >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(TEX_PACKAGES); \
	  else echo "make pdf needs TeX Live: sudo apt-get install $(TEX_PACKAGES)"; exit 1; fi; }
	$(BIN)/jupyter-book build . --builder pdflatex -W -n --keep-going
	$(BIN)/python tools/check_pdf.py _build/latex/book.pdf
	mkdir -p _build/html/_static && cp _build/latex/book.pdf _build/html/_static/book.pdf
	@echo "The PDF is built: $(CURDIR)/_build/latex/book.pdf (and _build/html/_static/book.pdf)"

clean:
	rm -rf _build .pytest_cache .hypothesis .jupyter_cache
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +
	find . -name .ipynb_checkpoints -not -path './$(VENV)/*' -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) *.egg-info
