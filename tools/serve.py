#!/usr/bin/env python3
"""Serve www/ on 127.0.0.1 for `make serve`: .wasm as application/wasm, no caching (so a rebuilt
package is always the one loaded), and the page's Content-Security-Policy as a header too."""

import argparse
import functools
import http.server
import sys


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".json": "application/json",
    }

    quiet = False

    def log_message(self, format, *args):
        if not self.quiet:
            super().log_message(format, *args)

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--dir", default="www")
    ap.add_argument("--port", type=int, default=8080)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--quiet", action="store_true", help="do not log requests")
    args = ap.parse_args()
    Handler.quiet = args.quiet
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
