"""Fixtures for the browser tests: Debian's Chromium driven by Playwright, and live servers.

Chromium is never downloaded (`playwright install` needs the network): the tests use the
system browser (`chromium` on PATH, or $SITROOM_CHROMIUM) and skip cleanly without it.
Servers run uvicorn in a thread of the test process on a free port, over stores built
once per session with the real pipeline.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.browser import hostile
from tests.conftest import REPO, SHARED

TOKEN = "browser-test-token"
SEED = SHARED / "seed" / "inside-irans-secret-war-in-syria.txt"
SCREENSHOTS = REPO / "docs" / "screenshots"


def chromium_path() -> str | None:
    for candidate in (os.environ.get("SITROOM_CHROMIUM"), shutil.which("chromium"),
                      shutil.which("chromium-browser"), "/usr/bin/chromium"):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed")
    path = chromium_path()
    if path is None:
        pytest.skip("no system Chromium (make system-deps installs Debian's chromium)")
    # Root cannot use Chromium's sandbox (no user namespaces in most containers).
    args = ["--no-sandbox"] if os.geteuid() == 0 else []
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=path, headless=True, args=args)
        yield b
        b.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LiveServer:
    db: str
    url: str = ""
    _server: object = None
    _thread: threading.Thread | None = None
    extra: dict = field(default_factory=dict)

    def start(self) -> LiveServer:
        import uvicorn

        from sitroom.web.app import create_app

        port = _free_port()
        config = uvicorn.Config(create_app(self.db, token=TOKEN), host="127.0.0.1", port=port,
                                log_level="warning", lifespan="off")
        server = uvicorn.Server(config)
        self._server = server
        self._thread = threading.Thread(target=server.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 20
        while not server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        self.url = f"http://127.0.0.1:{port}"
        return self

    def stop(self) -> None:
        self._server.should_exit = True  # type: ignore[attr-defined]
        if self._thread is not None:
            self._thread.join(timeout=10)


def _ingest(db: str, sources: list[str], **mapping: str) -> None:
    from sitroom.ingest import SourceOptions
    from sitroom.pipeline import run_ingest
    from sitroom.store import Store

    store = Store.open(db)
    try:
        summary = run_ingest(store, sources, SourceOptions(fetch_links=False, **mapping), workers=1)
        assert summary.stored, f"nothing stored from {sources}: {summary.skipped}"
    finally:
        store.close()


@pytest.fixture(scope="session")
def sample_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The sample corpus (as `sitroom demo` ingests it) plus the seed article when present."""
    pytest.importorskip("sitroom.web.app", reason="web app not built")
    if chromium_path() is None:
        pytest.skip("no system Chromium")
    from typer.testing import CliRunner

    from sitroom.cli.main import app

    db = str(tmp_path_factory.mktemp("browser-sample") / "sample.db")
    result = CliRunner().invoke(app, ["demo", "--db", db, "--no-serve"])
    assert result.exit_code == 0, result.output
    if SEED.exists():  # read at test time only; never copied into the repository
        _ingest(db, [str(SEED)])
    server = LiveServer(db).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A store holding only pages crafted to inject script (see hostile.py)."""
    pytest.importorskip("sitroom.web.app", reason="web app not built")
    if chromium_path() is None:
        pytest.skip("no system Chromium")
    folder = tmp_path_factory.mktemp("hostile")
    pages = hostile.write_pages(folder / "pages")
    db = str(folder / "hostile.db")
    _ingest(db, [str(p) for p in pages])
    _ingest(db, [str(hostile.write_jsonl(folder / "feed.jsonl"))], **hostile.JSONL_MAPPING)
    server = LiveServer(db).start()
    yield server
    server.stop()


class PageProblems:
    """Console errors, uncaught exceptions, CSP violations and dialogs seen by a page."""

    def __init__(self, page) -> None:  # type: ignore[no-untyped-def]
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        page.on("console", lambda m: self.errors.append(f"console: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.failed: list[str] = []  # responses >= 400, to name what a "Failed to load" error was
        page.on("response", lambda r: self.failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)

        def on_dialog(d) -> None:  # type: ignore[no-untyped-def]
            self.dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", on_dialog)


# Runs before any page script, outside the page's CSP: records violations and gives
# payloads a flag to set, so a test can tell "blocked by CSP" from "never injected".
INIT_SCRIPT = """
window.__xss = 0;
window.__csp = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || ''));
});
"""


@pytest.fixture
def page_factory(browser) -> Iterator:  # type: ignore[no-untyped-def]
    """new(bypass_csp=False) -> (page, problems); contexts are closed after the test."""
    contexts = []

    def new(bypass_csp: bool = False, width: int = 1280, height: int = 860):  # type: ignore[no-untyped-def]
        ctx = browser.new_context(bypass_csp=bypass_csp, viewport={"width": width, "height": height})
        ctx.set_default_timeout(15_000)
        ctx.add_init_script(INIT_SCRIPT)
        contexts.append(ctx)
        page = ctx.new_page()
        return page, PageProblems(page)

    yield new
    for ctx in contexts:
        ctx.close()


def screenshot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """Save docs/screenshots/<name>.png, only when SITROOM_SCREENSHOTS=1 (keeps the tree clean)."""
    if os.environ.get("SITROOM_SCREENSHOTS") != "1":
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)
