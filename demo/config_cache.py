"""Serve the page's config from memory, compressed: every page load (and every `gradio_client`) reads it.

Gradio answers `GET /config` by deep-copying the app's whole description (every tab's layout and
events, 1.3 MB of JSON here) and serializing it again: about 0.15 s of CPU per page load. A class of
30 opening the page together spends 4-5 s of the server's two cores on that alone, while their
first restores wait (`make load`). The description does not change once the app is built, so the
first answer for a given address is kept and sent again, byte for byte, gzip-compressed (a tenth of
the bytes over a classroom's Wi-Fi) to every client that accepts it.

An ASGI middleware, so it works the same under `make demo`, the tests and a Space. The key holds
everything Gradio's answer depends on: the path and query (page, deep link) and the headers that
decide the public address written into it. Only whole, successful answers are kept. This app has no
login; an app with one must not use it as it is (Gradio's answer names the user).
"""

import gzip
import threading
from dataclasses import dataclass

# What Gradio's config depends on, besides the path and query: the public URL it writes in (host, proxy).
KEY_HEADERS = (b"host", b"x-forwarded-host", b"x-forwarded-proto", b"forwarded")


@dataclass(frozen=True)
class Answer:
    headers: list  # Gradio's own response headers, content-length left out
    body: bytes
    compressed: bytes  # the same body, gzip

    def messages(self, accepts_gzip: bool) -> list[dict]:
        body = self.compressed if accepts_gzip else self.body
        extra = [(b"content-encoding", b"gzip"), (b"vary", b"accept-encoding")] if accepts_gzip else []
        headers = self.headers + extra + [(b"content-length", str(len(body)).encode())]
        return [{"type": "http.response.start", "status": 200, "headers": headers},
                {"type": "http.response.body", "body": body}]


class ConfigCache:
    """ASGI middleware: the first whole, successful `GET .../config` per key is stored and replayed."""

    def __init__(self, app, path_suffix: str = "/config"):
        self.app, self.path_suffix = app, path_suffix
        self.answers: dict[tuple, Answer] = {}
        self.lock = threading.Lock()

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "GET" or not scope["path"].endswith(self.path_suffix):
            return await self.app(scope, receive, send)
        headers = dict(scope["headers"])
        key = (scope["path"], scope.get("root_path", ""), scope["query_string"], scope.get("scheme"),
               *(headers.get(name) for name in KEY_HEADERS))
        accepts_gzip = b"gzip" in headers.get(b"accept-encoding", b"")
        if (answer := self.answers.get(key)) is None:
            answer = await self.ask_gradio(scope, receive, send)
            if answer is None:
                return  # Gradio's answer was not one to keep; it has been sent as it was
            with self.lock:
                answer = self.answers.setdefault(key, answer)
        for message in answer.messages(accepts_gzip):
            await send(message)

    async def ask_gradio(self, scope, receive, send) -> Answer | None:
        """Gradio's answer, kept if it is a whole 200; otherwise passed on to the client unchanged."""
        messages = []

        async def keep(message):
            messages.append(message)

        await self.app(scope, receive, keep)
        start, *bodies = messages
        if start["status"] == 200 and bodies and not bodies[-1].get("more_body", False):
            body = b"".join(message.get("body", b"") for message in bodies)
            headers = [(name, value) for name, value in start["headers"] if name.lower() != b"content-length"]
            return Answer(headers, body, gzip.compress(body, compresslevel=6))
        for message in messages:
            await send(message)
        return None
