"""`make bench-memory` (scripts/bench-memory.sh starts the emulator with a table, then runs this).

Lambda gives a function CPU in proportion to its memory: one full vCPU at 1,769 MB, so about a
fourteenth of one at 128 MB. This runs every release function under that share — a cgroup CPU
quota of MB/1769 of one core (cgroup v1 `cpu.cfs_quota_us` or v2 `cpu.max`), around the whole
`local-api` process, so the emulated Runtime API pays from the same share (a little pessimistic)
— at 128, 256, 512, 1024 and 1769 MB and measures:
  - cold starts: init and first response (the `events/` fixture; for authenticate that is a
    password step, Argon2id included), median of MEMORY_STARTS fresh processes;
  - warm latency of the two paths that differ most: the password step (CPU: Argon2id) and
    get-user (I/O: two DynamoDB reads), median of MEMORY_WARM requests each through a
    `local-api` running inside the share.
Then picks each function's size by the rule in `choose()` and writes bench/memory.md.
Needs root (it creates the cgroups). Standard library only.
"""

import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import time
import uuid

import local_api

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release")
SIZES = [128, 256, 512, 1024, 1769]
FULL_CPU_MB = 1769
# A short period spreads the share evenly: with CFS's default 100 ms, a 128 MB process that
# needs 8 ms of CPU runs 7 ms, then waits out the rest of the period, and medians jump between
# one and two periods (measured: 13 ms or 200 ms for the same function at 256 MB).
PERIOD_US = 20_000  # at 128 MB: 1.45 ms a period, above the kernel's 1 ms minimum
STARTS = int(os.environ.get("MEMORY_STARTS", "7"))
WARM = int(os.environ.get("MEMORY_WARM", "20"))
PASSWORD = "Memory-bench-password-1"
REPORT = re.compile(
    r"Max Memory Used: (\d+) KB Init Duration: ([\d.]+) ms First Response: ([\d.]+) ms")


def say(msg):
    print(f"==> {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- the CPU share


def cgroup(mb):
    """A cgroup limited to MB/1769 of one core; returns the file a process joins it by."""
    quota = round(PERIOD_US * mb / FULL_CPU_MB)
    if os.path.exists("/sys/fs/cgroup/cgroup.controllers"):  # cgroup v2
        path = f"/sys/fs/cgroup/rax-mfa-memory-{mb}"
        os.makedirs(path, exist_ok=True)
        with open(os.path.join(path, "cpu.max"), "w") as f:
            f.write(f"{quota} {PERIOD_US}")
    else:  # cgroup v1
        path = f"/sys/fs/cgroup/cpu/rax-mfa-memory-{mb}"
        os.makedirs(path, exist_ok=True)
        with open(os.path.join(path, "cpu.cfs_period_us"), "w") as f:
            f.write(str(PERIOD_US))
        with open(os.path.join(path, "cpu.cfs_quota_us"), "w") as f:
            f.write(str(quota))
    return os.path.join(path, "cgroup.procs")


def inside(procs, argv):
    """argv, run from a shell that first moves itself into the cgroup."""
    return ["sh", "-c", f'echo $$ > {procs} && exec "$@"', "sh", *argv]


# --------------------------------------------------------------------------- cold starts


def cold_start(procs, binary):
    event = os.path.join(ROOT, "events", f"{binary}.json")
    out = subprocess.run(
        inside(procs, [os.path.join(BIN, "local-api"), "invoke", binary, "--event", event,
                       "--bin-dir", BIN]),
        capture_output=True, text=True, timeout=120)
    match = REPORT.search(out.stderr)
    if out.returncode != 0 or not match:
        sys.exit(f"{binary}: no cold start report\n{out.stderr[-2000:]}")
    return float(match.group(2)), float(match.group(3))


# --------------------------------------------------------------------------- warm paths


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def admin(*args):
    return local_api.admin(BIN, *args)


def warm(procs, user):
    """(password step p50 ms, get-user p50 ms) through a local-api inside the share."""
    port = free_port()
    log = open(os.path.join(os.environ["MEMORY_WORK"], f"local-api-{port}.log"), "w")
    api = subprocess.Popen(
        inside(procs, [os.path.join(BIN, "local-api"), "--port", str(port), "--template",
                       os.path.join(ROOT, "template.yaml"), "--bin-dir", BIN]),
        stdout=log, stderr=subprocess.STDOUT)
    try:
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        local = local_api.Api(f"http://127.0.0.1:{port}", timeout=60)
        login = {"auth": {"passwordCredentials": {"username": user, "password": PASSWORD}}}
        _, first = local.call("POST", "/v2.0/tokens", body=login, expect=200)  # warms it
        token, user_id = first["access"]["token"]["id"], first["access"]["user"]["id"]
        local.call("GET", f"/v2.0/users/{user_id}", token=token, expect=200)
        for _ in range(WARM):
            local.call("POST", "/v2.0/tokens", body=login, timed="password", expect=200)
        for _ in range(WARM):
            local.call("GET", f"/v2.0/users/{user_id}", token=token, timed="get-user",
                       expect=200)
        p50 = {name: statistics.median(ms for ms, _ in samples)
               for name, samples in local.samples.items()}
        return p50["password"], p50["get-user"]
    finally:
        api.terminate()
        api.wait(timeout=10)
        log.close()


# --------------------------------------------------------------------------- the choice


FIRST_RESPONSE_MS = 150


def choose(firsts, warm):
    """Lambda bills MB x ms. First the size at which the function's warm path costs least (MB x
    p50): the password step for authenticate (CPU-bound: Argon2id), get-user's for every other
    function that calls DynamoDB (a few requests and little CPU, as they all are), none for the
    console (static files: the smallest). Then the first size from there whose cold first
    response is at most 150 ms, the wait a person may meet on the first request after idle."""
    start = min(SIZES, key=lambda mb: mb * warm[mb]) if warm else SIZES[0]
    for mb in SIZES[SIZES.index(start):]:
        if firsts[mb] <= FIRST_RESPONSE_MS:
            return mb
    return FULL_CPU_MB


def main():
    if os.geteuid() != 0:
        sys.exit("bench/memory.py creates cgroups: run it as root")
    functions = sorted(os.listdir(os.path.join(ROOT, "functions")))
    user = "mem-" + uuid.uuid4().hex[:8]
    admin("create-user", "--username", user, "--password", PASSWORD, "--domain", "memory",
          "--role", "identity:default")
    cold = {f: {} for f in functions}
    warm_paths = {}
    for mb in SIZES:
        procs = cgroup(mb)
        say(f"{mb} MB ({mb / FULL_CPU_MB:.3f} of a core): {STARTS} cold starts of "
            f"{len(functions)} functions, {WARM} warm requests of two paths")
        for f in functions:
            runs = [cold_start(procs, f) for _ in range(STARTS)]
            cold[f][mb] = (statistics.median(r[0] for r in runs),
                           statistics.median(r[1] for r in runs))
        warm_paths[mb] = warm(procs, user)

    password = {mb: warm_paths[mb][0] for mb in SIZES}
    get_user = {mb: warm_paths[mb][1] for mb in SIZES}
    representative = {"authenticate": password, "console": None}
    out = []
    w = out.append
    w("# Memory sizes from measurement\n")
    w(f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {platform.machine()}, "
      f"{os.cpu_count()} cores; release binaries; each size is a cgroup CPU quota of MB/1769 of "
      f"one core around `local-api` and the function (Lambda: one vCPU at 1,769 MB); "
      f"{STARTS} cold starts per function and size (medians), {WARM} warm requests per path. "
      "The emulator is plain HTTP on loopback: in AWS a cold start also pays a TLS handshake, "
      "so these are lower bounds. Reproduce: `make bench-memory` (root).\n")
    w("## Warm paths (p50 ms)\n")
    w("| path | " + " | ".join(f"{mb} MB" for mb in SIZES) + " |")
    w("|---|" + "---:|" * len(SIZES))
    w("| authenticate, password step (Argon2id) | "
      + " | ".join(f"{warm_paths[mb][0]:.1f}" for mb in SIZES) + " |")
    w("| get-user (two DynamoDB reads) | "
      + " | ".join(f"{warm_paths[mb][1]:.1f}" for mb in SIZES) + " |")
    for name, i in (("password step", 0), ("get-user", 1)):
        w(f"| {name}: cost, MB x ms (thousands) | "
          + " | ".join(f"{mb * warm_paths[mb][i] / 1000:.1f}" for mb in SIZES) + " |")
    w("")
    w("## Cold start: first response ms (init ms) and the size chosen\n")
    w(choose.__doc__.strip().replace("\n    ", " ") + "\n")
    w("| function | " + " | ".join(f"{mb} MB" for mb in SIZES) + " | chosen MB |")
    w("|---|" + "---:|" * len(SIZES) + "---:|")
    for f in functions:
        firsts = {mb: cold[f][mb][1] for mb in SIZES}
        chosen = choose(firsts, representative.get(f, get_user))
        cells = " | ".join(f"{cold[f][mb][1]:.0f} ({cold[f][mb][0]:.0f})" for mb in SIZES)
        w(f"| {f} | {cells} | {chosen} |")
    path = os.path.join(ROOT, "bench", "memory.md")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")
    say(f"wrote {os.path.relpath(path, ROOT)}")


if __name__ == "__main__":
    main()
