"""Open every chapter in JupyterLab (with jupyterlab-myst) as a student on Binder meets it, and check it.

Starts JupyterLab from the course environment on 127.0.0.1 (free port, random token, no
browser) serving a temporary copy of book/ (so nothing in the repository is touched, even by
an autosave), opens each chapter in headless Chromium and, once every markdown cell is
rendered, counts per chapter:

- raw    build syntax shown as text: a directive fence (```{...}) or a role ({cite}`...`)
         in the rendered markdown, plus roles jupyterlab-myst has no meaning for
         (cite, py:*, numref, doc, ...) in the markdown sources;
- cite   "Citation Not Found" (jupyterlab-myst has no bibliography);
- xref   "Cross Reference Not Found" (a label that is not in the notebook);
- open   an open solution: a solution that is not a closed dropdown, or a code cell tagged
         "solution" whose source or outputs are visible.

Then it runs one chapter (``--run``, default 06_backprop) top to bottom through the UI
(Run > Run All Cells) and fails on any error output.  The server is stopped at the end,
also on failure or timeout; the whole check is bounded by ``--timeout`` seconds.

Usage: python tools/check_jupyter.py [--run 06_backprop] [--timeout 1800] [chapter ...]
Exits 1 on any failure.  Needs Debian's chromium (/usr/bin/chromium) and playwright.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import nbformat
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"
BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-default-apps", "--disable-extensions"]
# roles that jupyterlab-myst resolves inside one notebook; any other role is build-only syntax
JUPYTER_ROLES = {"eq", "ref", "prf:ref", "math", "abbr", "sub", "sup", "kbd", "del", "u", "underline",
                 "strong", "emphasis", "smallcaps", "term", "code", "raw", "subscript", "superscript"}
ROLE_IN_SOURCE = re.compile(r"\{([a-zA-Z][\w:+-]*)\}`")
FENCE = re.compile(r"^\s*(`{3,}|~{3,})(.*)$")

RENDERED = """() => {
  const cells = Array.from(document.querySelectorAll('.jp-Notebook .jp-MarkdownCell'));
  return {total: cells.length,
          rendered: cells.filter(c => c.querySelector('.myst, .jp-RenderedMarkdown')).length};
}"""

INSPECT = """(solutionCells) => {
  const nb = document.querySelector('.jp-Notebook');
  const cells = Array.from(nb.querySelectorAll(':scope .jp-Cell'));
  const out = {raw: [], cite: 0, xref: 0, open: [], cells: cells.length};
  for (const cell of cells) {
    if (!cell.classList.contains('jp-MarkdownCell')) continue;
    const view = cell.querySelector('.myst') || cell.querySelector('.jp-RenderedMarkdown');
    if (!view) continue;
    const text = view.innerText;
    for (const m of text.matchAll(/(```+|~~~+)\\s*\\{[^}\\n]*\\}|\\{[a-zA-Z][\\w:+-]*\\}`[^`\\n]*`/g)) out.raw.push(m[0].slice(0, 60));
    out.cite += view.querySelectorAll('[title="Citation Not Found"]').length;
    out.xref += view.querySelectorAll('[title="Cross Reference Not Found"]').length;
    for (const ex of view.querySelectorAll('.myst-exercise')) {
      const head = ex.querySelector('.myst-exercise-title, .myst-exercise-header');
      const title = head ? head.innerText.trim() : '';
      if (!/^Solution/.test(title)) continue;
      if (ex.tagName !== 'DETAILS') out.open.push('solution not folded: ' + title);
      else if (ex.open) out.open.push('solution open: ' + title);
    }
  }
  for (const i of solutionCells) {
    const cell = cells[i];
    if (!cell) { out.open.push(`solution cell ${i}: not in the page`); continue; }
    const input = cell.querySelector('.jp-Cell-inputArea');
    const output = cell.querySelector('.jp-Cell-outputArea');
    const visible = e => !!e && e.checkVisibility() && e.getBoundingClientRect().height > 0;
    if (visible(input)) out.open.push(`solution cell ${i}: source visible`);
    if (output && output.querySelector('.jp-OutputArea-output') && visible(output))
      out.open.push(`solution cell ${i}: output visible`);
  }
  return out;
}"""

PROMPTS = """() => Array.from(document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt'))
  .map(e => e.innerText.trim())"""
ERRORS = """() => Array.from(document.querySelectorAll(
  '.jp-Notebook [data-mime-type="application/vnd.jupyter.error"]')).map(e => e.innerText.slice(0, 300))"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def source_roles(nb) -> list[str]:
    """Build-only roles in the markdown sources, outside code blocks."""
    found = []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        code, directives = None, []
        for line in cell.source.splitlines():
            m = FENCE.match(line)
            if code is not None:  # inside a code block: skip up to its closing fence
                if m and m.group(1).startswith(code) and not m.group(2).strip():
                    code = None
                continue
            if m:
                info = m.group(2).strip()
                if info.startswith("{"):
                    directives.append(m.group(1))
                elif not info and directives and m.group(1)[0] == directives[-1][0] \
                        and len(m.group(1)) >= len(directives[-1]):
                    directives.pop()
                else:
                    code = m.group(1)
                continue
            for r in ROLE_IN_SOURCE.finditer(line):
                if r.group(1) not in JUPYTER_ROLES:
                    found.append("{" + r.group(1) + "}")
    return found


def gated_open(nb) -> list[str]:
    """Code cells of a gated solution (solution-start ... solution-end) that Jupyter shows open."""
    out, inside = [], False
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            if re.search(r"\{solution-start\}", cell.source):
                inside = True
            if re.search(r"\{solution-end\}", cell.source):
                inside = False
        elif inside and not (cell.metadata.get("jupyter") or {}).get("source_hidden"):
            out.append(f"cell {i}: code of a gated solution (solution-start/end) shown open")
    return out


class Server:
    """JupyterLab from this environment, on 127.0.0.1, serving a copy of book/."""

    def __init__(self, root: Path, tmp: Path):
        self.port, self.token = free_port(), secrets.token_hex(24)
        self.base = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, JUPYTER_PREFER_ENV_PATH="1", JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
                   JUPYTERLAB_SETTINGS_DIR=str(tmp / "settings"), JUPYTERLAB_WORKSPACES_DIR=str(tmp / "ws"),
                   PYDEVD_DISABLE_FILE_VALIDATION="1", MPLBACKEND="module://matplotlib_inline.backend_inline")
        cmd = [str(BIN / "jupyter-lab"), "--no-browser", "--ip=127.0.0.1", f"--port={self.port}",
               "--port-retries=0", f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={root}",
               "--allow-root", "--LabApp.extension_manager=readonly", "--ServerApp.open_browser=False"]
        # every cell in the page (no virtual scrolling), so every markdown cell is rendered and inspected
        tracker = tmp / "settings" / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings"
        tracker.parent.mkdir(parents=True, exist_ok=True)
        tracker.write_text(json.dumps({"windowingMode": "none"}))
        self.log = open(tmp / "server.log", "w")
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT, env=env,
                                     start_new_session=True)

    def api(self, path: str, method: str = "GET"):
        req = urllib.request.Request(self.base + path, method=method,
                                     headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=10) as r:
            body = r.read()
        return json.loads(body) if body else None

    def wait_ready(self, timeout: float = 90) -> None:
        end = time.time() + timeout
        while time.time() < end:
            if self.proc.poll() is not None:
                raise RuntimeError("JupyterLab exited; see its log")
            try:
                self.api("/api/status")
                return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError(f"JupyterLab did not answer within {timeout:.0f} s")

    def shutdown_sessions(self) -> None:
        for sess in self.api("/api/sessions") or []:
            self.api(f"/api/sessions/{sess['id']}", "DELETE")

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)  # the server and the kernels it started
                self.proc.wait(15)
            except (subprocess.TimeoutExpired, ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        self.log.close()


def open_notebook(page, server: Server, name: str, n_markdown: int, timeout: float = 90) -> dict:
    page.goto(f"{server.base}/lab/tree/{name}?reset&token={server.token}", wait_until="load")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=timeout * 1000)
    end = time.time() + timeout
    state = {}
    while time.time() < end:
        state = page.evaluate(RENDERED)
        if state["rendered"] >= n_markdown:
            break
        time.sleep(0.5)
    time.sleep(1.0)  # let the last MyST widgets (math, references) settle
    return state


PAGE_STATE = """() => ({
  status: (document.querySelector('.jp-Notebook-ExecutionIndicator') || {dataset: {}}).dataset.status || null,
  dialog: (document.querySelector('.jp-Dialog') || {innerText: ''}).innerText.slice(0, 200)})"""


def kernel_idle(page, timeout: float) -> bool:
    """Wait until the notebook shows its kernel connected and idle (the toolbar's indicator)."""
    end = time.time() + timeout
    while time.time() < end:
        if page.evaluate(PAGE_STATE)["status"] == "idle":
            return True
        time.sleep(0.5)
    return False


def click_run_all(page, attempts: int = 3, wait: float = 30) -> bool:
    """Run > Run All Cells, as a student does; True once a cell is queued or has run.

    A click that lands while JupyterLab is still busy with the page can be lost (nothing is
    queued), so the menu is tried again, up to ``attempts`` times.
    """
    for _ in range(attempts):
        page.keyboard.press("Escape")  # no menu or dialog left open
        page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).first.click()
        page.locator("li.lm-Menu-item[data-command='runmenu:run-all']").first.click()
        end = time.time() + wait
        while time.time() < end:
            if any(re.search(r"\[(\*|\d+)\]", p) for p in page.evaluate(PROMPTS)):
                return True
            time.sleep(0.5)
    return False


def connect_kernel(page, server: Server, attempts: int = 3, wait: float = 40) -> bool:
    """Wait until the notebook shows its kernel idle; otherwise reload the page, then start afresh.

    The page's indicator is what counts: the server's ``execution_state`` of a kernel can stay
    "starting" although the notebook runs (jupyter_server only learns the state from status
    messages it happens to see, and a websocket refused during start-up, jupyter-server issue
    #1265, leaves it there). A student whose notebook will not connect reloads the page, then
    restarts the kernel; so does this check.
    """
    for attempt in range(attempts):
        if kernel_idle(page, wait):
            return True
        if attempt < attempts - 1:
            fresh = attempt == attempts - 2  # the last try: a new kernel, as after "Restart Kernel"
            print(f"  the kernel is not idle after {wait:.0f} s: reloading the page"
                  + (" with a new kernel" if fresh else ""), flush=True)
            if fresh:
                server.shutdown_sessions()
            page.reload(wait_until="load")
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
    return False



def run_all(page, server: Server, timeout: float) -> tuple[list[str], int, int, float]:
    t0 = time.time()
    if not connect_kernel(page, server):
        states = [k.get("execution_state") for k in server.api("/api/kernels") or []]
        return [f"the kernel was not idle after 3 page loads (kernels: {states or 'none'}; "
                f"page: {page.evaluate(PAGE_STATE)})"], 0, 0, time.time() - t0
    if not click_run_all(page):
        return ["Run > Run All Cells queued no cell (3 tries)"], 0, 0, time.time() - t0
    # judged on the page, as the student sees it: the server's list of kernels can hold another
    # kernel that never left "starting" (a chapter visited before), which says nothing about this one
    end, quiet, prompts = time.time() + timeout, 0, []
    while time.time() < end:
        time.sleep(1.0)
        prompts = page.evaluate(PROMPTS)
        busy = page.evaluate(PAGE_STATE)["status"] != "idle"
        running = any("*" in p for p in prompts)
        done = [p for p in prompts if re.search(r"\[\d+\]", p)]
        quiet = quiet + 1 if (not busy and not running and done) else 0
        if quiet >= 2:
            break
    done = sum(1 for p in prompts if re.search(r"\[\d+\]", p))
    if quiet < 2:
        return [f"Run All did not finish within {timeout:.0f} s ({done} of {len(prompts)} cells ran; "
                f"page: {page.evaluate(PAGE_STATE)})"], done, len(prompts), time.time() - t0
    return page.evaluate(ERRORS), done, len(prompts), time.time() - t0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("chapters", nargs="*", help="chapter stems or file names (default: all)")
    ap.add_argument("--run", default="06_backprop", help="chapter to run through Run All ('' to skip)")
    ap.add_argument("--timeout", type=float, default=1800, help="bound on the whole check, seconds")
    ap.add_argument("--keep", action="store_true", help="keep the temporary copy and the server log")
    ap.add_argument("--book", type=Path, default=BOOK, help="folder of the chapters (default: book/)")
    args = ap.parse_args(argv)
    book = args.book.resolve()

    chapters = sorted(book.glob("[0-9][0-9]_*.ipynb"))
    if args.chapters:
        want = {Path(c).stem for c in args.chapters}
        chapters = [c for c in chapters if c.stem in want]
    if not chapters:
        print("no chapters to check", file=sys.stderr)
        return 2
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is missing: apt-get install chromium", file=sys.stderr)
        return 2

    tmp = Path(tempfile.mkdtemp(prefix="check-jupyter-"))
    root = tmp / "book"
    shutil.copytree(book, root, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "_build"))
    deadline = time.time() + args.timeout
    server = Server(root, tmp)
    timer = threading.Timer(args.timeout + 60, lambda: (print("check-jupyter: time is up, stopping",
                                                                  file=sys.stderr), server.stop(),
                                                            os._exit(1)))
    timer.daemon = True
    timer.start()
    failures: list[str] = []
    rows = []
    try:
        server.wait_ready()
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            context = browser.new_context(viewport={"width": 1280, "height": 900})

            def guard(route):
                host = route.request.url.split("/")[2] if "://" in route.request.url else ""
                if route.request.url.startswith(("data:", "blob:")) or host == f"127.0.0.1:{server.port}":
                    route.continue_()
                else:
                    route.abort()

            context.route("**/*", guard)
            page = context.new_page()
            page.set_default_timeout(60_000)
            print(f"{'chapter':28s} {'md':>4s} {'raw':>4s} {'cite':>4s} {'xref':>4s} {'open':>4s}  result")
            for path in chapters:
                if time.time() > deadline:
                    failures.append(f"{path.stem}: not checked, time is up")
                    continue
                nb = nbformat.read(path, as_version=4)
                n_md = sum(1 for c in nb.cells if c.cell_type == "markdown")
                solution_cells = [i for i, c in enumerate(nb.cells)
                                  if c.cell_type == "code" and "solution" in c.metadata.get("tags", [])]
                problems = []
                try:
                    state = open_notebook(page, server, path.name, n_md, max(30, min(120, deadline - time.time())))
                    if state.get("rendered", 0) < n_md:
                        problems.append(f"only {state.get('rendered', 0)} of {n_md} markdown cells rendered")
                    res = page.evaluate(INSPECT, solution_cells)
                except Exception as exc:  # a page that does not load is a failure, not a crash
                    problems.append(f"could not open: {str(exc).splitlines()[0]}")
                    res = {"raw": [], "cite": 0, "xref": 0, "open": []}
                res["open"] += gated_open(nb)
                raw = res["raw"] + source_roles(nb)
                for what in sorted(set(raw)):
                    problems.append(f"build syntax shown: {what} (x{raw.count(what)})")
                if res["cite"]:
                    problems.append(f"{res['cite']} x Citation Not Found")
                if res["xref"]:
                    problems.append(f"{res['xref']} x Cross Reference Not Found")
                problems += res["open"]
                rows.append((path.stem, len(raw), res["cite"], res["xref"], len(res["open"])))
                ok = not problems
                print(f"{path.stem:28s} {n_md:4d} {len(raw):4d} {res['cite']:4d} {res['xref']:4d} "
                      f"{len(res['open']):4d}  {'ok' if ok else 'FAIL'}", flush=True)
                failures += [f"{path.stem}: {p}" for p in problems]
                server.shutdown_sessions()

            if args.run:
                path = book / f"{Path(args.run).stem}.ipynb"
                nb = nbformat.read(path, as_version=4)
                n_md = sum(1 for c in nb.cells if c.cell_type == "markdown")
                run_name = f"run_{path.name}"  # a fresh copy: no session of the first visit is reused
                shutil.copy(path, root / run_name)
                try:
                    open_notebook(page, server, run_name, n_md, 120)
                    page.wait_for_function(
                        "() => !document.querySelector('.jp-Notebook-ExecutionIndicator[data-status=\"busy\"]')",
                        timeout=60_000)
                    errors, done, total, secs = run_all(page, server, max(60, min(300, deadline - time.time())))
                    print(f"Run All {path.stem}: {done} of {total} visible code cells executed, "
                          f"{len(errors)} error outputs, {secs:.1f} s")
                    failures += [f"{path.stem} (Run All): {' '.join(e.split())[:300]}" for e in errors]
                    if not errors and done == 0:
                        failures.append(f"{path.stem} (Run All): no cell was executed")
                except Exception as exc:
                    failures.append(f"{path.stem} (Run All): {str(exc).splitlines()[0]}")
                server.shutdown_sessions()
            browser.close()
    except Exception as exc:
        failures.append(f"check-jupyter: {exc}")
    finally:
        server.stop()
        timer.cancel()
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    if rows:
        tot = [sum(r[i] for r in rows) for i in range(1, 5)]
        bad = sum(1 for r in rows if any(r[1:]))
        print(f"{'total':28s} {'':4s} {tot[0]:4d} {tot[1]:4d} {tot[2]:4d} {tot[3]:4d}  "
              f"{bad} of {len(rows)} chapters fail")
    if failures:
        print(f"\n{len(failures)} problem(s):")
        for f in failures:
            print("  " + f)
        return 1
    print("check-jupyter: every chapter reads well in JupyterLab")
    return 0


if __name__ == "__main__":
    sys.exit(main())
