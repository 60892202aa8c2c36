"""An HTTP client that talks to gunicorn as a TLS-terminating proxy would.

It sends ``Host`` and ``X-Forwarded-Proto: https`` on every request and keeps cookies itself:
the production cookies are ``Secure``, which a normal client would not send over the test's
plain HTTP connection, while behind the proxy the browser does send them.
"""

import json
from dataclasses import dataclass, field
from http.client import HTTPConnection
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes
    set_cookies: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self):
        return json.loads(self.body)


class ProxiedClient:
    def __init__(self, base_url: str, host: str, *, scheme: str = "https"):
        parts = urlsplit(base_url)
        self.address = (parts.hostname, parts.port)
        self.host = host
        self.scheme = scheme
        self.cookies: dict[str, str] = {}
        self.cookie_attributes: dict[str, SimpleCookie] = {}

    @property
    def origin(self) -> str:
        return f"{self.scheme}://{self.host}"

    def request(self, method: str, path: str, *, body=None, headers=None, form=None, data=None):
        sent = {
            "Host": self.host,
            "X-Forwarded-Proto": self.scheme,
            "X-Forwarded-For": "203.0.113.7",
        }
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if form is not None:
            body = urlencode(form).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        elif data is not None:
            body = json.dumps(data).encode()
            sent["Content-Type"] = "application/json"
        sent.update(headers or {})
        connection = HTTPConnection(*self.address, timeout=30)
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            reply = Reply(
                status=response.status,
                headers={k.lower(): v for k, v in response.getheaders()},
                body=response.read(),
                set_cookies=response.msg.get_all("Set-Cookie") or [],
            )
        finally:
            connection.close()
        for line in reply.set_cookies:
            cookie = SimpleCookie()
            cookie.load(line)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
                self.cookie_attributes[name] = morsel
        return reply

    def get(self, path: str, **kwargs) -> Reply:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs) -> Reply:
        return self.request("POST", path, **kwargs)
