"""The HTTP side of the live room: join links, codes, local assets, headers, the QR code."""

from __future__ import annotations

import urllib.error
import urllib.request


def get(url: str) -> tuple[int, dict, str]:
    request = urllib.request.Request(url)
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode("utf-8")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_the_join_link_opens_the_phone_page_with_local_assets_only(room):
    status, headers, html = get(room.join_url)
    assert status == 200
    assert "Content-Security-Policy" in headers and headers["Referrer-Policy"] == "no-referrer"
    assert "/vendor/socket.io.min.js" in html and "http" not in html.split("<body>")[1].replace(
        room.base_url, "")
    for asset in ("/vendor/socket.io.min.js", "/vendor/plotly.min.js", "/static/phone.js"):
        status, headers, body = get(room.base_url + asset)
        assert status == 200 and len(body) > 1000, asset


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
