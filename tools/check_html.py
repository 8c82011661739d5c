#!/usr/bin/env python3
"""Open every page of the built book in headless Chromium and check what a reader sees.

Usage: python tools/check_html.py [BUILD_DIR] [--wide-report FILE]   (default: _build/html)

Serves the book on 127.0.0.1 and, for every page, at a 1280 px wide window:
- no JavaScript errors (console errors or uncaught exceptions);
- no request leaves the machine: every request that is not to the local server (127.0.0.1) is
  aborted and reported as a failure (the book must work offline);
- every math element is rendered by MathJax, and no raw TeX delimiters ($$, \\( or \\[)
  are left in the text outside code;
- every image has loaded (natural width > 0);
- every display equation fits its box: the rendered glyphs of a MathJax display container
  do not extend past the content column (a hidden or scrolled-away part fails); folds
  (solutions, hints, hidden cells) are opened first so that their equations are measured too;
then at a 390 px wide window (a phone), folds still open:
- the page is not wider than the window (document scrollWidth <= innerWidth); the elements
  that stick out are named. Display math and wide tables may scroll inside their own box.
The chapter menu (primary sidebar) must open from its toggle and close again at 390 and 900 px
(and at 1280 px, where the toggle hides and shows the sidebar), on the introduction and a chapter.
Then it searches for "softmax" on the search page and expects results, and saves screenshots
(1280 and 390 px, with the menu open at 390 px) in _build/screenshots/.
Prints one line per page. --wide-report FILE writes the list of too-wide equations to FILE.
Exits non-zero on any failure. Needs Debian's chromium (/usr/bin/chromium) and playwright.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from _browser import ARGS, CHROMIUM, built_book, offline_page, serve

ROOT = Path(__file__).resolve().parent.parent
SKIP = {"genindex.html", "search.html", "py-modindex.html"}
RAW_TEX = re.compile(r"\$\$|\\\(|\\\[")
DESKTOP, TABLET, PHONE = 1280, 900, 390
HEIGHT = 900
TOLERANCE = 1.0  # px: sub-pixel rounding

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
WAIT_MATH = "() => window.MathJax && window.MathJax.startup ? MathJax.startup.promise : null"

# Every display equation: the horizontal extent of its rendered glyphs against the box it lives in
# (the parent of the MathJax container, i.e. the content column). TeX source from MathJax's own list.
WIDE_EQUATIONS = """(tol) => {
  const source = new Map();
  try { for (const item of MathJax.startup.document.math) source.set(item.typesetRoot, item.math); } catch (e) {}
  const out = [];
  document.querySelectorAll('mjx-container[display="true"]').forEach(c => {
    const box = c.parentElement;
    const b = box.getBoundingClientRect();
    const inner = {left: b.left + box.clientLeft, right: b.left + box.clientLeft + box.clientWidth};
    let left = Infinity, right = -Infinity;
    c.querySelectorAll('mjx-c, mjx-line, mjx-stretchy-h, mjx-stretchy-v').forEach(g => {
      const r = g.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) return;
      left = Math.min(left, r.left); right = Math.max(right, r.right);
    });
    if (!isFinite(left)) return;
    if (right - inner.right > tol || inner.left - left > tol) {
      const holder = c.closest('[id^="equation-"]') || box.closest('[id]');
      const eqno = box.querySelector('.eqno');
      out.push({id: holder ? holder.id : '', eqno: eqno ? eqno.textContent.trim() : '',
                tex: (source.get(c) || c.textContent || '').replace(/\\s+/g, ' ').trim().slice(0, 90),
                content: Math.round(right - left), box: Math.round(inner.right - inner.left)});
    }
  });
  return out;
}"""

# Open every fold (solutions, hints, hidden cells, asides) so that what is inside is measured too.
OPEN_FOLDS = """() => {
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  document.querySelectorAll('.toggle-hidden').forEach(e => e.classList.remove('toggle-hidden'));
}"""

# Page wider than the window: the elements that stick out past the right edge and are not
# clipped by a scrolling/hidden-overflow ancestor that itself fits (deepest first, a few).
PAGE_WIDTH = """(tol) => {
  const W = window.innerWidth;
  const sw = document.documentElement.scrollWidth;
  const out = [];
  if (sw > W + tol) {
    const all = Array.from(document.body.querySelectorAll('*'));
    for (const e of all) {
      const r = e.getBoundingClientRect();
      if (r.width === 0 || r.right <= W + tol) continue;
      const st = getComputedStyle(e);
      if (st.position === 'fixed' || st.visibility === 'hidden') continue;
      let clipped = false;
      for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
        const ox = getComputedStyle(a).overflowX;
        if (ox !== 'visible' && a.getBoundingClientRect().right <= W + tol) { clipped = true; break; }
      }
      if (clipped) continue;
      // keep only the deepest: drop ancestors of this element already listed
      for (let i = out.length - 1; i >= 0; i--) if (out[i].el.contains(e)) out.splice(i, 1);
      out.push({el: e, right: Math.round(r.right)});
    }
  }
  return {scrollWidth: sw, innerWidth: W, culprits: out.slice(0, 5).map(o => {
    const e = o.el;
    const cls = (typeof e.className === 'string' && e.className) ? '.' + e.className.trim().split(/\\s+/).join('.') : '';
    return `<${e.tagName.toLowerCase()}${cls}> right edge ${o.right} px: "${(e.textContent || '').trim().slice(0, 60)}"`;
  })};
}"""

# Is the chapter list visible to a reader: a link of the primary navigation that lies inside the
# window and is the element actually hit at its centre (not covered, not off-screen).
NAV_VISIBLE = """() => {
  const links = Array.from(document.querySelectorAll('.bd-sidenav a, nav.bd-docs-nav a'));
  const W = window.innerWidth, H = window.innerHeight;
  for (const a of links) {
    const r = a.getBoundingClientRect();
    if (r.width < 2 || r.height < 2 || r.left < 0 || r.right > W || r.top < 0 || r.bottom > H) continue;
    const hit = document.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2);
    if (hit && (hit === a || a.contains(hit))) return true;
  }
  return false;
}"""


def visible_toggles(page):
    """The primary-sidebar toggles a reader can see and click."""
    return [t for t in page.locator(".primary-toggle").all() if t.is_visible()]


def check_menu(page, url: str, width: int) -> list[str]:
    """Open the chapter menu from its toggle and close it again at this window width."""
    rel = url.split("/", 3)[-1]
    page.set_viewport_size({"width": width, "height": HEIGHT})
    page.goto(url, wait_until="load")
    page.wait_for_timeout(300)
    toggles = visible_toggles(page)
    if not toggles:
        if width >= DESKTOP and page.evaluate(NAV_VISIBLE):
            return []  # no toggle shown and the sidebar is there: nothing to open
        return [f"{rel} at {width} px: no visible chapter-menu toggle"]
    shown_before = page.evaluate(NAV_VISIBLE)
    toggles[0].click()
    page.wait_for_timeout(400)
    shown_after = page.evaluate(NAV_VISIBLE)
    if shown_after == shown_before:
        state = "visible" if shown_before else "hidden"
        return [f"{rel} at {width} px: clicking the chapter-menu toggle changed nothing (menu stays {state})"]
    if not shown_after:  # desktop: the toggle hid the sidebar; it must bring it back
        toggles[0].click()
        page.wait_for_timeout(400)
        return [] if page.evaluate(NAV_VISIBLE) else [f"{rel} at {width} px: the sidebar, once hidden, does not come back"]
    failures = []
    page.keyboard.press("Escape")
    page.wait_for_timeout(400)
    if page.evaluate(NAV_VISIBLE):
        failures.append(f"{rel} at {width} px: the open chapter menu does not close on Escape")
    else:  # open again and close by clicking outside the menu
        toggles = visible_toggles(page)
        if toggles:
            toggles[0].click()
            page.wait_for_timeout(400)
            page.mouse.click(width - 5, HEIGHT // 2)
            page.wait_for_timeout(400)
            if page.evaluate(NAV_VISIBLE):
                failures.append(f"{rel} at {width} px: the open chapter menu does not close on a click outside it")
    return failures


def broken_local_links(build: Path, pages: list[str]) -> list[str]:
    """Links in the built pages to files of the book that do not exist (e.g. _static/book.pdf
    before `make pdf`). External links are not followed: the book is read offline."""
    found = []
    for rel in pages + ["index.html"]:
        html = (build / rel).read_text(encoding="utf-8")
        for target in sorted(set(re.findall(r'href="([^"#?]+)', html))):
            if re.match(r"[a-z][a-z0-9+.-]*:", target) or target.startswith("//"):
                continue
            if not ((build / rel).parent / target).exists():
                hint = " (run `make pdf` first: it puts the PDF into the HTML book)" if target.endswith(".pdf") else ""
                found.append(f"{rel}: link to a missing file {target}{hint}")
    return found


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("build", nargs="?", default=str(ROOT / "_build" / "html"))
    ap.add_argument("--wide-report", help="write the list of too-wide display equations to this file")
    args = ap.parse_args(argv)
    build = built_book(args.build)
    if build is None:
        return 2
    pages = sorted(p.relative_to(build).as_posix() for p in build.rglob("*.html")
                   if "_static" not in p.parts and "_sources" not in p.parts and p.name not in SKIP
                   and p.name != "index.html")
    chapters = [p for p in pages if re.match(r"book/\d\d_", p)]
    shots = build.parent / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    httpd, base = serve(build)
    failures: list[str] = broken_local_links(build, pages)
    wide: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        context = browser.new_context(viewport={"width": DESKTOP, "height": HEIGHT})
        page, errors = offline_page(context, base, failures)
        total_math = 0
        print(f"{'page':42s} {'math':>5s} {'JS err':>6s} {'wide eq':>7s} {'width@390':>9s}")
        for rel in pages:
            errors.clear()
            page.set_viewport_size({"width": DESKTOP, "height": HEIGHT})
            page.goto(f"{base}/{rel}", wait_until="load")
            page.evaluate(WAIT_MATH)
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
            page.evaluate(OPEN_FOLDS)
            page.wait_for_timeout(50)
            too_wide = page.evaluate(WIDE_EQUATIONS, TOLERANCE)
            for eq in too_wide:
                name = (eq["id"].removeprefix("equation-") if eq["id"].startswith("equation-")
                        else f"(unlabelled, in #{eq['id']})")
                line = (f"{rel}: equation {eq['eqno'] or ''} {name}: content {eq['content']} px "
                        f"> box {eq['box']} px at {DESKTOP} px: {eq['tex']}")
                wide.append(line)
                failures.append("display equation wider than its box: " + line)
            # the same page on a phone
            page.set_viewport_size({"width": PHONE, "height": HEIGHT})
            page.wait_for_timeout(100)
            pw_ = page.evaluate(PAGE_WIDTH, TOLERANCE)
            if pw_["scrollWidth"] > pw_["innerWidth"] + TOLERANCE:
                failures.append(f"{rel}: page {pw_['scrollWidth']} px wide in a {PHONE} px window; sticking out: "
                                + "; ".join(pw_["culprits"]))
            print(f"{rel:42s} {status['count']:5d} {len(errors):6d} {len(too_wide):7d} {pw_['scrollWidth']:9d}")
        # the chapter menu
        menu_pages = ["book/intro.html"] + chapters[:1]
        for rel in menu_pages:
            for width in (PHONE, TABLET, DESKTOP):
                found = check_menu(page, f"{base}/{rel}", width)
                failures.extend(found)
                print(f"menu {rel} at {width} px: {'FAILED' if found else 'opens and closes'}")
        # search
        page.set_viewport_size({"width": DESKTOP, "height": HEIGHT})
        page.goto(f"{base}/search.html?q=softmax", wait_until="load")
        try:
            page.wait_for_selector("#search-results li", timeout=20000)
            hits = page.locator("#search-results li").count()
            print(f"search for 'softmax': {hits} results")
        except Exception:  # noqa: BLE001 - playwright's TimeoutError
            failures.append("search.html?q=softmax returned no results")
        # screenshots: the introduction and two chapters at 1280 px; one chapter at 390 px with the menu open
        for rel in ["book/intro.html"] + chapters[:1] + chapters[-1:]:
            page.goto(f"{base}/{rel}", wait_until="load")
            page.evaluate(WAIT_MATH)
            out = shots / (Path(rel).stem + ".png")
            page.screenshot(path=str(out), full_page=False)
            print(f"screenshot {out}")
        if chapters:
            for width in (PHONE, DESKTOP):
                page.set_viewport_size({"width": width, "height": HEIGHT})
                page.goto(f"{base}/{chapters[0]}", wait_until="load")
                page.evaluate(WAIT_MATH)
                out = shots / f"{Path(chapters[0]).stem}-{width}.png"
                page.screenshot(path=str(out), full_page=False)
                toggles = visible_toggles(page)
                if toggles and width < 992:
                    toggles[0].click()
                    page.wait_for_timeout(400)
                    out = shots / f"{Path(chapters[0]).stem}-{width}-menu.png"
                    page.screenshot(path=str(out), full_page=False)
                print(f"screenshot {out}")
        browser.close()
    httpd.shutdown()
    if args.wide_report:
        Path(args.wide_report).write_text(
            f"Display equations wider than their box at {DESKTOP} px (tools/check_html.py): {len(wide)}\n"
            + "".join(w + "\n" for w in wide))
        print(f"wrote {len(wide)} too-wide equation(s) to {args.wide_report}")
    for f in failures:
        print("FAIL", f)
    print(f"check_html: {len(pages)} pages, {total_math} math elements, {len(wide)} too-wide equation(s), "
          f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
