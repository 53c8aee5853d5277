"""The soak: many DynamoDB transactions and reads against a running local stack, with the
emulator's resident memory and the request latency printed as the table grows.

Each round writes what the service writes most: one TransactWriteItems of a Put (a new item,
conditional on its absence) and an Update (a counter in the same partition), spread over 50
partitions, then reads the counter (GetItem) and the partition's first page (Query, Limit 10).
The table grows by one item per transaction, as it does under real use. Before the first and
after the last round, the API's own transactions are timed through local-api: a user's
add-otp-device, list-otp-devices and delete-otp-device.

A check, not a benchmark: it fails when the emulator's memory grew by more than
--max-growth-mb (a leak), never on a latency (those are printed for people to read). The default
allows 32 MB plus 4 KB per transaction: each transaction stores one item, which moto holds in
about 1.8 KB of Python objects (measured: +18 MB after 10,000), while the leak this guards
against kept about 1.2 MB per transaction.

usage: soak.py --dynamodb URL --table NAME --emulator-pid PID --api URL --username U
               --password P [--transactions N] [--max-growth-mb M] [--rss-ceiling-mb C]

--rss-ceiling-mb (default 6144) stops a leaking run before the kernel has to.
"""

import argparse
import json
import statistics
import sys
import time
import urllib.request

import boto3

PARTITIONS = 50
CHECKPOINTS = 10
API_ROUNDS = 15


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for pid {pid} (has the emulator stopped?)")


def ms(seconds: float) -> float:
    return seconds * 1000


def timed(call, *args, **kwargs):
    start = time.perf_counter()
    result = call(*args, **kwargs)
    return time.perf_counter() - start, result


class Api:
    """The public API, as a client sees it (JSON over HTTP)."""

    def __init__(self, url: str, username: str, password: str):
        self.url = url.rstrip("/")
        body = {"auth": {"passwordCredentials": {"username": username, "password": password}}}
        status, login = self.call("POST", "/v2.0/tokens", body)
        if status != 200:
            sys.exit(f"soak: login through the API answered {status}: {login}")
        self.token = login["access"]["token"]["id"]
        self.devices = f"/v2.0/users/{login['access']['user']['id']}/RAX-AUTH/multi-factor/otp-devices"

    def call(self, method: str, path: str, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if getattr(self, "token", None):
            request.add_header("X-Auth-Token", self.token)
        try:
            with urllib.request.urlopen(request, timeout=60) as answer:
                raw = answer.read()
                return answer.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as failure:
            return failure.code, failure.read().decode(errors="replace")

    def expect(self, status: int, method: str, path: str, body=None):
        seconds, (got, answer) = timed(self.call, method, path, body)
        if got != status:
            sys.exit(f"soak: {method} {path} answered {got} (expected {status}): {answer}")
        return seconds, answer

    def otp_round(self) -> dict[str, float]:
        """One add, list and delete of an OTP device: two of the API's transactions, one read."""
        add, answer = self.expect(201, "POST", self.devices, {"RAX-AUTH:otpDevice": {"name": "soak"}})
        device = answer["RAX-AUTH:otpDevice"]["id"]
        listing, _ = self.expect(200, "GET", self.devices)
        delete, _ = self.expect(204, "DELETE", f"{self.devices}/{device}")
        return {"add": add, "list": listing, "delete": delete}

    def latencies(self) -> dict[str, float]:
        """Median milliseconds of each operation over API_ROUNDS rounds."""
        rounds = [self.otp_round() for _ in range(API_ROUNDS)]
        return {op: ms(statistics.median(r[op] for r in rounds)) for op in rounds[0]}


class Table:
    """The soak's own items, written straight to the emulator's DynamoDB."""

    def __init__(self, endpoint: str, table: str):
        self.name = table
        self.client = boto3.client(
            "dynamodb",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id="test",
            aws_secret_access_key="test",
        )

    def transaction(self, n: int) -> float:
        pk = {"S": f"SOAK#{n % PARTITIONS}"}
        seconds, _ = timed(
            self.client.transact_write_items,
            TransactItems=[
                {
                    "Put": {
                        "TableName": self.name,
                        "Item": {
                            "PK": pk,
                            "SK": {"S": f"ITEM#{n:08d}"},
                            "name": {"S": f"soak item {n}"},
                            "createdAt": {"N": str(n)},
                            "payload": {"S": "x" * 200},
                        },
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                },
                {
                    "Update": {
                        "TableName": self.name,
                        "Key": {"PK": pk, "SK": {"S": "COUNTER"}},
                        "UpdateExpression": "SET #n = if_not_exists(#n, :zero) + :one",
                        "ExpressionAttributeNames": {"#n": "count"},
                        "ExpressionAttributeValues": {":zero": {"N": "0"}, ":one": {"N": "1"}},
                    }
                },
            ],
        )
        return seconds

    def read(self, n: int) -> float:
        pk = {"S": f"SOAK#{n % PARTITIONS}"}
        get, _ = timed(
            self.client.get_item,
            TableName=self.name,
            Key={"PK": pk, "SK": {"S": "COUNTER"}},
            ConsistentRead=True,
        )
        query, _ = timed(
            self.client.query,
            TableName=self.name,
            KeyConditionExpression="PK = :pk",
            ExpressionAttributeValues={":pk": pk},
            ConsistentRead=True,
            Limit=10,
        )
        return get + query


def api_line(label: str, latencies: dict[str, float]) -> str:
    parts = ", ".join(f"{op} {value:.1f}" for op, value in latencies.items())
    return f"API through local-api, {label} (median ms of {API_ROUNDS}): {parts}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dynamodb", required=True)
    parser.add_argument("--table", required=True)
    parser.add_argument("--emulator-pid", type=int, required=True)
    parser.add_argument("--api", required=True)
    parser.add_argument("--username", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--transactions", type=int, default=1000)
    parser.add_argument("--max-growth-mb", type=float)
    parser.add_argument("--rss-ceiling-mb", type=float, default=6144)
    args = parser.parse_args()

    if args.max_growth_mb is None:
        args.max_growth_mb = 32 + args.transactions * 4 / 1024
    api = Api(args.api, args.username, args.password)
    table = Table(args.dynamodb, args.table)
    api_start = api.latencies()
    rss_start = rss_mb(args.emulator_pid)
    print(api_line("at the start", api_start), flush=True)
    print(f"{'transactions':>12}  {'emulator RSS':>12}  {'tx p50 ms':>9}  {'tx p99 ms':>9}  "
          f"{'read p50 ms':>11}  {'elapsed s':>9}", flush=True)
    print(f"{0:>12}  {rss_start:>9.0f} MB  {'':>9}  {'':>9}  {'':>11}  {0:>9.1f}", flush=True)

    step = max(1, args.transactions // CHECKPOINTS)
    began = time.perf_counter()
    window_tx: list[float] = []
    window_read: list[float] = []
    first_window = last_window = None
    for n in range(1, args.transactions + 1):
        window_tx.append(table.transaction(n))
        window_read.append(table.read(n))
        if n % step == 0 or n == args.transactions:
            window = (
                ms(statistics.median(window_tx)),
                ms(statistics.quantiles(window_tx, n=100)[98]) if len(window_tx) > 1 else ms(window_tx[0]),
                ms(statistics.median(window_read)),
            )
            first_window = first_window or window
            last_window = window
            print(f"{n:>12}  {rss_mb(args.emulator_pid):>9.0f} MB  {window[0]:>9.2f}  "
                  f"{window[1]:>9.2f}  {window[2]:>11.2f}  {time.perf_counter() - began:>9.1f}",
                  flush=True)
            window_tx, window_read = [], []
            if rss_mb(args.emulator_pid) > args.rss_ceiling_mb:
                print(f"soak: FAILED: stopped after {n} transactions, the emulator's memory passed "
                      f"{args.rss_ceiling_mb:.0f} MB (--rss-ceiling-mb)", file=sys.stderr)
                return 1

    api_end = api.latencies()
    rss_end = rss_mb(args.emulator_pid)
    growth = rss_end - rss_start
    print(api_line("at the end", api_end))
    print(f"summary: {args.transactions} transactions; emulator RSS {rss_start:.0f} -> {rss_end:.0f} MB "
          f"({growth:+.0f} MB); transaction p50 {first_window[0]:.2f} -> {last_window[0]:.2f} ms; "
          f"read p50 {first_window[2]:.2f} -> {last_window[2]:.2f} ms; "
          + ", ".join(f"API {op} {api_start[op]:.1f} -> {api_end[op]:.1f} ms" for op in api_start))
    if growth > args.max_growth_mb:
        print(f"soak: FAILED: the emulator grew by {growth:.0f} MB over {args.transactions} "
              f"transactions (allowed: {args.max_growth_mb:.0f} MB): it keeps what it should free",
              file=sys.stderr)
        return 1
    print(f"soak: passed (growth {growth:+.0f} MB, allowed {args.max_growth_mb:.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
