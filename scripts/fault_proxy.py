"""A fault-injecting proxy in front of the DynamoDB emulator, for the fault tests.

Requests pass through to the emulator, except those whose X-Amz-Target names one of the
throttled operations: they get DynamoDB's ThrottlingException (HTTP 400), as a throttled table
answers. So an operation's reads succeed and its write fails half-way, which is what the tests
need to show that nothing partial is left behind.

usage: fault_proxy.py LISTEN_PORT EMULATOR_URL OPERATION[,OPERATION...]
"""

import http.client
import http.server
import json
import sys
import urllib.parse

PORT, UPSTREAM, THROTTLED = int(sys.argv[1]), urllib.parse.urlparse(sys.argv[2]), set(sys.argv[3].split(","))


class Proxy(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        operation = self.headers.get("X-Amz-Target", "").rpartition(".")[2]
        if operation in THROTTLED:
            payload = json.dumps({
                "__type": "com.amazonaws.dynamodb.v20120810#ThrottlingException",
                "message": "Rate of requests exceeds the allowed throughput.",
            }).encode()
            self.send_response(400)
            self.send_header("Content-Type", "application/x-amz-json-1.0")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            return
        conn = http.client.HTTPConnection(UPSTREAM.hostname, UPSTREAM.port, timeout=30)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
        conn.request("POST", self.path, body, headers)
        answer = conn.getresponse()
        data = answer.read()
        self.send_response(answer.status)
        for k, v in answer.getheaders():
            if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", PORT), Proxy).serve_forever()
