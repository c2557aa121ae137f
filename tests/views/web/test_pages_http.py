"""The HTTP side of the live room: join links, codes, local assets, headers, the QR code."""

from __future__ import annotations

import gzip
import re
import urllib.error
import urllib.request

import pytest

from views.web.assets import served_assets
from views.web.runtime import ASYNC_MODES


def get(url: str, headers: dict | None = None) -> tuple[int, dict, str]:
    status, headers, body = get_bytes(url, headers)
    return status, headers, body.decode("utf-8")


def get_bytes(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


ASSET = re.compile(r'(?:src|href)="(/static/[^"]+)"')
GZIP = {"Accept-Encoding": "gzip, deflate"}


def test_the_join_link_opens_the_phone_page_with_local_assets_only(room):
    status, headers, html = get(room.join_url)
    assert status == 200
    assert "Content-Security-Policy" in headers and headers["Referrer-Policy"] == "no-referrer"
    assert "http" not in html.split("<body>")[1].replace(room.base_url, "")
    assets = ASSET.findall(html)
    version = served_assets().version
    assert f"/static/{version}/vendor/socket.io.min.js" in assets
    assert f"/static/{version}/phone/main.js" in assets
    for asset in assets:
        status, headers, body = get(room.base_url + asset)
        assert status == 200 and len(body) > 100, asset
        assert headers["Content-Type"].startswith(("text/javascript", "text/css")), asset


def test_the_pages_load_their_modules_up_front_but_the_chart_only_when_shown(room):
    version = served_assets().version
    _, _, phone = get(room.join_url)
    preloaded = re.findall(r'rel="modulepreload" href="/static/[^/]+/([^"]+)"', phone)
    assert {"dom.js", "phone/outbox.js", "phone/page.js", "phone/item.js"} <= set(preloaded)
    assert "phone/chart.js" not in preloaded  # imported by item.js when an indicator shows
    assert "vendor/plotly.min.js" not in phone  # that is for the projector only
    _, _, screen = get(room.screen_url)
    assert f"/static/{version}/vendor/plotly.min.js" in screen
    assert {"dom.js", "screen/page.js", "screen/plan.js", "screen/chart.js"} <= set(
        re.findall(r'rel="modulepreload" href="/static/[^/]+/([^"]+)"', screen))


@pytest.mark.parametrize("async_mode", ASYNC_MODES)  # two different WSGI servers
def test_versioned_assets_are_gzipped_once_and_cached_for_good(room):
    version = served_assets().version
    url = f"{room.base_url}/static/{version}/vendor/socket.io.min.js"
    status, plain_headers, plain = get_bytes(url)
    assert status == 200 and "Content-Encoding" not in plain_headers
    status, headers, packed = get_bytes(url, GZIP)
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed) == plain and len(packed) < len(plain) / 2
    for sent in (headers, plain_headers):
        assert sent["Cache-Control"] == "public, max-age=31536000, immutable"
        assert sent["Vary"] == "Accept-Encoding"
    assert plain_headers["ETag"] != headers["ETag"]  # two representations, two tags
    # A browser that asks anyway (a hard reload in some) gets "not modified".
    status, _, body = get_bytes(url, {**GZIP, "If-None-Match": headers["ETag"]})
    assert status == 304 and body == b""
    # No Accept-Encoding gzip (or q=0): the file as it is.
    status, headers, body = get_bytes(url, {"Accept-Encoding": "gzip;q=0, identity"})
    assert "Content-Encoding" not in headers and body == plain


def test_an_asset_of_another_version_is_not_served(room):
    version = served_assets().version
    assert get_bytes(f"{room.base_url}/static/{version}/phone/main.js")[0] == 200
    # An old page must not get this release's file under its own URL (and keep it for good).
    assert get_bytes(f"{room.base_url}/static/0123456789ab/phone/main.js")[0] == 404
    assert get_bytes(f"{room.base_url}/static/phone.css")[0] == 404
    assert get_bytes(f"{room.base_url}/static/{version}/../routes.py")[0] == 404
    assert get_bytes(f"{room.base_url}/static/{version}/nothing.js")[0] == 404


@pytest.mark.parametrize("async_mode", ASYNC_MODES)
def test_pages_are_gzipped_for_browsers_that_take_it(room):
    status, plain_headers, plain = get_bytes(room.join_url)
    assert status == 200 and "Content-Encoding" not in plain_headers
    status, headers, packed = get_bytes(room.join_url, GZIP)
    assert headers["Content-Encoding"] == "gzip" and headers["Vary"] == "Accept-Encoding"
    # The same page, a third of the bytes (only the join code's reply may differ: none here).
    assert gzip.decompress(packed) == plain and len(packed) < len(plain) / 2


def test_a_wrong_code_gets_a_clear_page_not_the_session(room):
    status, _, html = get(room.base_url + "/j/wrong-code")
    assert status == 404 and "Deze code kennen we niet" in html
    assert room.code.token not in html


def test_the_short_code_typed_by_hand_leads_to_the_join_link(room):
    typed = room.code.short_display.lower()
    status, headers, _ = get(f"{room.base_url}/?code={typed}")
    assert status == 302 and headers["Location"].endswith(f"/j/{room.code.token}?lang=nl")
    status, _, html = get(room.base_url + "/?code=AAA-AAA&lang=en")
    assert status == 404 and "We do not know this code" in html


def test_the_pack_title_is_escaped_in_pages(room_factory, tmp_path):
    room = room_factory()
    room.service.pack = _with_title(room.service.pack, "<script>alert(1)</script>")
    _, _, html = get(room.join_url)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def _with_title(pack, title):
    import dataclasses

    return dataclasses.replace(pack, title=title)


def test_the_qr_code_is_an_svg_of_the_join_link(room):
    status, headers, svg = get(room.base_url + "/qr.svg")
    assert status == 200 and headers["Content-Type"].startswith("image/svg+xml")
    assert svg.lstrip().startswith("<?xml") or "<svg" in svg[:200]


def test_guessing_the_short_code_is_slowed_down(room):
    for n in range(30):
        assert get(f"{room.base_url}/?code=AAA-{n:03d}")[0] == 404
    status, _, html = get(f"{room.base_url}/?code={room.code.short}")
    assert status == 404 and "Te veel onjuiste codes" in html  # even the right one, for now
    # ... from this address only; the QR link and the facilitator's link always work.
    assert get(f"{room.base_url}/j/{room.code.token}")[0] == 200
    assert get(room.actions_url)[0] == 200


def test_the_action_list_needs_the_facilitators_link(room):
    service = room.service
    service.agree_action(theme="langer-thuis", what="<b>Vaste</b> huisbezoekdag",
                         lever="activities", direction="more", owner="Wijkteam Oost",
                         due="2020-01-01", success_signal="Minder spoedaanvragen")
    assert get(f"{room.base_url}/actions/{room.code.token}")[0] == 404  # the join code: no
    assert get(f"{room.base_url}/actions/guess")[0] == 404
    status, headers, html = get(room.actions_url)
    assert status == 200 and headers["Referrer-Policy"] == "no-referrer"
    assert "&lt;b&gt;Vaste&lt;/b&gt; huisbezoekdag" in html and "<b>Vaste" not in html
    assert "Wijkteam Oost" in html and "te laat" in html  # due in the past, not done
