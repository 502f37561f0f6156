#!/usr/bin/env python3
"""A small fault-injecting HTTP proxy for registry tests.

Forwards every request to an upstream registry and answers with its response, except for
requests matched by a rule, which get a fault instead:

  status   answer with `status` (and `headers`, e.g. Retry-After, and `body`) without forwarding
  drop     read part of the request body, then close the connection without answering
  corrupt  forward, then flip bytes in the response body (a blob with the wrong digest)
  slow     read the request body at `rate` bytes per second, then forward (a slow uplink)
  trickle  forward, then send the response body at `rate` bytes per second (a slow downlink)
  stall    answer 200 with headers promising `length` bytes (default 1000), then send nothing
  endless  answer 200 with an endless body: without Content-Length, or announcing `length`

In header values of `status` rules, {host} becomes the proxy's host:port (for a realm that
points back at the proxy).

Rules come from a JSON file: [{"method": "PUT", "path": "/blobs/uploads/", "action":
"drop", "times": 1}, ...]; `path` is a regular expression searched in the request path,
`times` how many matching requests get the fault (default 1). Every request is logged as
"METHOD PATH STATUS" (status 0 for a drop) to the log file, so tests can count them.

With --bearer USER:PASSWORD the proxy also plays a token-authenticated registry, as
Docker Hub, GHCR and GCR are: /v2/ requests without a valid bearer token get a 401 with a
`WWW-Authenticate: Bearer realm=…/token,service=…,scope=…` challenge, and GET /token hands
out a token for the requested scopes — to anyone for pull scopes, and only with those Basic
credentials for push scopes. Token requests are logged as "TOKEN <scopes> <status>".

Usage: fault_proxy.py --upstream 127.0.0.1:5000 --rules rules.json --log log.txt --port-file port
                      [--bearer USER:PASSWORD]
Listens on 127.0.0.1 only, on a free port written to --port-file.
"""
import base64
import secrets
import urllib.parse
import argparse
import http.client
import http.server
import json
import re
import socket
import socketserver
import threading
import time

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
              "proxy-authorization", "proxy-authenticate"}


class Rules:
    def __init__(self, path):
        with open(path) as f:
            self.rules = json.load(f)
        for rule in self.rules:
            rule.setdefault("times", 1)
        self.lock = threading.Lock()

    def match(self, method, path):
        with self.lock:
            for rule in self.rules:
                if rule["times"] > 0 and rule.get("method", method) == method and re.search(rule["path"], path):
                    rule["times"] -= 1
                    return rule
        return None


def make_handler(upstream, rules, log, bearer):
    log_lock = threading.Lock()
    tokens = {}  # token -> set of granted scopes

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def record(self, status):
            with log_lock, open(log, "a") as f:
                f.write(f"{self.command} {self.path} {status}\n")

        def body(self, rate=0):
            length = int(self.headers.get("Content-Length") or 0)
            if not rate:
                return self.rfile.read(length) if length else b""
            data = b""
            while len(data) < length:
                data += self.rfile.read(min(max(rate // 10, 1), length - len(data)))
                time.sleep(0.1)
            return data

        def answer(self, status, headers=None, body=b""):
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def issue_token(self):
            query = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
            scopes = query.get("scope", [])
            given = self.headers.get("Authorization", "")
            authenticated = given == "Basic " + base64.b64encode(bearer.encode()).decode()
            if any(":push" in scope for scope in scopes) and not authenticated:
                self.record_token(scopes, 401)
                return self.answer(401, body=b'{"errors":[{"code":"UNAUTHORIZED","message":"bad credentials"}]}')
            token = secrets.token_hex(16)
            tokens[token] = set(scopes)
            self.record_token(scopes, 200)
            self.answer(200, {"Content-Type": "application/json"}, json.dumps({"token": token}).encode())

        def record_token(self, scopes, status):
            with log_lock, open(log, "a") as f:
                f.write(f"TOKEN {' '.join(sorted(scopes))} {status}\n")

        def needed_scope(self):
            match = re.match(r"/v2/(.+?)/(blobs|manifests)/", self.path)
            if not match:
                return None
            action = "pull" if self.command in ("GET", "HEAD") else "push"
            return match.group(1), action

        def authorized(self):
            given = self.headers.get("Authorization", "")
            if not given.startswith("Bearer "):
                return False
            granted = tokens.get(given[len("Bearer "):])
            if granted is None:
                return False
            needed = self.needed_scope()
            if needed is None:
                return True
            repository, action = needed
            return any(scope.startswith(f"repository:{repository}:") and action in scope.split(":")[-1].split(",")
                       for scope in granted)

        def challenge(self):
            host = self.headers.get("Host")
            needed = self.needed_scope()
            scope = f',scope="repository:{needed[0]}:{needed[1]}"' if needed else ""
            self.record(401)
            self.body()
            self.answer(401, {"WWW-Authenticate": f'Bearer realm="http://{host}/token",service="fault-proxy"{scope}'},
                        b'{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}')

        def handle_any(self):
            if bearer and self.path.startswith("/token"):
                return self.issue_token()
            if bearer and not self.authorized():
                return self.challenge()
            rule = rules.match(self.command, self.path)
            if rule and rule["action"] == "drop":
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(min(length, 1024))
                self.record(0)
                self.close_connection = True
                self.connection.shutdown(2)
                return
            payload = self.body(rule["rate"] if rule and rule["action"] == "slow" else 0)
            if rule and rule["action"] in ("stall", "endless"):
                return self.hostile_body(rule)
            if rule and rule["action"] == "status":
                self.record(rule["status"])
                self.send_response(rule["status"])
                body = rule.get("body", "").encode()
                for name, value in rule.get("headers", {}).items():
                    self.send_header(name, value.replace("{host}", self.headers.get("Host", "")))
                if body:
                    self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)
                return
            connection = http.client.HTTPConnection(upstream, timeout=60)
            headers = {k: v for k, v in self.headers.items()
                       if k.lower() not in HOP_BY_HOP and not (bearer and k.lower() == "authorization")}
            connection.request(self.command, self.path, body=payload, headers=headers)
            response = connection.getresponse()
            data = response.read()
            if rule and rule["action"] == "corrupt" and data:
                data = bytes(b ^ 0xFF for b in data[:16]) + data[16:]
            self.record(response.status)
            self.send_response(response.status)
            for name, value in response.getheaders():
                if name.lower() not in HOP_BY_HOP and name.lower() != "content-length":
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                if rule and rule["action"] == "trickle":
                    self.trickle(data, rule["rate"])
                else:
                    self.wfile.write(data)
            connection.close()

        def trickle(self, data, rate):
            step = max(rate // 10, 1)
            try:
                for at in range(0, len(data), step):
                    self.wfile.write(data[at:at + step])
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:  # the client gave up
                self.close_connection = True

        def hostile_body(self, rule):
            self.record(200)
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            if rule["action"] == "stall" or "length" in rule:
                self.send_header("Content-Length", str(rule.get("length", 1000)))
            self.end_headers()
            self.close_connection = True
            if rule["action"] == "stall":
                return self.wait_for_hang_up()
            chunk = b"\0" * 65536
            try:
                while True:
                    self.wfile.write(chunk)
            except OSError:  # the client gave up
                return

        def wait_for_hang_up(self):
            self.wfile.flush()
            while True:
                time.sleep(0.2)
                try:
                    if self.connection.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b"":
                        return
                except BlockingIOError:
                    continue
                except OSError:
                    return

        do_GET = do_HEAD = do_PUT = do_POST = do_PATCH = do_DELETE = handle_any

    return Handler


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--upstream", required=True)
    parser.add_argument("--rules", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--bearer", default="")
    args = parser.parse_args()

    class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
        daemon_threads = True
        allow_reuse_address = True

    server = Server(("127.0.0.1", 0), make_handler(args.upstream, Rules(args.rules), args.log, args.bearer))
    with open(args.port_file, "w") as f:
        f.write(str(server.server_address[1]))
    server.serve_forever()


if __name__ == "__main__":
    main()
