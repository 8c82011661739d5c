"""What the browser checks share: Debian's Chromium, a quiet local server for the built book,
and pages on which every request that would leave the machine is blocked and counted.

Used by tools/check_html.py and tools/check_figures.py.
"""
from __future__ import annotations

import functools
import http.server
import socketserver
import sys
import threading
from pathlib import Path
from urllib.parse import urlparse

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-default-apps", "--disable-extensions", "--metrics-recording-only"]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the output readable
        pass


class QuietServer(socketserver.ThreadingTCPServer):
    def handle_error(self, request, client_address):  # the browser dropped a request on navigating away
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


def built_book(path: str) -> Path | None:
    """The built HTML book at ``path`` (resolved), or None after saying how to build it."""
    build = Path(path).resolve()
    if not (build / "index.html").exists():
        print(f"no built book at {build}: run `make book` first", file=sys.stderr)
        return None
    return build


def serve(directory: Path):
    """Serve ``directory`` on 127.0.0.1 (a free port) in a daemon thread: (server, base URL)."""
    handler = functools.partial(QuietHandler, directory=str(directory))
    httpd = QuietServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


def offline_page(context, base: str, failures: list[str]):
    """A new page of ``context`` on which any request not to ``base`` (or data:, blob:, file:) is
    aborted and appended to ``failures``; returns (page, errors), errors collecting the console
    errors and uncaught exceptions of the page."""
    local = urlparse(base).netloc

    def guard(route):
        url = urlparse(route.request.url)
        if url.scheme in ("data", "blob", "file") or url.netloc == local:
            route.continue_()
        else:
            failures.append(f"request that leaves the machine blocked: {route.request.url}")
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return page, errors
