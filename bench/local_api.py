"""What bench.py, memory.py and cost.py share: JSON calls to a running local-api on one
keep-alive connection, and the operator tool mfa-admin."""

import http.client
import json
import os
import subprocess
import sys
import time
import urllib.parse


class Api:
    """Calls on one connection. `timed` names a sample list: (ms, API Gateway request id) of
    the call is appended to `samples[timed]`; `expect` ends the run on any other status."""

    def __init__(self, url, timeout=30):
        parsed = urllib.parse.urlparse(url)
        self.conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=timeout)
        self.samples = {}  # name -> [(ms, request id)]

    def call(self, method, path, token=None, body=None, headers=None, timed=None, expect=None):
        h = {"Accept": "application/json"}
        if token:
            h["X-Auth-Token"] = token
        if body is not None:
            h["Content-Type"] = "application/json"
        h.update(headers or {})
        data = json.dumps(body) if body is not None else None
        started = time.perf_counter()
        self.conn.request(method, path, body=data, headers=h)
        resp = self.conn.getresponse()
        text = resp.read()
        elapsed = (time.perf_counter() - started) * 1000
        if expect is not None and resp.status != expect:
            sys.exit(f"{method} {path}: {resp.status}, expected {expect}: {text[:300]!r}")
        if timed:
            self.samples.setdefault(timed, []).append((elapsed, resp.getheader("apigw-requestid")))
        json_body = resp.getheader("Content-Type", "").startswith("application/json")
        return resp, (json.loads(text) if json_body and text.strip() else None)


def admin(bin_dir, *args):
    """mfa-admin of `bin_dir` with `args`: its JSON answer, or the end of the run."""
    out = subprocess.run([os.path.join(bin_dir, "mfa-admin"), *args], capture_output=True,
                         text=True)
    if out.returncode != 0:
        sys.exit(f"mfa-admin {' '.join(args[:1])}: {out.stderr}")
    return json.loads(out.stdout)
