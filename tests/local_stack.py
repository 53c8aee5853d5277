"""The local stack as the Python stages of `make test` see it (tests/clients, tests/browser):
the public API as JSON, users made with mfa-admin, texts read from the emulator, TOTP codes
computed as an authenticator app does, and every secret recorded for the log scan.

Environment (scripts/test.sh): LOCAL_API_URL, MFA_ADMIN, EMULATOR_URL, SECRETS_FILE.
"""

import base64
import hashlib
import hmac
import json
import os
import secrets
import struct
import subprocess
import time
import urllib.error
import urllib.request

API = os.environ["LOCAL_API_URL"].rstrip("/")


def remember(secret):
    """Records a secret for the log scan that ends make test."""
    path = os.environ.get("SECRETS_FILE")
    if path and secret and len(secret) >= 6:
        with open(path, "a") as f:
            f.write(secret + "\n")


def mfa_admin(*args):
    out = subprocess.run([os.environ["MFA_ADMIN"], *args], capture_output=True, text=True)
    if out.returncode != 0:
        raise AssertionError(f"mfa-admin {args[0]}: {out.stderr}")
    return json.loads(out.stdout)


def call(method, path, body=None, token=None):
    """The public API as JSON over HTTP: (status, headers, answer)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(API + path, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("X-Auth-Token", token)
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            raw = answer.read()
            return answer.status, answer.headers, json.loads(raw) if raw else None
    except urllib.error.HTTPError as failure:
        raw = failure.read()
        return failure.code, failure.headers, json.loads(raw) if raw else None


def expect(status, method, path, body=None, token=None):
    got, headers, answer = call(method, path, body, token)
    if got != status:
        raise AssertionError(f"{method} {path}: {got} {answer} (expected {status})")
    return answer


class User:
    """A user made with mfa-admin, logged in with its password."""

    def __init__(self, domain, *roles):
        self.username = "c" + secrets.token_hex(6)
        self.password = "Pw-" + secrets.token_urlsafe(12)
        remember(self.password)
        args = ["create-user", "--username", self.username, "--password", self.password,
                "--domain", domain]
        for role in roles or ("identity:default",):
            args += ["--role", role]
        self.id = mfa_admin(*args)["id"]
        self.token = self.login()
        self.mf = f"/v2.0/users/{self.id}/RAX-AUTH/multi-factor"

    def login(self):
        body = {"auth": {"passwordCredentials": {"username": self.username,
                                                  "password": self.password}}}
        token = expect(200, "POST", "/v2.0/tokens", body)["access"]["token"]["id"]
        remember(token)
        return token


def totp(secret_b32, at=None):
    """RFC 6238 (SHA-1, 6 digits, 30 s), as an authenticator app computes it."""
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


def sms_to(e164):
    """The texts SNS delivered to a number, oldest first (the emulator records them)."""
    with urllib.request.urlopen(os.environ["EMULATOR_URL"] + "/moto-api/data.json") as data:
        sms = json.load(data).get("sns", {}).get("SMS", [])
    return [m["message"] for m in sms if m["phone_number"] == e164]


def next_code_to(e164, seen):
    for _ in range(100):
        texts = sms_to(e164)
        if len(texts) > seen:
            code = texts[-1].split()[-1]
            remember(code)
            return code
        time.sleep(0.05)
    raise AssertionError(f"no SMS to {e164}")


def new_domain():
    return "cl-" + secrets.token_hex(4)
