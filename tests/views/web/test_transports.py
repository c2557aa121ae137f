"""Both pages connect by websocket from the start (one TCP connection to one process,
docs/deployment.md), and fall back to HTTP long-polling only where no websocket can be made."""

from __future__ import annotations

import pytest

from tests.views.web.test_phone_page import PHONE, join
from tests.views.web.test_screen_page import WAIT_MS, Watched

pytestmark = pytest.mark.browser

expect = pytest.importorskip("playwright.sync_api").expect

# A venue's proxy that refuses websockets, as a browser meets one: the socket errs and
# closes without opening.
REFUSED_WEBSOCKETS = """
window.WebSocket = class RefusedWebSocket extends EventTarget {
  constructor(url) {
    super();
    this.url = url;
    this.readyState = 0;
    setTimeout(() => {
      this.readyState = 3;
      if (this.onerror) this.onerror(new Event("error"));
      if (this.onclose) this.onclose({ code: 1006, reason: "", wasClean: false });
    }, 0);
  }
  send() { throw new Error("not open"); }
  close() {}
};
"""


def engine_io(urls: list[str]) -> tuple[list[str], list[str]]:
    """The Engine.IO requests among ``urls``: (websockets, long-polling requests)."""
    sockets = [u for u in urls if "/socket.io/" in u and "transport=websocket" in u]
    polling = [u for u in urls if "/socket.io/" in u and "transport=polling" in u]
    return sockets, polling


def test_the_phone_and_the_projector_connect_by_websocket_from_the_start(room, browser):
    screen = Watched(browser, room.base_url, 1280, 720)
    context = browser.new_context(**PHONE)
    phone_urls: list[str] = []
    try:
        phone = context.new_page()
        phone.on("request", lambda request: phone_urls.append(request.url))
        phone.on("websocket", lambda ws: phone_urls.append(ws.url))
        join(phone, room.join_url, "Inwoner")
        expect(screen.page.locator('[data-perspective="inwoner"]')).to_have_text(
            "1", timeout=WAIT_MS)
        for urls in (phone_urls, screen.requests):
            sockets, polling = engine_io(urls)
            assert len(sockets) == 1 and polling == [], urls  # no polling first, no upgrade
        screen.check_clean()
    finally:
        context.close()
        screen.close()


def test_a_phone_behind_a_proxy_without_websockets_falls_back_to_long_polling(room, browser):
    context = browser.new_context(**PHONE)
    context.add_init_script(REFUSED_WEBSOCKETS)
    urls: list[str] = []
    try:
        phone = context.new_page()
        phone.on("request", lambda request: urls.append(request.url))
        join(phone, room.join_url, "Inwoner")  # joining needs the connection
        assert room.service.snapshot().participants["inwoner"] == 1
        assert engine_io(urls)[1], urls  # it came over long-polling
    finally:
        context.close()
