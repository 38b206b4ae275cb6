"""Live alerts in the browser: an alert stored by a watch process appears on the open Alerts
page and is counted on the Alerts link of any other page, without a reload, under the CSP."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.conftest import LiveServer, chromium_path, screenshot
from tests.browser.helpers import assert_clean, open_page


@pytest.fixture
def alerts_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LiveServer]:
    if chromium_path() is None:
        pytest.skip("no system Chromium")
    from sitroom.store import Store
    from sitroom.watch.alerts import Alert, record
    from sitroom.web import alerts as web_alerts

    monkeypatch.setattr(web_alerts, "POLL_SECONDS", 0.2)
    db = str(tmp_path / "alerts.db")
    store = Store.open(db)
    record(store, Alert(key="old", rule="mention", title="Hezbollah mentioned: an older report", link="/docs"))
    store.close()
    server = LiveServer(db).start()
    yield server
    server.stop()


def _raise(db: str, key: str, title: str) -> None:
    from sitroom.store import Store
    from sitroom.watch.alerts import Alert, record

    store = Store.open(db)
    record(store, Alert(key=key, rule="fatalities", title=title, detail="<img src=x onerror=alert(1)>",
                        link="/docs"))
    store.close()


def test_new_alerts_appear_live(alerts_server: LiveServer, page_factory) -> None:  # type: ignore[no-untyped-def]
    page, problems = page_factory(width=1366)
    open_page(page, alerts_server.url + "/alerts")
    items = page.locator("#alerts-list li")
    assert items.count() == 1
    _raise(alerts_server.db, "new-1", "<b>14 killed</b> in Aleppo (ASSAULT)")
    page.wait_for_function("() => document.querySelectorAll('#alerts-list li').length === 2")
    assert items.first.locator("bdi").text_content() == "<b>14 killed</b> in Aleppo (ASSAULT)"  # text, not markup
    assert items.first.locator("a").get_attribute("href") == "/docs"
    screenshot(page, "alerts-1366")
    assert_clean(page, problems)

    other, other_problems = page_factory()
    open_page(other, alerts_server.url + "/docs")
    _raise(alerts_server.db, "new-2", "Iran mentioned: talks in Geneva")
    other.wait_for_function("() => /1 new/.test(document.getElementById('nav-alerts').textContent)")
    assert_clean(other, other_problems)


def test_alerts_page_fits_a_phone(alerts_server: LiveServer, page_factory) -> None:  # type: ignore[no-untyped-def]
    _raise(alerts_server.db, "long", "A very long alert title " * 12)
    page, problems = page_factory(width=390, height=844)
    open_page(page, alerts_server.url + "/alerts")
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "alerts-390")
    assert_clean(page, problems)
