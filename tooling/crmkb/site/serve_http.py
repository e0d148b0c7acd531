"""The built site over HTTP for `kb serve`: a small WSGI application of files on waitress.

Waitress is a maintained server that closes idle connections (`channel_timeout`), holds at
most `connection_limit` of them (the rest wait in the kernel's queue, costing no descriptor)
and answers from a fixed pool of threads; it parses HTTP itself and refuses malformed
requests. The application only maps a path to a file of the built folder: a folder is its
index.html or the site's own 404 page (never a listing), a hidden or malformed path is
refused, and while the records have errors every page carries a notice that the site shows
the last good version. Files are read whole; the builder replaces each file in one step
(see `Site.build`), so a reply is always a complete file.
"""

from __future__ import annotations

import errno
import html
import mimetypes
import os
import re
import resource
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from crmkb.errors import KbError
from crmkb.i18n import _, ngettext

IDLE_SECONDS = 30.0  # a browser's idle keep-alive connection is closed after this
THREADS = 6
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".woff2": "font/woff2",
}
_CONTROL = re.compile(r"[\x00-\x1f\x7f\\]")
# Where the notice goes: Material's announcement slot, else the top of the body.
_SLOTS = (re.compile(rb'<div data-md-component="announce">'), re.compile(rb"<body[^>]*>"))

StartResponse = Callable[..., Any]


def notice(errors: int) -> bytes:
    """The banner every page carries while the records have `errors` errors (Material's own
    banner classes: no style or script of its own, so the pages' CSP holds)."""
    headline = ngettext(
        "The records have {count} error.", "The records have {count} errors.", errors
    ).format(count=errors)
    detail = html.escape(
        _("This site shows the last good version until they are fixed; run {command} to see them.")
    ).format(command="<code>kb check</code>")
    return (
        '<aside class="md-banner md-banner--warning kb-serve-notice" role="alert">'
        '<div class="md-banner__inner md-grid md-typeset">'
        f"<p><strong>{html.escape(headline)}</strong> {detail}</p></div></aside>"
    ).encode()


def with_notice(page: bytes, errors: int) -> bytes:
    for slot in _SLOTS:
        found = slot.search(page)
        if found:
            return page[: found.end()] + notice(errors) + page[found.end() :]
    return notice(errors) + page


@dataclass
class Reply:
    status: str
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()


class SiteApp:
    """The WSGI application: GET and HEAD of the files under `site_dir`."""

    def __init__(self, site_dir: Path, errors: Callable[[], int]) -> None:
        self.site_dir = site_dir
        self.root = os.path.realpath(site_dir)
        self.errors = errors  # how many errors the records have now (0: none)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ["REQUEST_METHOD"] not in ("GET", "HEAD"):
            reply = Reply("405 Method Not Allowed", headers=(("Allow", "GET, HEAD"),))
        else:
            reply = self.reply(environ)
        headers = [("Content-Length", str(len(reply.body))), *reply.headers]
        headers += [("Cache-Control", "no-cache"), ("X-Content-Type-Options", "nosniff")]
        start_response(reply.status, headers)
        return [b""] if environ["REQUEST_METHOD"] == "HEAD" else [reply.body]

    def reply(self, environ: dict[str, Any]) -> Reply:
        try:  # WSGI hands the path over as Latin-1 text of the request's bytes
            path = environ.get("PATH_INFO", "/").encode("latin-1").decode("utf-8")
        except UnicodeError:
            return Reply("400 Bad Request")
        if _CONTROL.search(path) or not path.startswith("/"):
            return Reply("400 Bad Request")
        parts = [part for part in path.split("/") if part]
        if any(part.startswith(".") for part in parts):  # .., dot files: never published
            return self.missing()
        target = os.path.join(self.root, *parts)
        if parts and not os.path.realpath(target).startswith(self.root + os.sep):
            return self.missing()  # a link out of the site
        if os.path.isdir(target):
            if not os.path.isfile(os.path.join(target, "index.html")):
                return self.missing()
            if not path.endswith("/"):
                query = environ.get("QUERY_STRING")
                location = quote(path + "/") + (f"?{query}" if query else "")
                return Reply("301 Moved Permanently", headers=(("Location", location),))
            target = os.path.join(target, "index.html")
        found = self.file(target, "200 OK", environ.get("HTTP_IF_NONE_MATCH"))
        return found or self.missing()

    def missing(self) -> Reply:
        """The site's own 404 page, else a line of text."""
        page = self.file(os.path.join(self.root, "404.html"), "404 Not Found")
        if page is not None:
            return page
        text = _("No page here.").encode()
        return Reply("404 Not Found", text, (("Content-Type", TYPES[".txt"]),))

    def file(self, target: str, status: str, tag: str | None = None) -> Reply | None:
        try:
            with open(target, "rb") as handle:
                facts = os.fstat(handle.fileno())
                if not stat.S_ISREG(facts.st_mode):
                    return None
                body = handle.read()
        except OSError:
            return None
        kind = _type(target)
        errors = self.errors() if kind == TYPES[".html"] else 0
        etag = f'"{facts.st_mtime_ns:x}-{facts.st_size:x}-{errors}"'
        headers = (("Content-Type", kind), ("ETag", etag))
        if tag == etag and status.startswith("200"):
            return Reply("304 Not Modified", headers=headers[1:])
        return Reply(status, with_notice(body, errors) if errors else body, headers)


def _type(path: str) -> str:
    suffix = os.path.splitext(path)[1].lower()
    return TYPES.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"


def listen(app: SiteApp, host: str, port: int, idle_seconds: float) -> Any:
    """Waitress bound to host:port (listening, not yet serving); a taken port is one line."""
    from waitress.server import create_server

    try:
        return create_server(
            app,
            host=host,
            port=port,
            threads=THREADS,
            connection_limit=connection_limit(),
            channel_timeout=idle_seconds,
            cleanup_interval=max(0.5, min(idle_seconds / 2, 30.0)),
            asyncore_use_poll=True,  # select() cannot watch a descriptor above 1023
            clear_untrusted_proxy_headers=True,
            ident="crmkb",
        )
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise KbError(
                _(
                    "port {port} on {host} is in use by another program; choose another port, "
                    "e.g. make serve PORT={other} (or kb serve --dev-addr {host}:{other})"
                ).format(port=port, host=host, other=port + 1 if port < 65535 else 8001)
            ) from None
        raise KbError(
            _("cannot listen on {host}:{port}: {reason}").format(
                host=host, port=port, reason=exc.strerror or exc
            )
        ) from None


def connection_limit() -> int:
    """At most half the descriptors this process may open, so the builder always has its
    share, and no more than a development server needs."""
    soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return 200
    return max(8, min(200, soft // 2 - 64))
