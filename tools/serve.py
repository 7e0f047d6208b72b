#!/usr/bin/env python3
"""Serve www/ on 127.0.0.1 for `make serve`: .wasm as application/wasm, no caching (so a rebuilt
package is always the one loaded), and the page's Content-Security-Policy (read from
index.html's meta tag) as a header too, so that it also binds the worker.

--hub DIR (for tests) also answers /hub/<repo>/resolve/<revision>/<file> from DIR/<repo>/<file>
as the Hugging Face Hub does, so download paths run without the network: the page's (open it with
?hub=/hub) and the CLI's (HF_ENDPOINT=http://127.0.0.1:PORT/hub). Like the Hub it answers GET and
HEAD, byte ranges (206 + Content-Range), and sends X-Repo-Commit, ETag, X-Linked-Etag and
X-Linked-Size (the file's SHA-256 and size) and 404s with X-Error-Code. A repo's commit is a hash
of its files; the revision may be "main" or that commit. --cut-once FILE sends only half of the
first GET of FILE and then drops the connection (a download cut off half-way)."""

import argparse
import functools
import hashlib
import http.server
import re
import sys
import threading
import time
from pathlib import Path

HUB_PATH = re.compile(r"/hub/(?P<repo>[\w.-]+(?:/[\w.-]+)?)/resolve/(?P<rev>[\w.-]+)/(?P<file>[\w.-]+)")
RANGE = re.compile(r"bytes=(\d*)-(\d*)")
EXPOSED = "X-Repo-Commit, X-Error-Code, X-Error-Message, ETag, X-Linked-Etag, X-Linked-Size, Accept-Ranges, Content-Range"


class Repo:
    """A folder served as a Hub repo: its files' SHA-256s and the commit made from them."""

    _cache = {}
    _lock = threading.Lock()

    @classmethod
    def of(cls, path):
        files = sorted(p for p in path.iterdir() if p.is_file())
        key = (str(path), tuple((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in files))
        with cls._lock:
            if key not in cls._cache:
                cls._cache[key] = cls(files)
            return cls._cache[key]

    def __init__(self, files):
        self.sha256 = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}
        listing = "".join(f"{name} {digest}\n" for name, digest in sorted(self.sha256.items()))
        self.commit = hashlib.sha1(listing.encode()).hexdigest()


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".json": "application/json",
    }

    quiet = False
    csp = None
    hub = None
    cut_once = set()  # file names whose next GET is cut off half-way
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        if not self.quiet:
            super().log_message(format, *args)

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        if self.csp:
            self.send_header("Content-Security-Policy", self.csp)
        super().end_headers()

    def do_GET(self):
        if not self.hub_response(head=False):
            super().do_GET()

    def do_HEAD(self):
        if not self.hub_response(head=True):
            super().do_HEAD()

    def hub_error(self, status, code, message, commit=None):
        body = message.encode()
        self.send_response(status)
        self.send_header("X-Error-Code", code)
        self.send_header("X-Error-Message", message)
        if commit:
            self.send_header("X-Repo-Commit", commit)
        self.send_header("Access-Control-Expose-Headers", EXPOSED)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def hub_response(self, head):
        """Answers a Hub resolve URL; False when the path is not one (or no --hub was given)."""
        m = HUB_PATH.fullmatch(self.path.split("?")[0])
        if not (self.hub and m):
            return False
        folder = Path(self.hub) / m["repo"]
        if not folder.is_dir():
            self.hub_error(404, "RepoNotFound", f"Repository not found: {m['repo']}")
            return True
        repo = Repo.of(folder)
        if m["rev"] not in ("main", repo.commit):
            self.hub_error(404, "RevisionNotFound", f"Invalid rev id: {m['rev']}")
            return True
        path = folder / m["file"]
        if m["file"] not in repo.sha256:
            self.hub_error(404, "EntryNotFound", f"{m['file']} does not exist on \"{m['rev']}\"", repo.commit)
            return True
        data = path.read_bytes()
        size = len(data)
        start, end, status = 0, size - 1, 200
        requested = self.headers.get("Range")
        if requested:
            r = RANGE.fullmatch(requested.strip())
            if not r or (not r[1] and not r[2]):
                self.hub_error(416, "InvalidRange", f"bad Range: {requested}")
                return True
            if r[1]:
                start = int(r[1])
                end = min(int(r[2]), size - 1) if r[2] else size - 1
            else:  # bytes=-N: the last N bytes
                start = max(size - int(r[2]), 0)
            if start >= size or start > end:
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{size}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return True
            status = 206
        body = data[start : end + 1]
        self.send_response(status)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Accept-Ranges", "bytes")
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("X-Repo-Commit", repo.commit)
        self.send_header("ETag", f'"{repo.sha256[m["file"]]}"')
        self.send_header("X-Linked-Etag", f'"{repo.sha256[m["file"]]}"')
        self.send_header("X-Linked-Size", str(size))
        self.send_header("Access-Control-Expose-Headers", EXPOSED)
        self.end_headers()
        if head:
            return True
        if m["file"] in self.cut_once and len(body) > 1:
            self.cut_once.discard(m["file"])
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            # Give the client time to take in the half before the connection drops: a browser
            # that sees the drop first may throw away bytes it has not handed to the page yet,
            # and then there is nothing to resume.
            time.sleep(0.5)
            self.close_connection = True
            print(f"hub: cut off {m['file']} after {len(body) // 2} of {len(body)} bytes", flush=True)
            return True
        self.wfile.write(body)
        return True


class Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # A client that hangs up (a cut-off download, a cancelled fetch) is not a server error.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--dir", default="www")
    ap.add_argument("--port", type=int, default=8080)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--quiet", action="store_true", help="do not log requests")
    ap.add_argument("--hub", help="answer /hub/<repo>/resolve/<revision>/<file> from this folder (tests)")
    ap.add_argument("--cut-once", action="append", default=[], metavar="FILE",
                    help="cut off the first GET of this Hub file half-way (tests; repeatable)")
    args = ap.parse_args()
    Handler.quiet = args.quiet
    Handler.hub = args.hub
    Handler.cut_once = set(args.cut_once)
    index = (Path(args.dir) / "index.html").read_text(encoding="utf-8")
    m = re.search(r'http-equiv="Content-Security-Policy"\s+content="([^"]+)"', index)
    Handler.csp = m.group(1) if m else None
    handler = functools.partial(Handler, directory=args.dir)
    try:
        server = Server((args.host, args.port), handler)
    except OSError as e:
        sys.exit(f"cannot listen on {args.host}:{args.port}: {e.strerror} (try PORT=8081 make serve)")
    port = server.server_address[1]  # the one chosen, with --port 0
    print(f"webtune: serving {args.dir}/ on http://{args.host}:{port}/ (Ctrl-C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
