#!/usr/bin/env python3
"""Check the figures of the built book: alt texts, dark mode and the interactive figures.

Usage: python tools/check_figures.py [BUILD_DIR] [--shots DIR]   (default: _build/html)

1. Alt text (every page, from the HTML): every image in the article has an alt text that is not
   empty, not its file name and not a path (tools/sphinx_figures.py writes the caption there).
2. In headless Chromium (playwright, /usr/bin/chromium), the book served on 127.0.0.1 with every
   request that leaves the machine aborted and counted as a failure, for every page that contains
   an explorable (``course-explorable``, from :mod:`coursepkg.explore`):
   - the page loads plotly.js from the book's own ``_static`` and draws every explorable;
   - every slider of every explorable is moved (clicked near each end of its rail) and the
     figure's SVG must change;
   - no console error and no uncaught exception;
   - in dark mode (``data-theme="dark"``), no image of the article is under a CSS filter and
     the explorable's text colour follows the theme.
   Screenshots of each explorable in light and dark mode go to --shots (default
   _build/screenshots/figures).
Prints one line per page with an explorable and a summary; with no explorable in the book it says
"0 explorables" and passes. Exits non-zero on any failure.
"""
from __future__ import annotations

import argparse
import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

from _browser import ARGS, CHROMIUM, built_book, offline_page, serve

ROOT = Path(__file__).resolve().parent.parent
MARKER = "course-explorable"
PATHLIKE = re.compile(r"(^|/)[^ ]+\.(png|jpe?g|gif|svg|pdf)$", re.IGNORECASE)
# images of the theme's chrome (logos of the launch buttons) are outside the article
ARTICLE_START = re.compile(r'<article[^>]*class="[^"]*bd-article', re.IGNORECASE)


class _Images(HTMLParser):
    """Collect (src, alt) of the <img> elements inside the article."""

    def __init__(self):
        super().__init__()
        self.depth = 0          # >0 inside <article class="bd-article">
        self.images: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "article" and "bd-article" in (a.get("class") or ""):
            self.depth += 1
        elif tag == "article" and self.depth:
            self.depth += 1
        elif tag == "img" and self.depth:
            self.images.append((a.get("src") or "", a.get("alt")))

    def handle_endtag(self, tag):
        if tag == "article" and self.depth:
            self.depth -= 1


def alt_failures(rel: str, html: str) -> tuple[int, list[str]]:
    parser = _Images()
    parser.feed(html)
    failures = []
    for src, alt in parser.images:
        name = Path(urlparse(src).path).name
        if not alt or not alt.strip():
            failures.append(f"{rel}: image without alt text: {name}")
        elif alt.strip() in (src, name) or PATHLIKE.search(alt.strip()):
            failures.append(f"{rel}: alt text is a file path: {alt!r}")
    return len(parser.images), failures


SVG_STATE = """(el) => Array.from(el.querySelectorAll('svg.main-svg')).map(s => s.innerHTML).join('')"""
FILTERED_IMAGES = """() => Array.from(document.querySelectorAll('article.bd-article img'))
  .filter(i => getComputedStyle(i).filter !== 'none').map(i => i.alt.slice(0, 60))"""
TEXT_COLOR = """(el) => { const t = el.querySelector('.xtick text, .ytick text, .slider-label');
  return t ? getComputedStyle(t).fill : null; }"""


def set_theme(page, mode: str) -> None:
    page.evaluate("""(mode) => { localStorage.setItem('mode', mode); localStorage.setItem('theme', mode);
      document.documentElement.dataset.mode = mode; document.documentElement.dataset.theme = mode; }""", mode)
    page.wait_for_timeout(250)


def check_explorables(page, rel: str, shots: Path) -> tuple[int, int, list[str]]:
    """Move every slider of every explorable on the open page; returns (explorables, sliders, failures)."""
    failures = []
    src = page.evaluate("() => Array.from(document.scripts).map(s => s.src).filter(s => /plotly/.test(s))")
    if not src or not all("/_static/plotly.min.js" in s for s in src):
        failures.append(f"{rel}: plotly.js not loaded from the book's _static: {src}")
    if not page.evaluate("() => !!window.Plotly"):
        failures.append(f"{rel}: window.Plotly is missing")
        return 0, 0, failures
    boxes = page.locator(f".{MARKER}")
    n_ex, n_sliders = boxes.count(), 0
    for e in range(n_ex):
        el = boxes.nth(e)
        name = el.get_attribute("data-explorable") or f"#{e}"
        try:
            el.locator("svg.main-svg").first.wait_for(state="attached", timeout=10000)
        except Exception:  # noqa: BLE001 -- reported as a failure below
            failures.append(f"{rel}: explorable {name} was not drawn")
            continue
        el.scroll_into_view_if_needed()
        el.screenshot(path=str(shots / f"{Path(rel).stem}-{name}-light.png"))
        rails = el.locator(".slider-rail-rect")
        if rails.count() == 0:
            failures.append(f"{rel}: explorable {name} has no slider")
        for s in range(rails.count()):
            n_sliders += 1
            rail = rails.nth(s)
            rail.scroll_into_view_if_needed()
            changed = False
            for frac in (0.9, 0.1):
                before = el.evaluate(SVG_STATE)
                box = rail.bounding_box()
                page.mouse.click(box["x"] + box["width"] * frac, box["y"] + box["height"] / 2)
                page.wait_for_timeout(300)
                if el.evaluate(SVG_STATE) != before:
                    changed = True
            if not changed:
                failures.append(f"{rel}: moving slider {s + 1} of explorable {name} does not change the figure")
        light = el.evaluate(TEXT_COLOR)
        set_theme(page, "dark")
        page.wait_for_timeout(300)
        dark = el.evaluate(TEXT_COLOR)
        if light is not None and light == dark:
            failures.append(f"{rel}: explorable {name} keeps its text colour {light} in dark mode")
        el.screenshot(path=str(shots / f"{Path(rel).stem}-{name}-dark.png"))
        set_theme(page, "light")
    return n_ex, n_sliders, failures


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("build", nargs="?", default=str(ROOT / "_build" / "html"))
    ap.add_argument("--shots", help="directory for screenshots (default: BUILD/../screenshots/figures)")
    args = ap.parse_args(argv)
    build = built_book(args.build)
    if build is None:
        return 2
    shots = Path(args.shots) if args.shots else build.parent / "screenshots" / "figures"
    shots.mkdir(parents=True, exist_ok=True)
    pages = sorted(p.relative_to(build).as_posix() for p in build.rglob("*.html")
                   if "_static" not in p.parts and "_sources" not in p.parts)
    failures: list[str] = []
    n_images = 0
    with_explorables = []
    for rel in pages:
        html = (build / rel).read_text(encoding="utf-8")
        n, bad = alt_failures(rel, html)
        n_images += n
        failures += bad
        if f'class="{MARKER}"' in html:
            with_explorables.append(rel)
    print(f"alt text: {n_images} images in {len(pages)} pages, {sum('alt' in f for f in failures)} without a meaningful alt")

    n_ex = n_sliders = 0
    from playwright.sync_api import sync_playwright

    httpd, base = serve(build)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            context = browser.new_context(viewport={"width": 1280, "height": 900})

            page, errors = offline_page(context, base, failures)
            # dark mode: on a chapter with figures (or the first page with an image), no image is
            # under a CSS filter; a screenshot of the first figure in each mode
            chapters = [p for p in pages if re.match(r"book/\d\d_", p)] or pages
            probe = next((p for p in chapters if "<img" in (build / p).read_text(encoding="utf-8")
                          and "cell_output" in (build / p).read_text(encoding="utf-8")), None)
            if probe:
                page.goto(f"{base}/{probe}", wait_until="load")
                for mode in ("light", "dark"):
                    set_theme(page, mode)
                    for alt in page.evaluate(FILTERED_IMAGES):
                        failures.append(f"{probe}: image under a CSS filter in {mode} mode: {alt!r}")
                    img = page.locator("article.bd-article div.cell_output img").first
                    if img.count():
                        img.scroll_into_view_if_needed()
                        page.screenshot(path=str(shots / f"figure-{mode}.png"))
                set_theme(page, "light")
                column = page.evaluate("() => { const p = document.querySelector('article.bd-article p');"
                                       " return p ? Math.round(p.getBoundingClientRect().width) : null; }")
                shrunk = page.evaluate("""() => Array.from(document.querySelectorAll(
                    'article.bd-article div.cell_output img')).filter(i => i.naturalWidth > i.clientWidth + 1)
                    .map(i => `${i.naturalWidth} px shown at ${i.clientWidth} px`)""")
                print(f"dark mode: figures on {probe} have no filter; screenshots in {shots}")
                print(f"column: {column} px at a 1280 px window; {len(shrunk)} figure(s) on {probe} shrunk by the "
                      f"browser {shrunk[:3]} (tests/test_figures.py checks every chapter)")
            for rel in with_explorables:
                errors.clear()
                page.goto(f"{base}/{rel}", wait_until="load")
                page.wait_for_timeout(300)
                ne, ns, bad = check_explorables(page, rel, shots)
                n_ex, n_sliders = n_ex + ne, n_sliders + ns
                failures += bad
                failures += [f"{rel}: JavaScript error: {e}" for e in errors]
                print(f"{rel:42s} {ne} explorable(s), {ns} slider(s) moved, {len(bad) + len(errors)} failure(s)")
            browser.close()
    finally:
        httpd.shutdown()
    print(f"{n_ex} explorables, {n_sliders} sliders on {len(with_explorables)} pages")
    for f in failures:
        print("FAIL", f)
    print("figures: OK" if not failures else f"figures: {len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
