#!/usr/bin/env python3
"""Serve www/ on 127.0.0.1 for `make serve`: .wasm as application/wasm, no caching (so a rebuilt
package is always the one loaded), and the page's Content-Security-Policy (read from
index.html's meta tag) as a header too, so that it also binds the worker.

--hub DIR (for tests/page) also answers /hub/<repo>/resolve/main/<file> from DIR/<repo>/<file>,
the Hugging Face Hub's URL scheme, so the page's download path can run without the network
(open the page with ?hub=/hub)."""

import argparse
import functools
import http.server
import re
import sys
from pathlib import Path


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

    def log_message(self, format, *args):
        if not self.quiet:
            super().log_message(format, *args)

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        if self.csp:
            self.send_header("Content-Security-Policy", self.csp)
        super().end_headers()

    def translate_path(self, path):
        m = re.fullmatch(r"/hub/([\w.-]+(?:/[\w.-]+)?)/resolve/main/([\w.-]+)", path.split("?")[0])
        if self.hub and m:
            return str(Path(self.hub) / m.group(1) / m.group(2))
        return super().translate_path(path)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--dir", default="www")
    ap.add_argument("--port", type=int, default=8080)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--quiet", action="store_true", help="do not log requests")
    ap.add_argument("--hub", help="answer /hub/<repo>/resolve/main/<file> from this folder (tests)")
    args = ap.parse_args()
    Handler.quiet = args.quiet
    Handler.hub = args.hub
    index = (Path(args.dir) / "index.html").read_text(encoding="utf-8")
    m = re.search(r'http-equiv="Content-Security-Policy"\s+content="([^"]+)"', index)
    Handler.csp = m.group(1) if m else None
    handler = functools.partial(Handler, directory=args.dir)
    try:
        server = http.server.ThreadingHTTPServer((args.host, args.port), handler)
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
