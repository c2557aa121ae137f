"""HTTP pages: the join form, the phone page, the projector page and local assets."""

from __future__ import annotations

import hmac
import io

import qrcode
import qrcode.image.svg
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)

from exports.register_rows import place_label, register_row
from session.action_register import gather
from session.palette import palette
from views.web.assets import CACHE_FOR_GOOD, accepts_gzip, gzipped, served_assets
from views.web.texts import all_page_texts, page_texts, plural

pages = Blueprint("pages", __name__, template_folder="templates")


def _room():
    return current_app.extensions["duiding"]


@pages.after_app_request
def security_headers(response: Response) -> Response:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    # The join token is in the phone page's URL: never hand it on to another site.
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "connect-src 'self' ws: wss:; frame-ancestors 'none'",
    )
    return response


@pages.after_app_request
def compress_pages(response: Response) -> Response:
    """Pages go out gzipped to browsers that take it (a phone page's texts compress well)."""
    if (response.mimetype in ("text/html", "image/svg+xml") and response.is_sequence
            and not response.content_encoding and accepts_gzip(request.accept_encodings)):
        packed = gzipped(response.get_data())
        if packed is not None:
            response.set_data(packed)
            response.content_encoding = "gzip"
        response.vary.add("Accept-Encoding")
    return response


def asset_url(name: str) -> str:
    """The versioned URL of a static file (``phone/main.js``, ``vendor/plotly.min.js``)."""
    return url_for("pages.asset", version=served_assets().version, name=name)


def module_preloads(entry: str) -> list[str]:
    """The URLs of every module ``entry`` imports, for ``<link rel="modulepreload">``."""
    return [asset_url(name) for name in served_assets().preloads(entry)]


@pages.app_context_processor
def page_context() -> dict:
    return {"asset_url": asset_url, "module_preloads": module_preloads, "plural": plural}


def _language() -> str:
    room = _room()
    wanted = request.args.get("lang")
    return wanted if wanted in ("nl", "en") else room.service.pack.language


def _code_matches(code: str) -> bool | None:
    """Whether ``code`` is this session's; None while this source guessed too often."""
    room = _room()
    verdict = room.guard.check_code(room.code, code, room.guard.source(request.remote_addr))
    return None if verdict.wait else verdict.ok


@pages.get("/")
def enter_code():
    """Where a phone lands without the QR code: type the short code from the projector."""
    language = _language()
    typed = request.args.get("code", "")
    error = None
    if typed:
        matches = _code_matches(typed)
        if matches:
            return redirect(url_for("pages.phone", code=_room().code.token, lang=language))
        error = page_texts(language)["code_wait" if matches is None else "code_wrong"]
    status = 404 if error else 200
    return render_template("enter_code.html", texts=page_texts(language), language=language,
                           error=error, typed=typed[:20]), status


@pages.get("/j/<code>")
def phone(code: str):
    room = _room()
    language = _language()
    matches = _code_matches(code)
    if not matches:
        error = page_texts(language)["code_wait" if matches is None else "code_wrong"]
        return render_template("enter_code.html", texts=page_texts(language),
                               language=language, error=error, typed=""), 404
    boot = {"code": room.code.token, "language": language, "texts": all_page_texts(),
            "pack_language": room.service.pack.language, "palette": palette().for_phones()}
    return render_template("phone.html", texts=page_texts(language), language=language,
                           boot=boot, title=room.service.pack.title)


@pages.get("/screen")
def screen():
    room = _room()
    language = _language()
    boot = {"language": language, "texts": page_texts(language),
            "palette": palette().for_pages()}
    return render_template("screen.html", texts=page_texts(language), language=language,
                           boot=boot, title=room.service.pack.title,
                           join_url=room.join_url, short=room.code.short_display)


@pages.get("/actions/<token>")
def actions(token: str):
    """The coordinator's action list, read only: every stored session and this one.

    The same register as ``duiding actions``, for a coordinator without a terminal; it
    needs the facilitator's link (a token of its own), which participants never see.
    """
    room = _room()
    language = _language()
    # The right link always works; wrong ones count against their source only.
    if not hmac.compare_digest(token.encode(), room.service.actions_token.encode()):
        room.guard.wrong_token(room.guard.source(request.remote_addr))
        abort(404)
    data_dir = room.service.store.path.parent.parent  # <data dir>/sessions/<id>.duiding
    register = gather(data_dir)
    rows = [(register_row(entry, language), entry.overdue, place_label(language, entry.place))
            for entry in register.entries]
    return render_template("actions.html", texts=page_texts(language), language=language,
                           title=room.service.pack.title, rows=rows,
                           problems=len(register.problems))


@pages.get("/qr.svg")
def qr_svg():
    """The join link as a QR code (SVG scales crisply to any projector)."""
    image = qrcode.make(_room().join_url, image_factory=qrcode.image.svg.SvgPathImage,
                        border=2)
    out = io.BytesIO()
    image.save(out)
    return Response(out.getvalue(), mimetype="image/svg+xml",
                    headers={"Cache-Control": "no-store"})


@pages.get("/favicon.ico")
def favicon():
    # No icon; but no 404 in every phone's console either, and no asking again on a reload.
    return Response(status=204, headers={"Cache-Control": "public, max-age=86400"})


@pages.get("/static/<version>/<path:name>")
def asset(version: str, name: str):
    """A static file or browser library of this version: cached for good, gzipped if taken.

    Another version's URL gets a 404, not this version's file: a browser would keep that
    under the old URL for good, and an open page of the old release would mix the two.
    """
    assets = served_assets()
    if version != assets.version or name not in assets:
        abort(404)
    body = assets.body(name)
    packed = body.packed if accepts_gzip(request.accept_encodings) else None
    response = Response(packed or body.data, content_type=body.media_type)
    response.headers["Cache-Control"] = CACHE_FOR_GOOD
    response.vary.add("Accept-Encoding")
    if packed:
        response.content_encoding = "gzip"
    response.set_etag(f"{version}-{'gzip' if packed else 'identity'}")
    return response.make_conditional(request)
