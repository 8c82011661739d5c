#!/usr/bin/env python3
"""Open every page of the built book in headless Chromium and check what a reader sees.

Usage: python tools/check_html.py [BUILD_DIR]   (default: _build/html)

Serves the book on localhost and, for every page:
- no JavaScript errors (console errors or uncaught exceptions);
- no request leaves localhost (the book must work offline; such requests are blocked and reported);
- every math element is rendered by MathJax, and no raw TeX delimiters ($$, \\( or \\[)
  are left in the text outside code;
- every image has loaded (natural width > 0).
Then it searches for "softmax" on the search page and expects results, and saves
screenshots of the introduction and two chapters in _build/screenshots/.
Exits non-zero on any failure. Needs Debian's chromium (/usr/bin/chromium) and playwright.
"""
from __future__ import annotations

import functools
import http.server
import re
import socketserver
import sys
import threading
from pathlib import Path
from urllib.parse import urlparse

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-default-apps", "--disable-extensions", "--metrics-recording-only"]
SKIP = {"genindex.html", "search.html", "py-modindex.html"}
RAW_TEX = re.compile(r"\$\$|\\\(|\\\[")

# text of the page outside code, scripts and rendered math
VISIBLE_TEXT = """() => {
  const clone = document.body.cloneNode(true);
  clone.querySelectorAll('pre, code, script, style, mjx-container, .MathJax, textarea').forEach(e => e.remove());
  return clone.innerText;
}"""
MATH_STATUS = """() => {
  const math = Array.from(document.querySelectorAll('.math, span.math, div.math'));
  const unrendered = math.filter(e => !e.querySelector('mjx-container')).map(e => e.textContent.slice(0, 60));
  return {count: math.length, unrendered: unrendered};
}"""
IMAGES = """() => Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)"""


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the output readable
        pass


def serve(directory: Path):
    handler = functools.partial(QuietHandler, directory=str(directory))
    httpd = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


def main(argv: list[str]) -> int:
    build = Path(argv[0]).resolve() if argv else ROOT / "_build" / "html"
    if not (build / "index.html").exists():
        print(f"no built book at {build}: run `make book` first", file=sys.stderr)
        return 2
    pages = sorted(p.relative_to(build).as_posix() for p in build.rglob("*.html")
                   if "_static" not in p.parts and "_sources" not in p.parts and p.name not in SKIP
                   and p.name != "index.html")
    shots = ROOT / "_build" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    httpd, base = serve(build)
    failures: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1280, "height": 900})

        def guard(route):
            host = urlparse(route.request.url).hostname
            if host in ("127.0.0.1", "localhost") or route.request.url.startswith("data:"):
                route.continue_()
            else:
                failures.append(f"request to the network blocked: {route.request.url}")
                route.abort()

        context.route("**/*", guard)
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        total_math = 0
        for rel in pages:
            errors.clear()
            page.goto(f"{base}/{rel}", wait_until="load")
            page.wait_for_function("() => !window.MathJax || (window.MathJax.startup && window.MathJax.startup.promise)")
            page.evaluate("() => window.MathJax && window.MathJax.startup ? MathJax.startup.promise : null")
            status = page.evaluate(MATH_STATUS)
            total_math += status["count"]
            for snippet in status["unrendered"][:3]:
                failures.append(f"{rel}: math not rendered: {snippet!r}")
            raw = RAW_TEX.findall(page.evaluate(VISIBLE_TEXT))
            if raw:
                failures.append(f"{rel}: raw TeX delimiters left in the text: {sorted(set(raw))}")
            for src in page.evaluate(IMAGES):
                failures.append(f"{rel}: image did not load: {src}")
            for e in errors:
                failures.append(f"{rel}: JavaScript error: {e}")
            print(f"checked {rel}: {status['count']} math elements, {len(errors)} JS errors")
        # search
        page.goto(f"{base}/search.html?q=softmax", wait_until="load")
        try:
            page.wait_for_selector("#search-results li", timeout=20000)
            hits = page.locator("#search-results li").count()
            print(f"search for 'softmax': {hits} results")
        except Exception:  # noqa: BLE001 - playwright's TimeoutError
            failures.append("search.html?q=softmax returned no results")
        # screenshots of the introduction and two chapters
        chapters = [p for p in pages if re.match(r"book/\d\d_", p)]
        for rel in ["book/intro.html"] + chapters[:1] + chapters[-1:]:
            page.goto(f"{base}/{rel}", wait_until="load")
            page.evaluate("() => window.MathJax && window.MathJax.startup ? MathJax.startup.promise : null")
            out = shots / (Path(rel).stem + ".png")
            page.screenshot(path=str(out), full_page=False)
            print(f"screenshot {out.relative_to(ROOT)}")
        browser.close()
    httpd.shutdown()
    for f in failures:
        print("FAIL", f)
    print(f"check_html: {len(pages)} pages, {total_math} math elements, {len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
