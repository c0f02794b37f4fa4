"""Browser fixtures: the real app served by uvicorn in a thread, and Debian's Chromium driven by Playwright.

The browser is the system one (`/usr/bin/chromium`, installed by `make test`); nothing is downloaded
at run time. A missing browser fails the tests with the command to fix it rather than skipping them.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, sync_playwright

from service.__main__ import server_options
from service.app import create_app
from service.pipeline.chain import Pipeline
from service.settings import Settings
from tests.support import free_port

pytestmark = [pytest.mark.integration, pytest.mark.browser]

_START_TIMEOUT_SECONDS = 30.0


def chromium_path() -> str:
    """The system Chromium: CHROMIUM_PATH, else `chromium` on PATH; fails loudly when absent."""
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.fail(
            "the playground browser tests need Debian's Chromium: run `make test` (it installs it) "
            "or `apt-get install -y chromium`, or set CHROMIUM_PATH",
            pytrace=False,
        )
    return path


@pytest.fixture(scope="module")
def server_url(pipeline: Pipeline, redis_url: str) -> Iterator[str]:
    """The real app (default settings on the session Redis) served by uvicorn on a free port.

    A thread with its own event loop: Playwright's sync API must not run inside a running loop.
    """
    settings = Settings.from_env({"REDIS_URL": redis_url, "LOG_LEVEL": "WARNING", "LOG_JSON": "1"})
    port = free_port()
    config = uvicorn.Config(
        create_app(settings, pipeline=pipeline), host="127.0.0.1", port=port, **server_options(settings)
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="playground-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + _START_TIMEOUT_SECONDS
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the test server did not start", pytrace=False)
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=_START_TIMEOUT_SECONDS)


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    """The Playwright driver, for one module only.

    While it lives its event loop owns the main thread, and the anyio tests that follow could not
    run theirs.
    """
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Headless system Chromium (no sandbox: CI runs as root, where Chromium refuses its sandbox)."""
    browser = playwright.chromium.launch(
        executable_path=chromium_path(), headless=True, args=["--no-sandbox", "--disable-gpu"]
    )
    try:
        yield browser
    finally:
        browser.close()


@pytest.fixture
def console_errors() -> list[str]:
    """Console errors of the page (a CSP violation or a script error shows up here)."""
    return []


@pytest.fixture
def page(browser: Browser, server_url: str, console_errors: list[str]) -> Iterator[Page]:
    """A fresh browser context on the playground, once its options and examples are built."""
    context = browser.new_context(
        base_url=server_url, viewport={"width": 1400, "height": 1000}, locale="fr-FR"
    )
    page = context.new_page()

    def record(message: ConsoleMessage) -> None:
        if message.type == "error":
            console_errors.append(message.text)

    page.on("console", record)
    page.on("pageerror", lambda error: console_errors.append(str(error)))
    page.goto("/playground")
    page.wait_for_selector("body[data-ready=true]")
    try:
        yield page
    finally:
        context.close()
