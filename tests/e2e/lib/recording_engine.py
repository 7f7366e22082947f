"""A stand-in engine on a unix socket for a pull that no registry here can serve: it answers the
version ping, /info and the image lookup (missing), records every request line and the
X-Registry-Auth header of each pull, and ends each pull with an in-band error, as an engine whose
registry refused it would.

usage: recording_engine.py SOCKET LOG_DIR   (LOG_DIR/requests: one "METHOD TARGET" a line;
LOG_DIR/auth: the X-Registry-Auth of the last pull, "-" when it had none)
"""
import json
import os
import socketserver
import sys
from http.server import BaseHTTPRequestHandler

socket_path, log_dir = sys.argv[1:3]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body, content_type="application/json"):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Api-Version", "1.41")
        self.send_header("Ostype", "linux")
        self.send_header("Server", "Docker/20.10.24 (linux)")
        self.end_headers()
        self.wfile.write(data)

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        with open(os.path.join(log_dir, "requests"), "a") as log:
            log.write(f"{self.command} {self.path}\n")
        path = self.path.split("?")[0]
        if path.endswith("/_ping"):
            self.reply(200, "OK", "text/plain")
        elif path.endswith("/info"):
            self.reply(200, json.dumps({"SecurityOptions": ["name=seccomp,profile=default"], "Runtimes": {"runc": {}}}))
        elif "/images/" in path and path.endswith("/json") and self.command == "GET":
            self.reply(404, json.dumps({"message": "No such image"}))
        elif path.endswith("/images/create") and self.command == "POST":
            with open(os.path.join(log_dir, "auth"), "w") as auth:
                auth.write(self.headers.get("X-Registry-Auth", "-"))
            self.reply(200, json.dumps({"errorDetail": {"message": "fake engine: pull refused"}, "error": "fake engine: pull refused"}) + "\n")
        else:
            self.reply(404, json.dumps({"message": "fake engine: no route for " + self.command + " " + path}))

    do_GET = do_POST = do_DELETE = do_HEAD = do_PUT = handle_any


class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True

    def get_request(self):
        request, _ = super().get_request()
        return request, ("fake", 0)


Server(socket_path, Handler).serve_forever()
