"""A throwaway HTTP server on 127.0.0.1 that records webhook posts, for transport tests."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class RobotServer:
    """Answers like a WeCom/DingTalk robot: 200 {"errcode": 0}, or what ``reply`` says."""

    def __init__(self, status: int = 200, reply: dict | None = None, delay: float = 0.0):
        self.posts: list[dict] = []
        self.status, self.reply, self.delay = status, reply or {"errcode": 0, "errmsg": "ok"}, delay
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                if server.delay:
                    threading.Event().wait(server.delay)
                server.posts.append(body)
                payload = json.dumps(server.reply).encode()
                self.send_response(server.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/robot/send?key=test"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> RobotServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
