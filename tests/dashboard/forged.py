"""A forged recording: a full snapshot and mutations that name, in every way rrweb can rebuild,
URLs of an "outside" server and of the dashboard itself, beside legitimate inlined content
(rrweb's ``_cssText`` stylesheets, ``<style>`` text, data: images, a same-origin iframe's
document) that must still render. Every forged URL carries ``FORGED`` so any request for one
is recognisable, wherever it goes."""

import base64
import http.server
import threading
import time

FORGED = "forged-by-recording"
# A 2×2 red PNG, inlined as rrweb does with inlineImages.
RED_PNG = "data:image/png;base64," + base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000002000000020802000000fdd49a73"
        "0000001649444154789c63f8cfc0f09f8181e13f03c3ff0c0c0c00002bfa05fb2d"
        "a8e0f50000000049454e44ae426082"
    )
).decode("ascii")
LEGIT_CSS_COLOR = "rgb(1, 2, 3)"  # from the inlined <link> (_cssText)
LEGIT_STYLE_PADDING = "17px"  # from the <style> element's text
LEGIT_ATTRIBUTE_COLOR = "rgb(4, 5, 6)"  # from a style attribute
INNER_FRAME_TEXT = "Inner frame text"
IFRAME_ID = 10_000  # far above the ids the counter hands out
NAMES = {"class_": "class", "http_equiv": "http-equiv", "xlink__href": "xlink:href"}


class OutsideServer:
    """A second local HTTP server standing in for the rest of the internet: it answers
    everything (an image, a stylesheet, a page) and counts what it was asked for."""

    def __init__(self):
        hits = self.hits = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                hits.append(self.path)
                body = b"body { background: red }"
                self.send_response(200)
                self.send_header("Content-Type", "text/css")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Access-Control-Allow-Origin", "*")
                self.end_headers()
                self.wfile.write(body)

            do_POST = do_GET  # noqa: N815

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class _Ids:
    def __init__(self):
        self.next = 1

    def __call__(self):
        self.next += 1
        return self.next - 1


def forged_events(*, outside: str, dashboard: str, org_slug: str, start_ms: int) -> list[dict]:
    ids = _Ids()

    def out(name):
        return f"{outside}/{FORGED}/{name}"

    def dash(name):
        return f"{dashboard}/o/{org_slug}/settings/?{FORGED}={name}"

    def static(name):
        return f"{dashboard}/static/{FORGED}-{name}.css"

    def el(tag, children=(), node_id=None, **attributes):
        attrs = {NAMES.get(k, k): v for k, v in attributes.items()}
        return {
            "type": 2,
            "tagName": tag,
            "attributes": attrs,
            "childNodes": list(children),
            "id": node_id or ids(),
        }

    def text(value, **extra):
        return {"type": 3, "textContent": value, "id": ids(), **extra}

    style_text = (
        f'@import url("{out("import.css")}"); @import "{dash("import-string")}";'
        f" .legit2 {{ padding: {LEGIT_STYLE_PADDING}; }}"
        f" .bg {{ background: url({out('style-bg.png')}) no-repeat; }}"
        f" .set {{ background-image: image-set('{out('image-set.png')}' 1x); }}"
        f" @font-face {{ font-family: Forged; src: url('{dash('font')}') format('woff2'); }}"
        f" .cursor {{ cursor: url({out('cursor.png')}), auto; }}"
    )
    head = el(
        "head",
        [
            el("meta", http_equiv="refresh", content=f"0; url={out('meta-refresh')}"),
            el("base", href=f"{outside}/{FORGED}/base/"),
            el("link", rel="stylesheet", href=out("external.css")),
            el("link", rel="stylesheet", href=static("static")),
            el(
                "link",
                rel="stylesheet",
                href=f"{dashboard}/static/css/app.css",
                _cssText=f".legit {{ color: {LEGIT_CSS_COLOR}; }}",
            ),
            el("link", rel="prefetch", href=dash("prefetch")),
            el("link", rel="preload", href=out("preload.png"), **{"as": "image"}),
            el("link", rel="icon", href=out("icon.png")),
            el("style", [text(style_text, isStyle=True)]),
            el("script", src=out("script.js")),
        ],
    )
    svg = el(
        "svg",
        [
            el("image", href=out("svg-image.png"), width="10", height="10"),
            el("image", xlink__href=dash("svg-xlink")),
            el("use", href=f"{outside}/{FORGED}/use.svg#shape"),
            el("rect", width="10", height="10", fill=f"url({out('fill.svg')}#paint)"),
        ],
        width="20",
        height="20",
    )
    for node in svg["childNodes"]:
        node["isSVG"] = True
    svg["isSVG"] = True
    body = el(
        "body",
        [
            el("h1", [text("A forged page")], class_="legit legit2"),
            el(
                "p",
                [text("Styled by an attribute")],
                id="attr",
                style=f"color: {LEGIT_ATTRIBUTE_COLOR}",
            ),
            el("img", id="inline-image", src=RED_PNG, width="20", height="20"),
            el("img", src=out("img.png"), width="20", height="20"),
            el("img", src=dash("img"), srcset=f"{out('srcset-1x.png')} 1x, {dash('srcset')} 2x"),
            el("picture", [el("source", srcset=out("picture.png")), el("img", src=out("pic.png"))]),
            el(
                "video",
                [el("source", src=out("video.mp4")), el("track", src=out("t.vtt"))],
                poster=out("poster.png"),
                src=out("v.mp4"),
            ),
            el("audio", src=out("audio.mp3")),
            el("input", type="image", src=out("input-image.png")),
            el("iframe", src=dash("iframe")),
            el("iframe", srcdoc=f'<img src="{out("srcdoc-img.png")}">'),
            el("iframe", rr_src=out("rr-src")),
            el("object", data=dash("object")),
            el("embed", src=out("embed")),
            svg,
            el(
                "div",
                [text("bg")],
                class_="bg",
                style=f"background-image: url('{out('attr-bg.png')}')",
            ),
            el("div", [text("set")], class_="set"),
            el("table", [], background=out("table-bg.png")),
            el("a", [text("a link")], href=out("a-href"), ping=out("ping")),
            el("img", src="x", onerror=f"fetch('{out('onerror')}')"),
            el("iframe", node_id=IFRAME_ID, id="legit-frame"),
        ],
        background=out("body-bg.png"),
    )
    html = el("html", [head, body])
    document = {"type": 0, "childNodes": [html], "id": ids()}
    body_id = body["id"]

    # The same-origin iframe's document, attached as rrweb's recorder does once it has loaded.
    frame_doc_id = ids()
    frame_text = text(INNER_FRAME_TEXT)
    frame_html = el(
        "html",
        [
            el("head", [el("style", [text(".inner { color: rgb(7, 8, 9) }", isStyle=True)])]),
            el(
                "body", [el("p", [frame_text], class_="inner"), el("img", src=out("frame-img.png"))]
            ),
        ],
    )
    for node in _walk(frame_html):
        node["rootId"] = frame_doc_id
    frame_document = {"type": 0, "childNodes": [frame_html], "id": frame_doc_id}

    added_image = el("img", src=out("mutation-add.png"))
    late_style = el(
        "style",
        [text(f"/* late */ .late {{ background: url({out('late-style.png')}) }}", isStyle=True)],
    )
    t = start_ms
    return [
        {
            "type": 4,
            "data": {"href": "https://shop.test/forged", "width": 1024, "height": 640},
            "timestamp": t,
        },
        {
            "type": 2,
            "data": {"node": document, "initialOffset": {"left": 0, "top": 0}},
            "timestamp": t + 1,
        },
        _mutation(
            t + 5,
            adds=[{"parentId": IFRAME_ID, "nextId": None, "node": frame_document}],
            isAttachIframe=True,
        ),
        _mutation(
            t + 10,
            adds=[
                {"parentId": body_id, "nextId": None, "node": added_image},
                {"parentId": body_id, "nextId": None, "node": late_style},
            ],
        ),
        _mutation(
            t + 20,
            attributes=[
                {
                    "id": added_image["id"],
                    "attributes": {
                        "src": dash("attribute-mutation"),
                        "style": {"background": f"url({out('style-object.png')})"},
                    },
                }
            ],
        ),
        _mutation(
            t + 25,
            texts=[
                {
                    "id": late_style["childNodes"][0]["id"],
                    "value": f".late {{ background: url({dash('text-mutation')}) }}",
                }
            ],
        ),
        {
            "type": 3,
            "data": {
                "source": 8,
                "id": head["childNodes"][8]["id"],
                "adds": [
                    {"rule": f".rule {{ background: url({out('sheet-rule.png')}) }}", "index": 0},
                    {"rule": f"@import url({out('sheet-import.css')});", "index": 0},
                ],
            },
            "timestamp": t + 30,
        },
        {
            "type": 3,
            "data": {
                "source": 13,
                "id": head["childNodes"][8]["id"],
                "index": [0],
                "set": {"property": "background-image", "value": f"url({out('declaration.png')})"},
            },
            "timestamp": t + 35,
        },
        {
            "type": 3,
            "data": {
                "source": 10,
                "family": "Forged",
                "fontSource": f"url({out('font.woff2')})",
                "buffer": False,
                "descriptors": {},
            },
            "timestamp": t + 40,
        },
        {
            "type": 3,
            "data": {
                "source": 1,
                "positions": [{"x": 100, "y": 100, "id": body_id, "timeOffset": 0}],
            },
            "timestamp": t + 2000,
        },
    ]


def _mutation(ts, *, adds=(), attributes=(), texts=(), **extra):
    data = {
        "source": 0,
        "adds": list(adds),
        "removes": [],
        "texts": list(texts),
        "attributes": list(attributes),
        **extra,
    }
    return {"type": 3, "data": data, "timestamp": ts}


def _walk(node):
    yield node
    for child in node.get("childNodes", []):
        yield from _walk(child)


def envelope(*, org_public_id: str, session_id: str, events: list[dict]) -> dict:
    now = int(time.time() * 1000)
    return {
        "org": org_public_id,
        "session_id": session_id,
        "previous_session_id": None,
        "seq": 0,
        "sent_at": now,
        "ended": True,
        "page": {"url": "https://shop.test/forged", "title": "Forged", "referrer": ""},
        "meta": {
            "user_agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/124.0.0.0 Safari/537.36",
            "viewport": {"width": 1024, "height": 640},
            "sdk": "qorrelate-js/0.1.0",
            "privacy_mode": "mask-inputs",
            "sample_rate": 100,
        },
        "user": {"id": "mallory"},
        "events": events,
    }
