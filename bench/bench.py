"""`make bench` (scripts/bench.sh starts the emulator and a release local-api, then runs this).

Measures, in one run, every function beside two baselines built with the same release profile
(H: bare lambda_http; D: + DynamoDB and SNS clients and one GetItem per invocation):
  - stripped release binary and Lambda zip sizes;
  - cold starts: `local-api invoke` runs a fresh process per start and logs Lambda-style REPORT
    lines (init = spawn to the first GET /next; first response = spawn to the answer; peak RSS);
  - warm latency p50/p99 per operation through the running local-api;
  - DynamoDB and SNS requests per operation, from the functions' `aws call` log lines, beside
    the minimum the data model allows (bench/README.md gives the reasoning).
Writes bench/results.md. Standard library only.
"""

import base64
import hashlib
import hmac
import http.client
import json
import os
import platform
import re
import statistics
import struct
import subprocess
import sys
import time
import urllib.parse
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
sys.path.insert(0, os.path.join(ROOT, "bench"))
from package_lambdas import lambda_zip  # noqa: E402
import local_api  # noqa: E402
from softkey import SoftKey  # noqa: E402

BIN = os.path.join(ROOT, "target", "release")
BASELINES = ["baseline-hello", "baseline-dynamodb"]
STARTS = int(os.environ.get("BENCH_STARTS", "20"))
WARM = int(os.environ.get("BENCH_WARM", "100"))
API = os.environ["LOCAL_API_URL"]
SNS = os.environ["AWS_ENDPOINT_URL_SNS"]
LOG = os.environ["BENCH_LOG"]
PASSWORD = "Bench-password-1"

# Fewest DynamoDB requests each operation needs with this data model, and whether it writes
# (reads must meet the minimum; writes may use one more). bench/README.md explains each.
MINIMUM = {
    "authenticate (password)": (4, "write"),
    "authenticate (password, MFA on)": (5, "write"),
    "authenticate (passcode)": (3, "write"),
    "authenticate (API key)": (4, "write"),
    "authenticate (token)": (4, "write"),
    "get-user": (3, "read"),
    "get-domain": (4, "read"),
    "add-mobile-phone": (5, "write"),
    "list-mobile-phones": (4, "read"),
    "get-mobile-phone": (4, "read"),
    "delete-mobile-phone": (5, "write"),
    "send-verification-code": (6, "write"),
    "verify-mobile-phone": (5, "write"),
    "list-devices": (4, "read"),
    "add-otp-device": (5, "write"),
    "list-otp-devices": (4, "read"),
    "get-otp-device": (4, "read"),
    "delete-otp-device": (5, "write"),
    "verify-otp-device": (5, "write"),
    "add-webauthn-device": (5, "write"),
    "verify-webauthn-device": (6, "write"),
    "list-webauthn-devices": (4, "read"),
    "get-webauthn-device": (4, "read"),
    "delete-webauthn-device": (5, "write"),
    "authenticate (WebAuthn)": (3, "write"),
    "update-multi-factor": (5, "write"),
    "delete-multi-factor": (5, "write"),
    "generate-bypass-codes": (5, "write"),
    "update-domain-enforcement": (3, "write"),
    "validate-token": (6, "read"),
    "revoke-token": (4, "write"),
    "list-tenants": (4, "read"),
    "get-api-key": (4, "read"),
    "reset-api-key": (5, "write"),
    "delete-api-key": (5, "write"),
    "not-found": (0, "read"),
    "console": (0, "read"),
}


def say(msg):
    print(f"==> {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- sizes, cold starts


def sizes(binary):
    path = os.path.join(BIN, binary)
    return os.path.getsize(path), len(lambda_zip(path))


REPORT = re.compile(
    r"Max Memory Used: (\d+) KB Init Duration: ([\d.]+) ms First Response: ([\d.]+) ms"
)


def cold_start(binary, event):
    """One fresh process: (init ms, first response ms, peak RSS KB)."""
    out = subprocess.run(
        [os.path.join(BIN, "local-api"), "invoke", binary, "--event", event, "--bin-dir", BIN],
        capture_output=True,
        text=True,
        timeout=60,
    )
    match = REPORT.search(out.stderr)
    if out.returncode != 0 or not match:
        sys.exit(f"{binary}: no cold start report\n{out.stderr[-2000:]}")
    return float(match.group(2)), float(match.group(3)), int(match.group(1))


def cold_starts(binaries, events):
    """Medians of STARTS fresh starts per binary (peak RSS: the largest). Round-robin, one start
    of every binary per round, so that drift in the machine's speed (seen here: the same binary
    slower by half ten minutes later) falls on the baselines and the functions alike."""
    runs = {b: [] for b in binaries}
    for round_no in range(STARTS):
        for binary in binaries:
            runs[binary].append(cold_start(binary, events[binary]))
        say(f"  cold starts: round {round_no + 1}/{STARTS}")
    return {
        b: (
            statistics.median(r[0] for r in rs),
            statistics.median(r[1] for r in rs),
            max(r[2] for r in rs),
        )
        for b, rs in runs.items()
    }


# --------------------------------------------------------------------------- the warm API


class Api(local_api.Api):
    def __init__(self):
        super().__init__(API, timeout=30)


def admin(*args):
    return local_api.admin(BIN, *args)


def new_user(role, domain):
    name = f"bench-{uuid.uuid4().hex[:12]}"
    u = admin("create-user", "--username", name, "--password", PASSWORD, "--role", role, "--domain", domain)
    return {"id": u["id"], "name": name}


def login(api, user, timed=None):
    body = {"auth": {"passwordCredentials": {"username": user["name"], "password": PASSWORD}}}
    resp, doc = api.call("POST", "/v2.0/tokens", body=body, timed=timed)
    return resp, doc


def token(api, user):
    resp, doc = login(api, user)
    assert resp.status == 200, resp.status
    return doc["access"]["token"]["id"]


def last_sms_code(number):
    url = urllib.parse.urlparse(SNS)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    conn.request("GET", "/moto-api/data.json")
    data = json.loads(conn.getresponse().read())
    texts = [m["message"] for m in data.get("sns", {}).get("SMS", []) if m["phone_number"] == number]
    return texts[-1].split()[-1]


def totp(key_uri, step_offset=0):
    secret = urllib.parse.parse_qs(urllib.parse.urlparse(key_uri).query)["secret"][0]
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    counter = int(time.time()) // 30 + step_offset
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**6
    return f"{code:06d}"


_numbers = iter(range(10**6))


def new_number():
    n = next(_numbers)
    return f"+1 210-5{n // 1000 % 10}{n // 100 % 10}-{n % 100:02d}{(n // 10000) % 10}{0}"


def mf(user):
    return f"/v2.0/users/{user['id']}/RAX-AUTH/multi-factor"


def verified_phone(api, tok, user, timed=False):
    number = new_number()
    _, doc = api.call("POST", f"{mf(user)}/mobile-phones", tok,
                      {"RAX-AUTH:mobilePhone": {"number": number}},
                      timed="add-mobile-phone" if timed else None, expect=201)
    phone_id = doc["RAX-AUTH:mobilePhone"]["id"]
    # Shown as "+1 210-…"; SNS (and its emulator) has it in E.164.
    e164 = "+" + re.sub(r"\D", "", doc["RAX-AUTH:mobilePhone"]["number"])
    api.call("POST", f"{mf(user)}/mobile-phones/{phone_id}/verificationcode", tok,
             timed="send-verification-code" if timed else None, expect=202)
    pin = last_sms_code(e164)
    api.call("POST", f"{mf(user)}/mobile-phones/{phone_id}/verify", tok,
             {"RAX-AUTH:verificationCode": {"code": pin}},
             timed="verify-mobile-phone" if timed else None, expect=204)
    return phone_id, e164


def warm(api):
    domain = f"bench-{uuid.uuid4().hex[:8]}"
    ua = new_user("identity:user-admin", domain)
    ua_token = token(api, ua)
    u = new_user("identity:default", domain)
    u_token = token(api, u)
    say(f"warm latency: {WARM} timed requests per operation")

    for _ in range(WARM):
        login(api, u, timed="authenticate (password)")
        api.call("GET", f"/v2.0/users/{u['id']}", u_token, timed="get-user", expect=200)
        api.call("GET", f"/v2.0/RAX-AUTH/domains/{domain}", ua_token, timed="get-domain", expect=200)
        api.call("GET", "/v2.0/no-such-thing", timed="not-found", expect=404)
        api.call("GET", "/console", headers={"Accept": "text/html"}, timed="console", expect=200)

    # Phones: add, send, verify (each timed), then read and delete.
    for _ in range(WARM):
        p = new_user("identity:default", domain)
        phone_id, _ = verified_phone(api, ua_token, p, timed=True)
        api.call("GET", f"{mf(p)}/mobile-phones", ua_token, timed="list-mobile-phones", expect=200)
        api.call("GET", f"{mf(p)}/mobile-phones/{phone_id}", ua_token, timed="get-mobile-phone", expect=200)
        api.call("GET", f"{mf(p)}/devices", ua_token, timed="list-devices", expect=200)
        api.call("DELETE", f"{mf(p)}/mobile-phones/{phone_id}", ua_token,
                 timed="delete-mobile-phone", expect=204)

    # OTP devices: add, verify, read, delete on one user (under the device limit).
    o = new_user("identity:default", domain)
    for _ in range(WARM):
        _, doc = api.call("POST", f"{mf(o)}/otp-devices", ua_token,
                          {"RAX-AUTH:otpDevice": {"name": "bench"}}, timed="add-otp-device", expect=201)
        device = doc["RAX-AUTH:otpDevice"]
        api.call("POST", f"{mf(o)}/otp-devices/{device['id']}/verify", ua_token,
                 {"RAX-AUTH:verificationCode": {"code": totp(device["keyUri"])}},
                 timed="verify-otp-device", expect=204)
        api.call("GET", f"{mf(o)}/otp-devices", ua_token, timed="list-otp-devices", expect=200)
        api.call("GET", f"{mf(o)}/otp-devices/{device['id']}", ua_token, timed="get-otp-device", expect=200)
        api.call("DELETE", f"{mf(o)}/otp-devices/{device['id']}", ua_token,
                 timed="delete-otp-device", expect=204)

    # WebAuthn devices: begin, finish, read, delete on one user (under the device limit).
    origin = "http://localhost:" + API.rsplit(":", 1)[1]
    w = new_user("identity:default", domain)
    for _ in range(WARM):
        key = SoftKey(origin)
        _, doc = api.call("POST", f"{mf(w)}/webauthn-devices", ua_token,
                          {"RAX-AUTH:webAuthnDevice": {"name": "bench"}},
                          timed="add-webauthn-device", expect=201)
        device = doc["RAX-AUTH:webAuthnDevice"]
        api.call("POST", f"{mf(w)}/webauthn-devices/{device['id']}/verify", ua_token,
                 {"RAX-AUTH:webAuthnCredential": key.register(device["publicKey"])},
                 timed="verify-webauthn-device", expect=204)
        api.call("GET", f"{mf(w)}/webauthn-devices", ua_token, timed="list-webauthn-devices", expect=200)
        api.call("GET", f"{mf(w)}/webauthn-devices/{device['id']}", ua_token,
                 timed="get-webauthn-device", expect=200)
        api.call("DELETE", f"{mf(w)}/webauthn-devices/{device['id']}", ua_token,
                 timed="delete-webauthn-device", expect=204)

    # WebAuthn logins: the password step (untimed: SMS users time it), then the key's answer.
    wl = new_user("identity:default", domain)
    key = SoftKey(origin)
    _, doc = api.call("POST", f"{mf(wl)}/webauthn-devices", ua_token,
                      {"RAX-AUTH:webAuthnDevice": {"name": "bench"}}, expect=201)
    device = doc["RAX-AUTH:webAuthnDevice"]
    api.call("POST", f"{mf(wl)}/webauthn-devices/{device['id']}/verify", ua_token,
             {"RAX-AUTH:webAuthnCredential": key.register(device["publicKey"])}, expect=204)
    api.call("PUT", mf(wl), ua_token,
             {"RAX-AUTH:multiFactor": {"enabled": True, "factorType": "WEBAUTHN"}}, expect=204)
    for _ in range(WARM):
        resp, doc = login(api, wl)
        assert resp.status == 401, resp.status
        session = re.search(r"sessionId='([^']+)'", resp.getheader("www-authenticate")).group(1)
        options = doc["RAX-AUTH:webAuthnOptions"]["publicKey"]
        api.call("POST", "/v2.0/tokens", body={"auth": {"RAX-AUTH:webAuthnCredentials":
                 key.assertion(options)}}, headers={"X-SessionId": session},
                 timed="authenticate (WebAuthn)", expect=200)

    # MFA on and off, bypass codes, MFA logins, removal.
    m = new_user("identity:default", domain)
    _, e164 = verified_phone(api, ua_token, m)
    for _ in range(WARM):
        api.call("PUT", mf(m), ua_token, {"RAX-AUTH:multiFactor": {"enabled": True}},
                 timed="update-multi-factor", expect=204)
        api.call("POST", f"{mf(m)}/bypass-codes", ua_token, {"RAX-AUTH:bypassCodes": {}},
                 timed="generate-bypass-codes", expect=200)
        resp, _ = login(api, m, timed="authenticate (password, MFA on)")
        assert resp.status == 401, resp.status
        session = re.search(r"sessionId='([^']+)'", resp.getheader("www-authenticate")).group(1)
        api.call("POST", "/v2.0/tokens", body={"auth": {"RAX-AUTH:passcodeCredentials": {
            "passcode": last_sms_code(e164)}}}, headers={"X-SessionId": session},
                 timed="authenticate (passcode)", expect=200)
        api.call("PUT", mf(m), ua_token, {"RAX-AUTH:multiFactor": {"enabled": False}},
                 timed="update-multi-factor", expect=204)

    # Removal: each round sets MFA up again (untimed) and removes it (timed).
    for _ in range(WARM):
        r = new_user("identity:default", domain)
        verified_phone(api, ua_token, r)
        api.call("PUT", mf(r), ua_token, {"RAX-AUTH:multiFactor": {"enabled": True}}, expect=204)
        api.call("DELETE", mf(r), ua_token, timed="delete-multi-factor", expect=204)

    # The identity endpoint around MFA: API keys, token logins, validation, revocation, tenants.
    k = new_user("identity:default", domain)
    k_token = token(api, k)
    keys = f"/v2.0/users/{k['id']}/OS-KSADM/credentials/RAX-KSKEY:apiKeyCredentials"
    validator = f"bench-{uuid.uuid4().hex[:12]}"
    admin("create-user", "--username", validator, "--password", PASSWORD, "--role", "identity:default",
          "--role", "identity:validate-token", "--domain", domain)
    v_token = token(api, {"name": validator})
    for _ in range(WARM):
        _, doc = api.call("POST", f"{keys}/RAX-AUTH/reset", ua_token, timed="reset-api-key", expect=200)
        key = doc["RAX-KSKEY:apiKeyCredentials"]["apiKey"]
        api.call("GET", keys, ua_token, timed="get-api-key", expect=200)
        _, doc = api.call("POST", "/v2.0/tokens", body={"auth": {"RAX-KSKEY:apiKeyCredentials": {
            "username": k["name"], "apiKey": key}}}, timed="authenticate (API key)", expect=200)
        _, doc = api.call("POST", "/v2.0/tokens", body={"auth": {"token": {"id": k_token}, "tenantId": domain}},
                          timed="authenticate (token)", expect=200)
        rescoped = doc["access"]["token"]["id"]
        api.call("GET", f"/v2.0/tokens/{rescoped}", v_token, timed="validate-token", expect=200)
        api.call("GET", "/v2.0/tenants", k_token, timed="list-tenants", expect=200)
        api.call("DELETE", "/v2.0/tokens", rescoped, timed="revoke-token", expect=204)
        api.call("DELETE", keys, ua_token, timed="delete-api-key", expect=204)

    # Domain enforcement: the caller needs MFA on and a token that proved it.
    _, ua_e164 = verified_phone(api, ua_token, ua)
    api.call("PUT", mf(ua), ua_token, {"RAX-AUTH:multiFactor": {"enabled": True}}, expect=204)
    resp, _ = login(api, ua)
    session = re.search(r"sessionId='([^']+)'", resp.getheader("www-authenticate")).group(1)
    _, doc = api.call("POST", "/v2.0/tokens", body={"auth": {"RAX-AUTH:passcodeCredentials": {
        "passcode": last_sms_code(ua_e164)}}}, headers={"X-SessionId": session}, expect=200)
    mfa_token = doc["access"]["token"]["id"]
    for _ in range(WARM):
        api.call("PUT", f"/v2.0/RAX-AUTH/domains/{domain}/multi-factor", mfa_token,
                 {"RAX-AUTH:multiFactorDomain": {"domainMultiFactorEnforcementLevel": "OPTIONAL"}},
                 timed="update-domain-enforcement", expect=204)
    return api.samples


# --------------------------------------------------------------------------- round trips


def calls_by_request():
    """request id -> {"DynamoDB": n, "SNS": n, ...} from the functions' `aws call` lines."""
    calls = {}
    with open(LOG) as f:
        for line in f:
            _, _, rest = line.partition("] ")
            if '"aws call"' not in rest:
                continue
            event = json.loads(rest)
            rid = event["span"]["request_id"]
            service = event["fields"]["service"]
            per = calls.setdefault(rid, {})
            per[service] = per.get(service, 0) + 1
    return calls


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


# --------------------------------------------------------------------------- report


def main():
    functions = sorted(os.listdir(os.path.join(ROOT, "functions")))
    events = {f: os.path.join(ROOT, "events", f"{f}.json") for f in functions}
    for b in BASELINES:
        events[b] = os.path.join(ROOT, "events", "get-user.json")

    say(f"cold starts: {STARTS} fresh processes per binary ({len(functions) + 2} binaries)")
    starts = cold_starts(BASELINES + functions, events)
    cold = {b: (*sizes(b), *starts[b]) for b in BASELINES + functions}

    samples = warm(Api())
    time.sleep(0.5)  # the last log lines
    calls = calls_by_request()

    d_raw, d_zip, d_init, d_first, _ = cold["baseline-dynamodb"]
    out = []
    w = out.append
    w(f"# Benchmark results\n")
    w(f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {platform.machine()}, "
      f"{os.cpu_count()} cores, {platform.platform()}; release profile of Cargo.toml; "
      f"{STARTS} cold starts per binary, {WARM} timed warm requests per operation; "
      f"the emulator (moto) on loopback plays DynamoDB, SNS, KMS and Secrets Manager.\n")
    w("## Size and cold start\n")
    w("Init: process start to the first `GET /next` on the emulated Runtime API; first response: "
      "process start to the answer of the first invocation (the `events/` fixture, a token nobody "
      "issued: one token lookup). Medians; RSS is the peak over all starts. Ratios are to "
      "baseline D; targets: init ≤ 1.25, first response ≤ 1.5, zip ≤ 1.25.\n")
    w("| binary | stripped | zipped | zip ×D | init ms | init ×D | first response ms | first ×D | peak RSS |")
    w("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    misses = []
    for binary in BASELINES + functions:
        raw, zipped, init, first, rss = cold[binary]
        rz, ri, rf = zipped / d_zip, init / d_init, first / d_first
        if binary not in BASELINES:
            for what, ratio, limit in (("zip", rz, 1.25), ("init", ri, 1.25), ("first response", rf, 1.5)):
                if ratio > limit:
                    misses.append(f"{binary}: {what} {ratio:.2f}× baseline D (target ≤ {limit})")
        w(f"| {binary} | {raw / 1048576:.2f} MiB | {zipped / 1048576:.2f} MiB | {rz:.2f} | "
          f"{init:.1f} | {ri:.2f} | {first:.1f} | {rf:.2f} | {rss / 1024:.1f} MiB |")
    w("")
    w("## Warm latency and round trips\n")
    w("Through `tools/local-api` (release binaries, warm processes), client-side, per operation. "
      "DynamoDB/SNS: requests per invocation (median over the timed requests; from the functions' "
      "`aws call` log lines), beside the minimum the data model allows (bench/README.md). Target: "
      "reads at the minimum, writes at most one above.\n")
    w("| operation | n | p50 ms | p99 ms | DynamoDB | minimum | kind | SNS | other AWS |")
    w("|---|---:|---:|---:|---:|---:|---|---:|---|")
    for op in MINIMUM:
        rows = samples.get(op, [])
        if not rows:
            misses.append(f"{op}: no warm samples")
            continue
        ms = [m for m, _ in rows]
        per = [calls.get(rid, {}) for _, rid in rows]
        ddb = statistics.median([c.get("DynamoDB", 0) for c in per])
        sns = statistics.median([c.get("SNS", 0) for c in per])
        others = sorted({k for c in per for k in c if k not in ("DynamoDB", "SNS")})
        minimum, kind = MINIMUM[op]
        allowed = minimum if kind == "read" else minimum + 1
        if ddb > allowed:
            misses.append(f"{op}: {ddb:g} DynamoDB requests, minimum {minimum} ({kind})")
        w(f"| {op} | {len(ms)} | {percentile(ms, 50):.1f} | {percentile(ms, 99):.1f} | {ddb:g} | "
          f"{minimum} | {kind} | {sns:g} | {', '.join(others) or '-'} |")
    w("")
    w("## Targets missed\n")
    w("\n".join(f"- {m}" for m in misses) if misses else "None.")
    w("")
    text = "\n".join(out)
    with open(os.path.join(ROOT, "bench", "results.md"), "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
