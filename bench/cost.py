"""`make bench-cost` (scripts/bench-cost.sh starts the emulator with its meter, the table and a
local-api on the debug builds, then runs this): what the service costs to run, from measurement.

1. Measures, per operation, what each call consumes: DynamoDB read and write request units (the
   emulator's meter, EMULATOR_METER=1, computes them from the requests, the answers and the items
   before and after, by DynamoDB's on-demand rules: scripts/emulator.py, `Meter`), KMS and
   Secrets Manager requests, SMS and their parts, and the bytes the function logs. Each operation
   runs alone, COST_REPS times (default 3), on users set up as the pattern below assumes (a
   phone, an authenticator app, a security key and recovery codes each; MFA on), the meter read
   before and after; the median is the operation's figure. The meter's arithmetic is first
   checked against the Developer Guide's own examples (`calibrate`).
2. Takes the rest from files: each function's memory size from template.yaml; its duration at
   that size from bench/memory.md (the password step measured at 1024 MB; get-user, the model of
   a function that waits on DynamoDB, at every size), scaled per operation by the operation's
   warm p50 relative to the anchor's in bench/results.md (`duration`).
3. Prices them (PRICES below: us-east-1, list prices, no free tiers) and writes bench/cost.md:
   per operation, then a month of ACTIVE_USERS users at PATTERN, SMS apart, beside Cognito.
Environment (scripts/bench-cost.sh): LOCAL_API_URL, AWS_ENDPOINT_URL_DYNAMODB, EMULATOR_URL,
TABLE_NAME, COST_BIN (the binaries), COST_LOG (local-api's log file).
"""

import base64
import hashlib
import hmac
import json
import math
import os
import re
import statistics
import struct
import sys
import time
import urllib.parse
import urllib.request
import uuid

import boto3

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
import local_api  # noqa: E402
from softkey import SoftKey  # noqa: E402

# --------------------------------------------------------------------------- prices
# US East (N. Virginia), list prices in USD, without any free tier (each service's free tier is
# named beside it; make of it what the account has). Read 2026-12-02; where a figure could not be
# read from AWS's own page here, the comment says what it rests on. Recheck before quoting.
REGION = "us-east-1"
PRICES_READ = "2026-12-02"
PRICES = {
    # DynamoDB on-demand, standard table class, since the 1 Nov 2024 cut (half the old $0.25 and
    # $1.25): aws.amazon.com/dynamodb/pricing/on-demand/ as quoted by airbyte.com (Jul 2025) and
    # jusdb.com (Aug 2025). Free tier: 25 GB storage (always free); on-demand units: none.
    "dynamodb_rru": 0.125 / 1e6,
    "dynamodb_wru": 0.625 / 1e6,
    "dynamodb_storage_gb_month": 0.25,
    "dynamodb_pitr_gb_month": 0.20,  # continuous backups (PointInTimeRecoveryEnabled: true)
    # Lambda, arm64, first 7.5 billion GB-s a month (aws.amazon.com/lambda/pricing/). Billed per
    # ms, rounded up; provided.al2023 functions are billed for their init too. Free tier: 1M
    # requests and 400,000 GB-s a month.
    "lambda_gb_s": 0.0000133334,
    "lambda_request": 0.20 / 1e6,
    # API Gateway HTTP API, first 300M requests a month, per 512 KB of request+response
    # (aws.amazon.com/api-gateway/pricing/). Free tier: 1M a month for 12 months.
    "http_api_request": 1.00 / 1e6,
    # KMS (aws.amazon.com/kms/pricing/): $1 a key-month, plus $1 a month for each rotated backing
    # key, the first and second rotation only since May 2024 (annual rotation: $1, $2, then $3 a
    # month); symmetric requests $0.03 per 10,000. Free tier: 20,000 requests a month.
    "kms_key_month": 1.00,
    "kms_rotation_month": 1.00,
    "kms_request": 0.03 / 10_000,
    # Secrets Manager (aws.amazon.com/secrets-manager/pricing/): $0.40 a secret-month, $0.05 per
    # 10,000 API calls. Free tier: 30 days for a new secret.
    "secret_month": 0.40,
    "secrets_request": 0.05 / 10_000,
    # X-Ray (aws.amazon.com/xray/pricing/): $5.00 per million traces recorded (Tracing: Active).
    # Free tier: 100,000 traces a month.
    "xray_trace": 5.00 / 1e6,
    # CloudWatch (aws.amazon.com/cloudwatch/pricing/): Logs ingestion $0.50/GB, storage
    # $0.03/GB-month; a standard-resolution alarm $0.10 a month per metric it reads (a metric
    # math alarm: each metric in it); a dashboard $3 a month. Free tier: 5 GB of logs, 10 alarm
    # metrics, 3 dashboards.
    "logs_ingest_gb": 0.50,
    "logs_store_gb_month": 0.03,
    "alarm_metric_month": 0.10,
    "dashboard_month": 3.00,
    # SMS to US numbers through SNS (AWS End User Messaging SMS): $0.00581 a message part (the
    # figure the issue quotes; AWS's page could not be read here), plus the carriers' pass-through
    # fees, $0.0035-0.0045 a part in 2026 (help.textvolt.com, May 2026): $0.004 taken.
    "sms_part": 0.00581,
    "sms_carrier_fee": 0.004,
    # Cognito user pools, Essentials plan: $0.015 per MAU above a free tier of 10,000 MAUs per
    # account (aws.amazon.com/cognito/pricing/, as transcribed by api-evangelist, 2026-09-20).
    # Its SMS go through SNS and are billed as above.
    "cognito_essentials_mau": 0.015,
    "cognito_essentials_free_maus": 10_000,
}

# --------------------------------------------------------------------------- the pattern
ACTIVE_USERS = 1_000
# Per active user per month: (operation, calls, why). An operation may appear twice.
PATTERN = [
    ("authenticate (password, OTP MFA)", 20, "30 MFA logins: 20 with an authenticator app,"),
    ("authenticate (passcode, OTP)", 20, "(the second step of each)"),
    ("authenticate (password, SMS MFA)", 8, "8 with a texted passcode,"),
    ("authenticate (passcode, SMS)", 8, ""),
    ("authenticate (password, WebAuthn MFA)", 2, "2 with a security key"),
    ("authenticate (WebAuthn)", 2, ""),
    ("authenticate (password, OTP MFA)", 0.1, "one recovery-code login in ten months"),
    ("authenticate (passcode, bypass code)", 0.1, ""),
    ("validate-token", 60, "services validate each login's token twice (they cache the answer)"),
    ("revoke-token", 10, "a third of the sessions end with a logout"),
    ("get-user", 1, "the console: the user's page once,"),
    ("list-devices", 2, "the devices twice"),
    ("add-otp-device", 1, "device changes: a new authenticator app every month (added, verified,"),
    ("verify-otp-device", 1, ""),
    ("delete-otp-device", 1, "the old one deleted),"),
    ("delete-mobile-phone", 0.25, "a new phone number every four months (old deleted, new added"),
    ("add-mobile-phone", 0.25, ""),
    ("send-verification-code", 0.25, "and verified by SMS),"),
    ("verify-mobile-phone", 0.25, ""),
    ("add-webauthn-device", 0.1, "a security key replaced every ten months"),
    ("verify-webauthn-device", 0.1, ""),
    ("delete-webauthn-device", 0.1, ""),
    ("generate-bypass-codes", 1, "ten new recovery codes a month"),
]
# Not per user: 10 services, each logging in with its password (MFA off) once a day.
FIXED_CALLS = [("authenticate (password, MFA off)", 300, "10 service accounts log in daily")]
# An HTTP API access log line (the template's format, filled in): about this many bytes.
ACCESS_LOG_BYTES = 250
# Lambda's own lines per invocation (START, END, REPORT with the X-Ray trace id), text format.
PLATFORM_LOG_LINES, PLATFORM_LOG_BYTES = 3, 400
# CloudWatch Logs counts 26 bytes of metadata per event.
LOG_EVENT_OVERHEAD = 26
# DynamoDB storage: 100 bytes of index overhead per item; tokens live TOKEN_TTL (1 day) and TTL
# deletes them within about two days after: ~3 days of logins' tokens are stored at any time.
ITEM_OVERHEAD, TOKEN_DAYS_STORED = 100, 3

REPS = int(os.environ.get("COST_REPS", "3"))
API = os.environ["LOCAL_API_URL"]
METERS = {"dynamodb": os.environ["AWS_ENDPOINT_URL_DYNAMODB"], "sns": os.environ["EMULATOR_URL"]}
TABLE = os.environ["TABLE_NAME"]
BIN = os.environ["COST_BIN"]
LOG = os.environ["COST_LOG"]
PASSWORD = "Cost-model-password-1"


def say(msg):
    print(f"==> {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- the meter


def meter_next():
    return {name: _get(url + "/_meter?since=1000000000")["next"] for name, url in METERS.items()}


def meter_since(marks):
    out = []
    for name, url in METERS.items():
        out += _get(f"{url}/_meter?since={marks[name]}")["records"]
    return out


def _get(url):
    with urllib.request.urlopen(url, timeout=60) as answer:
        return json.loads(answer.read())


def calibrate():
    """The meter against the Developer Guide's worked examples ("Item sizes and capacity unit
    consumption"; "Transactions: capacity management"). Returns the checks, each passed."""
    db = boto3.client("dynamodb", endpoint_url=METERS["dynamodb"], region_name=REGION,
                      aws_access_key_id="test", aws_secret_access_key="test")
    table = f"meter-check-{uuid.uuid4().hex[:8]}"
    db.create_table(TableName=table, BillingMode="PAY_PER_REQUEST",
                    KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"},
                               {"AttributeName": "SK", "KeyType": "RANGE"}],
                    AttributeDefinitions=[{"AttributeName": "PK", "AttributeType": "S"},
                                          {"AttributeName": "SK", "AttributeType": "S"}])

    def item(pk, sk, size):  # an item of exactly `size` bytes by the size rule
        pad = size - len("PK") - len(pk) - len("SK") - len(sk) - len("pad")
        return {"PK": {"S": pk}, "SK": {"S": sk}, "pad": {"S": "x" * pad}}

    def key(pk, sk):
        return {"PK": {"S": pk}, "SK": {"S": sk}}

    def units(action):
        marks = meter_next()
        try:
            action()
        except db.exceptions.ConditionalCheckFailedException:
            pass  # (a check that fails on purpose)
        recs = [r for r in meter_since(marks) if r["service"] == "DynamoDB"]
        return sum(r["rru"] for r in recs), sum(r["wru"] for r in recs)

    def put(pk, sk, size):
        return lambda: db.put_item(TableName=table, Item=item(pk, sk, size))

    def nothing():
        return None

    # (what, expected (RRU, WRU), set-up (not metered), the metered request)
    checks = [
        ("PutItem of a new 1.5 KB item", (0, 2), nothing, put("a", "1", 1536)),
        ("GetItem of a 3.5 KB item, strongly consistent", (1, 0), put("a", "2", 3584),
         lambda: db.get_item(TableName=table, Key=key("a", "2"), ConsistentRead=True)),
        ("GetItem of the same, eventually consistent", (0.5, 0), nothing,
         lambda: db.get_item(TableName=table, Key=key("a", "2"))),
        ("GetItem of a missing item, strongly consistent", (1, 0), nothing,
         lambda: db.get_item(TableName=table, Key=key("a", "none"), ConsistentRead=True)),
        ("Query of 1.5 KB + 3.5 KB, strongly consistent (5 KB: 8 KB)", (2, 0), nothing,
         lambda: db.query(TableName=table, KeyConditionExpression="PK = :p",
                          ExpressionAttributeValues={":p": {"S": "a"}}, ConsistentRead=True)),
        ("UpdateItem shrinking a 1.5 KB item to 0.1 KB (the larger counts)", (0, 2), nothing,
         lambda: db.update_item(TableName=table, Key=key("a", "1"),
                                UpdateExpression="SET #p = :v",
                                ExpressionAttributeNames={"#p": "pad"},
                                ExpressionAttributeValues={":v": {"S": "x" * 90}})),
        ("PutItem failing its condition on a 2.5 KB item", (0, 3), put("b", "1", 2560),
         lambda: db.put_item(TableName=table, Item=item("b", "1", 100),
                             ConditionExpression="attribute_not_exists(PK)")),
        ("DeleteItem of a missing item", (0, 1), nothing,
         lambda: db.delete_item(TableName=table, Key=key("b", "none"))),
        ("TransactWriteItems of three 500-byte items (the guide's 6)", (0, 6), nothing,
         lambda: db.transact_write_items(TransactItems=[
             {"Put": {"TableName": table, "Item": item("c", str(i), 500)}} for i in range(3)])),
        ("TransactWriteItems: a ConditionCheck on a 500-byte item + a 1.5 KB Put", (0, 6),
         nothing, lambda: db.transact_write_items(TransactItems=[
             {"ConditionCheck": {"TableName": table, "Key": key("c", "0"),
                                 "ConditionExpression": "attribute_exists(PK)"}},
             {"Put": {"TableName": table, "Item": item("c", "9", 1536)}}])),
    ]
    results = []
    for what, expected, setup, action in checks:
        setup()
        got = units(action)
        if got != expected:
            sys.exit(f"meter calibration: {what}: got {got} RRU/WRU, expected {expected}")
        results.append((what, expected))
    db.delete_table(TableName=table)
    return results


# --------------------------------------------------------------------------- the API


class Api(local_api.Api):
    def __init__(self):
        super().__init__(API, timeout=60)


def admin(*args):
    return local_api.admin(BIN, *args)


def sms_texts(e164):
    data = _get(METERS["sns"] + "/moto-api/data.json")
    return [m["message"] for m in data.get("sns", {}).get("SMS", []) if m["phone_number"] == e164]


def totp_at(secret, step):
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 10**6:06d}"


class Otp:
    """An authenticator app: each code once, in increasing steps (the service refuses a step at
    or below the last it accepted; it takes one step either side of now)."""

    def __init__(self, key_uri):
        self.secret = urllib.parse.parse_qs(urllib.parse.urlparse(key_uri).query)["secret"][0]
        self.last = 0

    def code(self):
        step = max(int(time.time()) // 30 - 1, self.last + 1)
        while step > int(time.time()) // 30 + 1:
            time.sleep(1)
        self.last = step
        return totp_at(self.secret, step)


_lines = iter(range(1, 10**4))


def new_number():
    return f"+1 210-401-{next(_lines):04d}"


def session_of(resp):
    return re.search(r"sessionId='([^']+)'", resp.getheader("www-authenticate")).group(1)


class Person:
    """A user made with mfa-admin, set up as the pattern assumes (full: a verified phone, an
    authenticator app, a security key and ten recovery codes; else a verified phone only), MFA
    on with `factor` if `enable`; `token` from its latest login."""

    def __init__(self, api, domain, factor, origin, role="identity:default", full=True,
                 enable=True):
        self.api, self.factor, self.origin = api, factor, origin
        self.name = f"cost-{uuid.uuid4().hex[:12]}"
        self.id = admin("create-user", "--username", self.name, "--password", PASSWORD,
                        "--role", role, "--domain", domain)["id"]
        self.mf = f"/v2.0/users/{self.id}/RAX-AUTH/multi-factor"
        self.e164 = None
        self.token = self.password_step(expect=200)[1]["access"]["token"]["id"]
        self.phone_id, self.e164 = self.add_phone()
        self.verify_phone(self.phone_id, self.send_code(self.phone_id, self.e164))
        if full:
            self.otp_id, self.otp = self.add_otp()
            self.webauthn_id, self.key = self.add_webauthn()
        if enable:
            self.enable()
        if full and enable:
            self.codes = self.bypass_codes()  # (MFA must be on)

    def enable(self):
        """MFA on with the factor, then an MFA login (turning MFA on revokes the tokens)."""
        self.api.call("PUT", self.mf, self.token, {"RAX-AUTH:multiFactor": {
            "enabled": True, "factorType": self.factor}}, expect=204)
        self.token = self.login()

    # ---- devices (self-service, with the user's own token)

    def add_phone(self):
        _, doc = self.api.call("POST", f"{self.mf}/mobile-phones", self.token,
                               {"RAX-AUTH:mobilePhone": {"number": new_number()}}, expect=201)
        phone = doc["RAX-AUTH:mobilePhone"]
        return phone["id"], "+" + re.sub(r"\D", "", phone["number"])

    def send_code(self, phone_id, e164):
        seen = len(sms_texts(e164))
        self.api.call("POST", f"{self.mf}/mobile-phones/{phone_id}/verificationcode", self.token,
                      expect=202)
        return next_sms(e164, seen)

    def verify_phone(self, phone_id, pin):
        self.api.call("POST", f"{self.mf}/mobile-phones/{phone_id}/verify", self.token,
                      {"RAX-AUTH:verificationCode": {"code": pin}}, expect=204)

    def add_otp(self, verify=True):
        _, doc = self.api.call("POST", f"{self.mf}/otp-devices", self.token,
                               {"RAX-AUTH:otpDevice": {"name": "phone app"}}, expect=201)
        device = doc["RAX-AUTH:otpDevice"]
        otp = Otp(device["keyUri"])
        if verify:
            self.verify_otp(device["id"], otp)
        return device["id"], otp

    def verify_otp(self, device_id, otp):
        self.api.call("POST", f"{self.mf}/otp-devices/{device_id}/verify", self.token,
                      {"RAX-AUTH:verificationCode": {"code": otp.code()}}, expect=204)

    def begin_webauthn(self):
        _, doc = self.api.call("POST", f"{self.mf}/webauthn-devices", self.token,
                               {"RAX-AUTH:webAuthnDevice": {"name": "security key"}}, expect=201)
        return doc["RAX-AUTH:webAuthnDevice"]

    def verify_webauthn(self, device, key):
        self.api.call("POST", f"{self.mf}/webauthn-devices/{device['id']}/verify", self.token,
                      {"RAX-AUTH:webAuthnCredential": key.register(device["publicKey"])},
                      expect=204)

    def add_webauthn(self):
        key = SoftKey(self.origin)
        device = self.begin_webauthn()
        self.verify_webauthn(device, key)
        return device["id"], key

    def bypass_codes(self):
        _, doc = self.api.call("POST", f"{self.mf}/bypass-codes", self.token, {
            "RAX-AUTH:bypassCodes": {"numberOfCodes": 10, "validityDuration": "P30D"}},
            expect=200)
        return doc["RAX-AUTH:bypassCodes"]["codes"]

    # ---- logins

    def password_step(self, expect=401):
        """(answer, document, SMS to the phone so far): the first step."""
        before = len(sms_texts(self.e164)) if self.e164 else 0
        resp, doc = self.api.call("POST", "/v2.0/tokens", body={"auth": {"passwordCredentials": {
            "username": self.name, "password": PASSWORD}}}, expect=expect)
        return resp, doc, before

    def second_step(self, resp, doc, before, with_bypass=False):
        """The second step of the factor (or with a recovery code); returns the token."""
        session = {"X-SessionId": session_of(resp)}
        if with_bypass:
            auth = {"RAX-AUTH:passcodeCredentials": {"passcode": self.codes.pop()}}
        elif self.factor == "SMS":
            auth = {"RAX-AUTH:passcodeCredentials": {"passcode": next_sms(self.e164, before)}}
        elif self.factor == "OTP":
            auth = {"RAX-AUTH:passcodeCredentials": {"passcode": self.otp.code()}}
        else:
            auth = {"RAX-AUTH:webAuthnCredentials": self.key.assertion(
                doc["RAX-AUTH:webAuthnOptions"]["publicKey"])}
        _, doc = self.api.call("POST", "/v2.0/tokens", body={"auth": auth}, headers=session,
                               expect=200)
        return doc["access"]["token"]["id"]

    def login(self):
        return self.second_step(*self.password_step())


def next_sms(e164, seen):
    """The code in the first text to `e164` after the `seen` it had."""
    for _ in range(200):
        texts = sms_texts(e164)
        if len(texts) > seen:
            return texts[seen].split()[-1]
        time.sleep(0.05)
    sys.exit(f"no SMS to {e164}")


# --------------------------------------------------------------------------- measurement


class Metered:
    """Runs operations alone and keeps, per run, what the meter and the functions' log saw."""

    def __init__(self, functions):
        self.functions = set(functions)
        self.runs = {}  # operation -> [{"records": [...], "log_bytes": n, "log_lines": n}]

    def __call__(self, operation, action):
        """`action()`, metered as one call of `operation`; returns what it returns."""
        marks = meter_next()
        log_at = os.path.getsize(LOG)
        result = action()
        time.sleep(0.05)  # the function's last log lines
        records = meter_since(marks)
        with open(LOG, "rb") as f:
            f.seek(log_at)
            new = f.read().decode(errors="replace").splitlines()
        lines = [rest for source, _, rest in (line[1:].partition("] ") for line in new)
                 if source in self.functions]
        self.runs.setdefault(operation, []).append({
            "records": records, "log_bytes": sum(len(x.encode()) + 1 for x in lines),
            "log_lines": len(lines)})
        return result


def measure(api, functions):
    m = Metered(functions)
    origin = "http://localhost:" + API.rsplit(":", 1)[1]
    domain = f"cost-{uuid.uuid4().hex[:8]}"
    say("setting up the pattern's users: OTP, SMS and WebAuthn MFA, every device each")
    otp, sms, wa = (Person(api, domain, f, origin) for f in ("OTP", "SMS", "WEBAUTHN"))
    validator = f"cost-{uuid.uuid4().hex[:12]}"
    admin("create-user", "--username", validator, "--password", PASSWORD, "--role",
          "identity:default", "--role", "identity:validate-token", "--domain", domain)
    service_login = {"auth": {"passwordCredentials": {"username": validator,
                                                      "password": PASSWORD}}}
    service_token = api.call("POST", "/v2.0/tokens", body=service_login,
                             expect=200)[1]["access"]["token"]["id"]

    say(f"logins, {REPS} of each (OTP codes come one per 30 s: this waits)")
    for _ in range(REPS):
        m("authenticate (password, MFA off)",
          lambda: api.call("POST", "/v2.0/tokens", body=service_login, expect=200))
        for person, first, second in (
                (otp, "authenticate (password, OTP MFA)", "authenticate (passcode, OTP)"),
                (sms, "authenticate (password, SMS MFA)", "authenticate (passcode, SMS)"),
                (wa, "authenticate (password, WebAuthn MFA)", "authenticate (WebAuthn)")):
            challenge = m(first, person.password_step)
            token = m(second, lambda: person.second_step(*challenge))
            m("validate-token", lambda: api.call("GET", f"/v2.0/tokens/{token}", service_token,
                                                 expect=200))
            m("revoke-token", lambda: api.call("DELETE", "/v2.0/tokens", token, expect=204))
        challenge = otp.password_step()
        m("authenticate (passcode, bypass code)",
          lambda: otp.second_step(*challenge, with_bypass=True))

    say("the console's reads and the device changes: self-service, an OTP user's own token")
    p = otp  # SMS is not its factor, so its phone can be replaced
    for _ in range(REPS):
        for op, path in (("get-user", f"/v2.0/users/{p.id}"),
                         ("list-devices", f"{p.mf}/devices"),
                         ("list-otp-devices", f"{p.mf}/otp-devices"),
                         ("get-otp-device", f"{p.mf}/otp-devices/{p.otp_id}"),
                         ("list-mobile-phones", f"{p.mf}/mobile-phones"),
                         ("get-mobile-phone", f"{p.mf}/mobile-phones/{p.phone_id}"),
                         ("list-webauthn-devices", f"{p.mf}/webauthn-devices"),
                         ("get-webauthn-device", f"{p.mf}/webauthn-devices/{p.webauthn_id}")):
            m(op, lambda: api.call("GET", path, p.token, expect=200))
        device_id, app = m("add-otp-device", lambda: p.add_otp(verify=False))
        m("verify-otp-device", lambda: p.verify_otp(device_id, app))
        m("delete-otp-device", lambda: api.call("DELETE", f"{p.mf}/otp-devices/{device_id}",
                                                p.token, expect=204))
        m("delete-mobile-phone", lambda: api.call("DELETE", f"{p.mf}/mobile-phones/{p.phone_id}",
                                                  p.token, expect=204))
        p.phone_id, p.e164 = m("add-mobile-phone", p.add_phone)
        pin = m("send-verification-code", lambda: p.send_code(p.phone_id, p.e164))
        m("verify-mobile-phone", lambda: p.verify_phone(p.phone_id, pin))
        key = SoftKey(origin)
        device = m("add-webauthn-device", p.begin_webauthn)
        m("verify-webauthn-device", lambda: p.verify_webauthn(device, key))
        m("delete-webauthn-device", lambda: api.call(
            "DELETE", f"{p.mf}/webauthn-devices/{device['id']}", p.token, expect=204))
        p.codes = m("generate-bypass-codes", p.bypass_codes)

    say("the rest of the API: a user-admin (SMS MFA) on its domain and a plain user")
    ua = Person(api, domain, "SMS", origin, role="identity:user-admin", full=False)
    k = Person(api, domain, "SMS", origin, full=False, enable=False)
    keys = f"/v2.0/users/{k.id}/OS-KSADM/credentials/RAX-KSKEY:apiKeyCredentials"
    for _ in range(REPS):
        m("get-domain", lambda: api.call("GET", f"/v2.0/RAX-AUTH/domains/{domain}", ua.token,
                                         expect=200))
        m("update-domain-enforcement", lambda: api.call(
            "PUT", f"/v2.0/RAX-AUTH/domains/{domain}/multi-factor", ua.token,
            {"RAX-AUTH:multiFactorDomain": {"domainMultiFactorEnforcementLevel": "OPTIONAL"}},
            expect=204))
        _, doc = m("reset-api-key", lambda: api.call("POST", f"{keys}/RAX-AUTH/reset", ua.token,
                                                     expect=200))
        api_key = doc["RAX-KSKEY:apiKeyCredentials"]["apiKey"]
        m("get-api-key", lambda: api.call("GET", keys, ua.token, expect=200))
        _, doc = m("authenticate (API key)", lambda: api.call("POST", "/v2.0/tokens", body={
            "auth": {"RAX-KSKEY:apiKeyCredentials": {"username": k.name, "apiKey": api_key}}},
            expect=200))
        key_token = doc["access"]["token"]["id"]
        m("authenticate (token)", lambda: api.call("POST", "/v2.0/tokens", body={"auth": {
            "token": {"id": key_token}, "tenantId": domain}}, expect=200))
        m("list-tenants", lambda: api.call("GET", "/v2.0/tenants", key_token, expect=200))
        m("delete-api-key", lambda: api.call("DELETE", keys, ua.token, expect=204))
        r = Person(api, domain, "SMS", origin, full=False, enable=False)
        m("update-multi-factor", lambda: api.call("PUT", r.mf, r.token, {
            "RAX-AUTH:multiFactor": {"enabled": True}}, expect=204))
        r.token = r.login()
        m("delete-multi-factor", lambda: api.call("DELETE", r.mf, r.token, expect=204))
        m("not-found", lambda: api.call("GET", "/v2.0/no-such-thing", expect=404))
        m("console", lambda: api.call("GET", "/console", headers={"Accept": "text/html"},
                                      expect=200))

    storage = _get(f"{METERS['dynamodb']}/_meter/storage?table={TABLE}")["partitions"]
    return m.runs, storage, (otp, sms, wa)


# --------------------------------------------------------------------------- what the files say


def template_facts():
    """From template.yaml (and data.yaml, the stateful stack, where it exists): each function's
    memory size and whether it may read the pepper from Secrets Manager; the alarms' metrics; the
    KMS keys (and whether they rotate) and secrets; the log retention."""
    text = open(os.path.join(ROOT, "template.yaml")).read()
    data_path = os.path.join(ROOT, "data.yaml")
    texts = [text] + ([open(data_path).read()] if os.path.exists(data_path) else [])
    top = re.search(r"^Globals:\n(.*?)^\S", text, re.M | re.S).group(1)
    default_mb = int(re.search(r"^\s+MemorySize:\s*(\d+)", top, re.M).group(1))
    functions, alarm_metrics, dashboards, keys, rotating, secrets = {}, 0, 0, 0, 0, 0
    for t in texts:
        resources = t.split("\nResources:\n", 1)[1]
        for block in re.split(r"^(?=  [A-Za-z0-9]+:\s*$)", resources, flags=re.M):
            kind = re.search(r"^\s+Type:\s*(AWS::\S+)", block, re.M)
            kind = kind.group(1) if kind else ""
            if kind == "AWS::Serverless::Function":
                binary = re.search(r"^\s+Binary:\s*(\S+)", block, re.M).group(1)
                mb = re.search(r"^\s{6}MemorySize:\s*(\d+)", block, re.M)
                functions[binary] = {"mb": int(mb.group(1)) if mb else default_mb,
                                     "pepper": "secretsmanager:GetSecretValue" in block}
            elif kind == "AWS::CloudWatch::Alarm":
                alarm_metrics += max(1, block.count("MetricName:"))
            elif kind == "AWS::CloudWatch::Dashboard":
                dashboards += 1
            elif kind == "AWS::KMS::Key":
                keys += 1
                rotating += "EnableKeyRotation: true" in block
            elif kind == "AWS::SecretsManager::Secret":
                secrets += 1
    retention = re.search(r"^  LogRetentionDays:\n(?:\s{4}.*\n)*?\s{4}Default:\s*(\d+)", text, re.M)
    return {"functions": functions, "alarm_metrics": alarm_metrics, "dashboards": dashboards,
            "kms_keys": keys,
            "rotating_keys": rotating, "secrets": secrets,
            "log_retention_days": int(retention.group(1)) if retention else 30,
            "sources": ["template.yaml"] + (["data.yaml"] if len(texts) > 1 else [])}


def markdown_table(path, first_header):
    """The rows of the table in `path` whose header row starts with `first_header`: a list of
    {header: cell}."""
    lines = open(path).read().splitlines()
    for i, line in enumerate(lines):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and cells[0] == first_header:
            rows = []
            for row in lines[i + 2:]:
                if not row.startswith("|"):
                    break
                values = (c.strip() for c in row.strip().strip("|").split("|"))
                rows.append(dict(zip(cells, values)))
            return rows
    sys.exit(f"{path}: no table starting with {first_header!r}")


def measured_durations():
    """bench/results.md's warm p50 per operation; bench/memory.md's two warm paths per size and
    every function's cold first response per size."""
    results = {r["operation"]: float(r["p50 ms"])
               for r in markdown_table(os.path.join(ROOT, "bench", "results.md"), "operation")}
    memory_md = os.path.join(ROOT, "bench", "memory.md")
    paths = {}
    for row in markdown_table(memory_md, "path"):
        name = "password" if row["path"].startswith("authenticate, password step") else \
            "io" if row["path"].startswith("get-user (") else None
        if name:
            paths[name] = {int(h.split()[0]): float(v) for h, v in row.items() if h.endswith(" MB")}
    cold = {}
    for row in markdown_table(memory_md, "function"):
        # "-": a function added since the last `make bench-memory`, not measured yet.
        figures = {int(h.split()[0]): float(v.split()[0]) for h, v in row.items()
                   if h.endswith(" MB") and h != "chosen MB" and v.strip() != "-"}
        if figures:
            cold[row["function"]] = figures
    return results, paths, cold


def at_size(table, mb):
    """The figure at `mb`, or at the nearest measured size."""
    return table[min(table, key=lambda size: abs(size - mb))]


# Which bench/results.md row times each operation (its warm p50, relative to its anchor's) and
# the anchor measured per memory size in bench/memory.md: the password step for the steps that
# run Argon2id, get-user for everything else (they wait on DynamoDB).
TIMED_AS = {
    "authenticate (password, MFA off)": ("authenticate (password)", "password"),
    "authenticate (password, SMS MFA)": ("authenticate (password, MFA on)", "password"),
    "authenticate (password, OTP MFA)": ("authenticate (password, MFA on)", "password"),
    "authenticate (password, WebAuthn MFA)": ("authenticate (password, MFA on)", "password"),
    "authenticate (passcode, SMS)": ("authenticate (passcode)", "io"),
    "authenticate (passcode, OTP)": ("authenticate (passcode)", "io"),
    "authenticate (passcode, bypass code)": ("authenticate (passcode)", "io"),
}
ANCHOR_ROW = {"password": "authenticate (password)", "io": "get-user"}


def function_of(operation):
    return operation.split(" (")[0]


def duration(operation, mb, results, paths):
    """(warm ms at `mb`, how it was obtained)."""
    row, anchor = TIMED_AS.get(operation, (operation, "io"))
    base = at_size(paths[anchor], mb)
    ratio = results[row] / results[ANCHOR_ROW[anchor]]
    what = "password step" if anchor == "password" else "get-user"
    how = f"{what} {base:g} ms at {mb} MB"
    if row != ANCHOR_ROW[anchor]:
        how += f" × {ratio:.2f} ({row})"
    return base * ratio, how


# --------------------------------------------------------------------------- the figures


def summarize(runs):
    """Per operation, the median over its runs of what one call consumed, and its requests."""
    out = {}
    for op, rs in runs.items():
        per = []
        for r in rs:
            recs = r["records"]
            ddb = [x for x in recs if x["service"] == "DynamoDB"]
            sms = [x for x in recs if "sms_parts" in x]
            per.append({
                "ddb": len(ddb),
                "rru": sum(x["rru"] for x in ddb),
                "wru": sum(x["wru"] for x in ddb),
                "twru": sum(x["wru"] for x in ddb if x["call"].startswith("Transact")),
                "kms": sum(x["service"] == "KMS" for x in recs),
                "secrets": sum(x["service"] == "Secrets Manager" for x in recs),
                "sms": len(sms),
                "sms_parts": sum(x["sms_parts"] for x in sms),
                "log_bytes": r["log_bytes"],
                "log_lines": r["log_lines"],
                "failed": sum(not x["ok"] for x in ddb),
            })
        summary = {k: statistics.median(p[k] for p in per) for k in per[0]}
        summary["n"] = len(per)
        summary["detail"] = describe(rs[len(rs) // 2]["records"])
        summary["approximate"] = any(x.get("approximate") for r in rs for x in r["records"])
        out[op] = summary
    return out


def describe(records):
    """One call's DynamoDB requests and their units, e.g. `GetItem 1 (0.3 KB)`."""
    parts = []
    for x in records:
        if x["service"] != "DynamoDB":
            continue
        kb = [f"{s / 1024:.1f}" for s in x.get("sizes", [])]
        if x["call"] == "Query":
            what = f"{len(kb)} items, {sum(x['sizes']) / 1024:.1f} KB"
        elif x["call"] == "TransactWriteItems":
            what = ", ".join(f"{k} {s} KB" for k, s in zip(x["kinds"], kb))
        else:
            what = f"{kb[0]} KB" if kb else ""
        units = x["rru"] or x["wru"]
        unit = "R" if x["rru"] else "W"
        flag = " failed" if x.get("failed") else ""
        parts.append(f"{x['call']} {units:g}{unit} ({what}){flag}")
    return "; ".join(parts) or "-"


def per_call_cost(s):
    """List price of one call's requests (without SMS): DynamoDB, Lambda, API, KMS, X-Ray, logs."""
    gb_s = s["mb"] / 1024 * math.ceil(s["ms"]) / 1000
    log_gb = (s["log_bytes"] + PLATFORM_LOG_BYTES + ACCESS_LOG_BYTES +
              LOG_EVENT_OVERHEAD * (s["log_lines"] + PLATFORM_LOG_LINES + 1)) / 1e9
    return (s["rru"] * PRICES["dynamodb_rru"] + s["wru"] * PRICES["dynamodb_wru"]
            + gb_s * PRICES["lambda_gb_s"] + PRICES["lambda_request"]
            + PRICES["http_api_request"] + s["kms"] * PRICES["kms_request"]
            + PRICES["xray_trace"] + log_gb * PRICES["logs_ingest_gb"])


def month(ops, facts, cold, storage_per_user):
    """The month's quantities and list prices: (lines, totals)."""
    calls = {}
    for op, n, _ in PATTERN:
        calls[op] = calls.get(op, 0) + n * ACTIVE_USERS
    for op, n, _ in FIXED_CALLS:
        calls[op] = calls.get(op, 0) + n
    q = {k: 0.0 for k in ("requests", "rru", "wru", "twru", "gb_s", "gb_s_cold", "kms",
                          "secrets_cold", "log_bytes", "sms", "sms_parts")}
    for op, n in calls.items():
        s = ops[op]
        fn = function_of(op)
        q["requests"] += n
        q["rru"] += n * s["rru"]
        q["wru"] += n * s["wru"]
        q["twru"] += n * s["twru"]
        q["gb_s"] += n * s["mb"] / 1024 * math.ceil(s["ms"]) / 1000
        q["gb_s_cold"] += n * s["mb"] / 1024 * math.ceil(at_size(cold[fn], s["mb"])) / 1000
        q["kms"] += n * s["kms"]
        q["secrets_cold"] += n * facts["functions"][fn]["pepper"]
        q["log_bytes"] += n * (s["log_bytes"] + PLATFORM_LOG_BYTES + ACCESS_LOG_BYTES +
                               LOG_EVENT_OVERHEAD * (s["log_lines"] + PLATFORM_LOG_LINES + 1))
        q["sms"] += n * s["sms"]
        q["sms_parts"] += n * s["sms_parts"]
    p = PRICES
    storage_gb = storage_per_user * ACTIVE_USERS / 1e9
    log_gb = q["log_bytes"] / 1e9
    rotations = 2 * facts["rotating_keys"]  # from the third year: two rotated backing keys
    lines = [
        ("DynamoDB reads", f"{q['rru'] / 1e6:.3f} M RRU", q["rru"] * p["dynamodb_rru"], None),
        ("DynamoDB writes", f"{q['wru'] / 1e6:.3f} M WRU ({q['twru'] / max(q['wru'], 1):.0%} "
         "transactional, counted double)", q["wru"] * p["dynamodb_wru"], None),
        ("DynamoDB storage + PITR", f"{storage_gb * 1000:.1f} MB",
         storage_gb * (p["dynamodb_storage_gb_month"] + p["dynamodb_pitr_gb_month"]), None),
        ("Lambda requests", f"{q['requests'] / 1e6:.3f} M", q["requests"] * p["lambda_request"],
         None),
        ("Lambda duration (arm64)", f"{q['gb_s']:,.0f} GB-s warm; {q['gb_s_cold']:,.0f} if every "
         "call were a cold start", q["gb_s"] * p["lambda_gb_s"], q["gb_s_cold"] * p["lambda_gb_s"]),
        ("API Gateway HTTP API", f"{q['requests'] / 1e6:.3f} M requests",
         q["requests"] * p["http_api_request"], None),
        ("KMS requests", f"{q['kms']:,.0f}", q["kms"] * p["kms_request"], None),
        ("KMS key", f"{facts['kms_keys']} key, rotated yearly: $1 a month, $2 in the second "
         "year, $3 from the third", facts["kms_keys"] * p["kms_key_month"],
         facts["kms_keys"] * p["kms_key_month"] + rotations * p["kms_rotation_month"]),
        ("Secrets Manager", f"{facts['secrets']} secret; GetSecretValue once per cold start "
         f"(≤ {q['secrets_cold']:,.0f})", facts["secrets"] * p["secret_month"],
         facts["secrets"] * p["secret_month"] + q["secrets_cold"] * p["secrets_request"]),
        ("X-Ray traces", f"{q['requests'] / 1e6:.3f} M (all sampled at this rate)",
         q["requests"] * p["xray_trace"], None),
        ("CloudWatch Logs", f"{log_gb * 1000:.0f} MB ingested, kept "
         f"{facts['log_retention_days']} days",
         log_gb * (p["logs_ingest_gb"] +
                   p["logs_store_gb_month"] * facts["log_retention_days"] / 30), None),
        ("CloudWatch alarms and dashboard", f"{facts['alarm_metrics']} alarm metrics, "
         f"{facts['dashboards']} dashboard",
         facts["alarm_metrics"] * p["alarm_metric_month"] +
         facts["dashboards"] * p["dashboard_month"], None),
    ]
    low = sum(c for _, _, c, _ in lines)
    high = sum(c if hi is None else hi for _, _, c, hi in lines)
    sms_cost = q["sms_parts"] * (p["sms_part"] + p["sms_carrier_fee"])
    return lines, {"low": low, "high": high, "sms": q["sms"], "sms_parts": q["sms_parts"],
                   "sms_cost": sms_cost, "requests": q["requests"], "calls": calls}


# --------------------------------------------------------------------------- the report


def money(x):
    return f"${x:,.2f}" if x >= 0.995 or x == 0 else f"${x:.3f}" if x >= 0.001 else f"${x:.5f}"


def storage_per_user(storage, people):
    """Bytes stored per pattern user, with DynamoDB's 100 bytes an item: the user's partition,
    its username item, its security key's credential reservation, and TOKEN_DAYS_STORED days of
    login tokens."""
    def avg(prefix):
        sizes = [(n, b) for pk, (n, b) in storage.items() if pk.startswith(prefix)]
        return sum(b + ITEM_OVERHEAD * n for n, b in sizes) / max(1, sum(n for n, _ in sizes))
    own = [storage[f"USER#{p.id}"] for p in people]
    partition = sum(b + ITEM_OVERHEAD * n for n, b in own) / len(own)
    logins_a_day = sum(n for op, n, _ in PATTERN if op.startswith("authenticate (password")) / 30
    return partition + avg("USERNAME#") + avg("WEBAUTHNCRED#") + \
        TOKEN_DAYS_STORED * logins_a_day * avg("TOKEN#")


def report(ops, checks, facts, lines, totals, per_user_bytes):
    p = PRICES
    out = []
    w = out.append
    w("# What it costs\n")
    w(f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: every operation run alone "
      f"{REPS} time{'s' if REPS > 1 else ''} (medians) through `tools/local-api` (debug "
      "builds) against the emulator, "
      "whose meter (scripts/emulator.py, `EMULATOR_METER=1`) prices each DynamoDB request in "
      "request units from the items it reads and writes. Reproduce: `make bench-cost`.\n")
    w(f"Prices: {REGION}, list prices read {PRICES_READ} (the constants at the top of "
      "bench/cost.py, each with its source), **without free tiers** (Lambda's 1M requests and "
      "400,000 GB-s, KMS's 20,000 requests, X-Ray's 100,000 traces, 5 GB of logs and 10 alarm "
      "metrics a month would cover most of this workload's request charges).\n")

    w("## Per operation\n")
    w("Memory: each function's `MemorySize` in " + " and ".join(facts["sources"]) + ". Warm ms: "
      "bench/memory.md's warm p50 at that size of the password step (Argon2id) for the "
      "password steps, of get-user for everything else, times the operation's warm p50 over "
      "the anchor's in bench/results.md (the last column says which). Those are loopback "
      "figures with moto answering; in AWS DynamoDB's own latency replaces moto's. Lambda bills "
      "the ms rounded up. Every call is one HTTP API request, one Lambda request and one X-Ray "
      "trace. $ per 1M calls: DynamoDB, Lambda, HTTP API, KMS, X-Ray and log ingestion at list "
      "price, without SMS.\n")
    w("| operation | function | MB | DynamoDB requests | RRU | WRU (transactional) | KMS | SMS "
      "parts | warm ms | GB-s | $ per 1M calls | warm ms from |")
    w("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for op, s in ops.items():
        gb_s = s["mb"] / 1024 * math.ceil(s["ms"]) / 1000
        w(f"| {op} | {function_of(op)} | {s['mb']} | {s['ddb']:g} | {s['rru']:g} | {s['wru']:g} "
          f"({s['twru']:g}) | {s['kms']:g} | {s['sms_parts']:g} | {s['ms']:.1f} | {gb_s:.4f} | "
          f"{per_call_cost(s) * 1e6:.2f} | {s['how']} |")
    w("")
    w("The users are set up as the pattern assumes: a verified phone, an authenticator app, a "
      "security key and ten recovery codes each, MFA on; the console's reads and the device "
      "changes are self-service (the user's own token from an MFA login: its token and "
      "partition, no domain read). The user-admin rows (domain, API keys) are a user-admin with "
      "SMS MFA acting in its domain, as bench/bench.py does. bench/results.md counts requests for "
      "an administrator acting on another user, hence a request more in some rows there.\n")

    w("## A month of 1,000 active users\n")
    w("Per active user per month (the pattern is an assumption; bench/cost.py's `PATTERN`):\n")
    w("| operation | per user | per month | |")
    w("|---|---:|---:|---|")
    for op, n, why in PATTERN:
        w(f"| {op} | {n:g} | {n * ACTIVE_USERS:,.0f} | {why} |")
    for op, n, why in FIXED_CALLS:
        w(f"| {op} | - | {n:,} | {why} |")
    w(f"\nIn all {totals['requests']:,.0f} API calls a month "
      f"({totals['requests'] / ACTIVE_USERS:.0f} per user), {totals['sms']:,.0f} SMS.\n")
    w("| item | quantity | $ a month | upper bound |")
    w("|---|---|---:|---:|")
    for name, what, cost, high in lines:
        w(f"| {name} | {what} | {money(cost)} | {money(high) if high is not None else ''} |")
    w(f"| **total, without SMS** | | **{money(totals['low'])}** | **{money(totals['high'])}** |")
    w(f"| per active user | | {money(totals['low'] / ACTIVE_USERS)} | "
      f"{money(totals['high'] / ACTIVE_USERS)} |")
    monitoring = sum(c for name, _, c, _ in lines if name.startswith("CloudWatch alarms"))
    w(f"| total without the alarms and dashboard | | {money(totals['low'] - monitoring)} | "
      f"{money(totals['high'] - monitoring)} |")
    w("")
    w("The first column has every call meet a warm function and the first year's key; the upper "
      "bound has every call start a cold one (billed init + first response at its size, "
      "bench/memory.md, and a Secrets Manager read of the pepper by the functions that use it) "
      f"and the third year's key. At about {totals['requests'] / (30 * 24 * 60):.0f} calls a "
      f"minute spread over {len(facts['functions'])} functions many calls will be cold: the "
      "truth is between. Storage counts per user its partition, username, "
      f"security key reservation and {TOKEN_DAYS_STORED} days of login tokens "
      f"({per_user_bytes / 1024:.1f} KB with DynamoDB's 100 bytes an item). Logs: the bytes the "
      f"functions wrote at the template's log level, plus about {PLATFORM_LOG_BYTES} bytes of "
      f"Lambda's START/END/REPORT lines and a {ACCESS_LOG_BYTES}-byte access log line per call, "
      f"{LOG_EVENT_OVERHEAD} bytes per event. Not counted: data transfer out (a few KB a "
      "call), CloudTrail, the deployment bucket.\n")

    w("### SMS, apart\n")
    fits = "every text measured fits one" if totals["sms_parts"] == totals["sms"] else \
        "some texts take two"
    w(f"{totals['sms']:,.0f} SMS a month ({totals['sms_parts']:,.0f} message parts: {fits}) × "
      f"(${p['sms_part']} + ${p['sms_carrier_fee']} carrier fee) = "
      f"**{money(totals['sms_cost'])}** a month, {money(totals['sms_cost'] / ACTIVE_USERS)} per "
      "user: more than everything else together. US senders also need an origination "
      "identity (a toll-free or 10DLC number: a monthly lease and a one-off registration), not "
      "counted. Each login moved from SMS to an authenticator app saves a text.\n")

    w("## Beside Cognito Essentials\n")
    cognito_list = ACTIVE_USERS * p["cognito_essentials_mau"]
    keys = sum(c for name, _, c, _ in lines if name in ("KMS key", "Secrets Manager"))
    variable = (totals["low"] - keys - monitoring) / ACTIVE_USERS

    def even(fixed):
        return f"{fixed / max(p['cognito_essentials_mau'] - variable, 1e-9):,.0f}"

    w("| | 1,000 MAUs a month | per MAU |")
    w("|---|---:|---:|")
    w(f"| rax-mfa (this model, without SMS) | {money(totals['low'])} to "
      f"{money(totals['high'])} | {money(totals['low'] / ACTIVE_USERS)} to "
      f"{money(totals['high'] / ACTIVE_USERS)} |")
    w(f"| Cognito Essentials, within the account's free {p['cognito_essentials_free_maus']:,} "
      "MAUs | $0.00 | $0 |")
    w(f"| Cognito Essentials at list price (an account past the free MAUs) | "
      f"{money(cognito_list)} | ${p['cognito_essentials_mau']} |")
    w(f"| SMS, either way (Cognito sends through SNS too) | {money(totals['sms_cost'])} | "
      f"{money(totals['sms_cost'] / ACTIVE_USERS)} |")
    w("")
    w(f"rax-mfa's bill is mostly fixed: {money(monitoring)} a month of monitoring (the "
      "template's alarms and dashboard) and "
      f"{money(keys)} for the KMS key and the secret; the rest is about {money(variable)} per "
      f"active user at this pattern. At list prices it costs less than Cognito Essentials from "
      f"about {even(keys + monitoring)} MAUs with that monitoring, {even(keys)} without it "
      "(Cognito would want a few alarms too). Within "
      "Cognito's free tier (an account with fewer than 10,000 MAUs across its pools) Cognito's "
      "identity charge is nothing, and this service costs more. The comparison is of the bill "
      "only: Cognito does not answer the Rackspace Identity v2.0 API this service implements.\n")

    w("## How DynamoDB units are counted\n")
    w("From what goes over the wire: the emulator's meter sees each request, its answer, and the "
      "item before and after, and applies DynamoDB's on-demand rules (Developer Guide, \"Item "
      "sizes and capacity unit consumption\"; \"Transactions: capacity management\"):\n")
    w("- item size: attribute names' and values' bytes (strings UTF-8, binary raw, numbers 1 byte "
      "per two significant digits + 1 (the guide's approximation), Boolean/null 1, lists and "
      "maps 3 + their elements);")
    w("- GetItem: 1 RRU per 4 KB of the item, rounded up, 1 if there is none; half for an "
      "eventually consistent read (only the catalog read is one);")
    w("- Query: the returned items' sizes summed, then rounded up to 4 KB (this service filters "
      "and projects nothing, so returned = read);")
    w("- PutItem/UpdateItem: 1 WRU per KB of the larger of the item before and after; "
      "DeleteItem: of the item deleted; a failed condition: of the existing item, 1 if none;")
    w("- TransactWriteItems: 2 WRU per KB of each member (a prepare and a commit write), a "
      "ConditionCheck included: it is billed as a write of the item it checks (measured against "
      "DynamoDB by paritysuite/dynamodb-conformance, PR 67); TransactGetItems: 2 RRU per 4 KB.\n")
    w("Checked first against the guide's worked examples (the run stops if one fails):\n")
    for what, (r, wr) in checks:
        w(f"- {what}: {r:g} RRU, {wr:g} WRU")
    w("\nmoto's own `ConsumedCapacity` is a constant (1.0 or 0.5 a call), so it is not used.\n")

    w("## Each operation's DynamoDB requests\n")
    w("One call (the median run), each request with its units (R: read, W: write) and item "
      "sizes.\n")
    w("| operation | requests |")
    w("|---|---|")
    for op, s in ops.items():
        w(f"| {op} | {s['detail']} |")
    w("")
    return "\n".join(out)


def main():
    functions = sorted(os.listdir(os.path.join(ROOT, "functions")))
    say("checking the meter against the Developer Guide's examples")
    checks = calibrate()
    runs, storage, people = measure(Api(), functions)
    ops = summarize(runs)
    facts = template_facts()
    results, paths, cold = measured_durations()
    for op, s in ops.items():
        s["mb"] = facts["functions"][function_of(op)]["mb"]
        s["ms"], s["how"] = duration(op, s["mb"], results, paths)
        if s["failed"]:
            sys.exit(f"{op}: a DynamoDB request failed while measured")
        if s["approximate"]:
            sys.exit(f"{op}: a read filtered or projected: the meter's count would be a guess")
    per_user_bytes = storage_per_user(storage, people)
    lines, totals = month(ops, facts, cold, per_user_bytes)
    text = report(ops, checks, facts, lines, totals, per_user_bytes)
    with open(os.path.join(ROOT, "bench", "cost.md"), "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
