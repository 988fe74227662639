"""The dashboard and the API's lists under concurrent clients, against a bare Flask endpoint.

A fresh PostgreSQL database (the application connecting as the non-owner role bound by
row-level security), a synthetic tenant in it, a user with a role there and an API token;
gunicorn serves the application and, with the same settings, bench/bare_app.py (a bare
endpoint, and one sending one query to the database); wrk, on
loopback, keeps ``--connections`` requests in flight for ``--duration`` seconds against
each endpoint in turn. Prints figures and whether the issue's goals are met; never
asserts. Goals (issues 6 and 15): p95 under 100 ms and at least a quarter of the bare endpoint's
throughput.

Before measuring, every endpoint is asked once alone (the cold time: the first request of
a fresh worker, which on the dashboard is a whole compliance sweep), then as many times at
once as there are workers, then under load for a few seconds: the figures are for warm
workers. Also printed: how many SQL statements each request sends (counted in-process with
SQLAlchemy's ``before_cursor_execute``), and where the CPU went during each run (gunicorn
workers, the PostgreSQL backends of the benchmark's database, wrk), since the load tool,
the server and the database share this machine's cores.

    .venv/bin/python bench/load.py [--people 60000] [--mentorships 50000]
        [--regime civil_service_2013] [--workers 2] [--worker-class gthread] [--threads 4]
        [--connections 32] [--duration 15]

Needs gunicorn (the ``bench`` extra) and wrk (Debian: ``apt-get install wrk``).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import http.cookiejar
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

import sqlalchemy as sa

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench._setup import AS_OF, BenchDatabase, generate_tenant, machine, make_app  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SLUG = "bench"
EMAIL = "bench@example.org"
PASSWORD = secrets.token_urlsafe(12)
P95_GOAL_MS = 100.0
THROUGHPUT_GOAL = 0.25
CLK_TCK = os.sysconf("SC_CLK_TCK")

# wrk: latency percentiles wrk --latency does not print (p95), and every status code
# counted (wrk itself only counts answers outside 2xx/3xx, so a redirect to the login
# page would pass unseen). One JSON line at the end.
WRK_SCRIPT = r"""
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) codes = {} end
function response(status, headers, body)
  local k = tostring(status)
  codes[k] = (codes[k] or 0) + 1
end
function done(summary, latency, requests)
  local all = {}
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("codes")) do all[k] = (all[k] or 0) + v end
  end
  local parts = {}
  for k, v in pairs(all) do table.insert(parts, string.format('"%s": %d', k, v)) end
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests": %d, "duration_us": %d, "bytes": %d, '
    .. '"p50": %d, "p95": %d, "p99": %d, "max": %d, "mean": %f, '
    .. '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, '
    .. '"codes": {%s}}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    latency.mean, e.connect, e.read, e.write, e.status, e.timeout, table.concat(parts, ", ")))
end
"""


# --- the data ------------------------------------------------------------------------------

def prepare(args, db: BenchDatabase) -> tuple[str, dict]:
    """The tenant, its user and the user's API token; returns the token and the summary."""
    app = make_app(db.url)
    summary = generate_tenant(app, SLUG, args.regime, args.people, args.mentorships, args.seed)
    db.analyze()
    from nastavnik import services

    with app.app_context():
        services.users.create_user(EMAIL, "Bench", PASSWORD)
        services.users.grant(EMAIL, SLUG, "hr_officer")
        _, token = services.tokens.create_token(EMAIL, "bench")
    return token, summary


def count_statements(db: BenchDatabase, token: str, paths: dict) -> dict:
    """SQL statements per request, in-process: the first request, then a second one."""
    app = make_app(db.url)
    from nastavnik.storage.accounts import User
    from nastavnik.storage.models import db as sqla

    counts = {}
    with app.app_context():
        user_id = sqla.session.scalar(sa.select(User.id).where(User.email == EMAIL))
        engine = sqla.engine
        seen = []

        def count(conn, cursor, statement, parameters, context, executemany):
            seen.append(statement)

        sa.event.listen(engine, "before_cursor_execute", count)
        try:
            client = app.test_client()
            with client.session_transaction() as session:
                session["_user_id"] = str(user_id)
                session["_fresh"] = True
            for name, (path, auth) in paths.items():
                if name in ("bare", "one-query"):
                    continue
                headers = {"Authorization": f"Bearer {token}"} if auth == "token" else {}
                runs = []
                for _ in range(2):
                    seen.clear()
                    t = time.perf_counter()
                    response = client.get(path, headers=headers)
                    runs.append((response.status_code, len(seen), time.perf_counter() - t))
                counts[name] = runs
        finally:
            sa.event.remove(engine, "before_cursor_execute", count)
    return counts


# --- the servers ---------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    """One gunicorn master with its workers, on a free loopback port."""

    def __init__(self, app: str, args, env: dict, log: str):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        command = [sys.executable, "-m", "gunicorn", app, "--bind", f"127.0.0.1:{self.port}",
                   "--workers", str(args.workers), "--worker-class", args.worker_class,
                   "--timeout", "300", "--graceful-timeout", "5", "--error-logfile", log,
                   "--log-level", "warning", "--backlog", "2048"]
        if args.worker_class == "gthread":
            command += ["--threads", str(args.threads)]
        self._log = log
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)

    def wait_ready(self, path: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self._log}:\n{_tail(self._log)}")
            try:
                with urllib.request.urlopen(self.base + path, timeout=2):
                    return
            except urllib.error.HTTPError:
                return  # it answers (a 302 to the login page is an answer)
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn not answering on {self.base}; see {self._log}")

    def workers(self) -> list[int]:
        return _children(self.process.pid)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def _tail(path: str, lines: int = 30) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            return "".join(fh.readlines()[-lines:])
    except OSError:
        return ""


def _children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.append(int(entry))
    return out


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes so far."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / CLK_TCK


def wait_idle(server: "Gunicorn", timeout: float = 600) -> float:
    """Wait until the workers stop using CPU: wrk leaves requests behind when it stops
    (those in flight and those queued in the workers), which on a slow endpoint would go
    on running into the next measurement. Returns the seconds waited."""
    start = time.monotonic()
    workers = server.workers()
    last = cpu_seconds(workers)
    while time.monotonic() - start < timeout:
        time.sleep(1)
        now = cpu_seconds(workers)
        if now - last < 0.05:
            break
        last = now
    return time.monotonic() - start


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far, from /proc/stat."""
    with open("/proc/stat") as fh:
        values = [int(v) for v in fh.readline().split()[1:]]
    idle = values[3] + values[4]
    return (sum(values) - idle) / CLK_TCK, sum(values) / CLK_TCK


def postgres_backends(db: BenchDatabase) -> list[int]:
    engine = sa.create_engine(db.admin_url)
    try:
        with engine.connect() as c:
            return list(c.execute(sa.text(
                "select pid from pg_stat_activity where datname = :d and pid <> pg_backend_pid()"),
                {"d": db.name}).scalars())
    finally:
        engine.dispose()


# --- the clients ---------------------------------------------------------------------------

class _Stay(urllib.request.HTTPRedirectHandler):
    """No following of redirects: after logging in, the home page sends the user on to
    the dashboard, whose cold first request is not the login's to pay."""

    def redirect_request(self, *args, **kwargs):
        return None


def login(base: str) -> str:
    """Log in through the form (GET for the CSRF token, then POST); the session cookie."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _Stay())
    with opener.open(base + "/login", timeout=30) as response:
        page = response.read().decode("utf-8")
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or \
        re.search(r'value="([^"]+)"[^>]*name="csrf_token"', page)
    if match is None:
        raise RuntimeError("no csrf_token field in the login page")
    form = urllib.parse.urlencode({"csrf_token": match.group(1), "email": EMAIL,
                                   "password": PASSWORD}).encode()
    try:
        opener.open(base + "/login", data=form, timeout=30).close()
        raise RuntimeError("login did not redirect: wrong password or CSRF token?")
    except urllib.error.HTTPError as answer:
        if answer.code != 302:
            raise RuntimeError(f"login answered {answer.code}") from answer
    cookies = {c.name: c.value for c in jar}
    if "session" not in cookies:
        raise RuntimeError("no session cookie after logging in")
    return f"session={cookies['session']}"


def timed_get(url: str, headers: dict, timeout: float = 300) -> tuple[int, float]:
    request = urllib.request.Request(url, headers=headers)
    t = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return status, time.perf_counter() - t


def warm_up(url: str, headers: dict, workers: int) -> dict:
    """The cold first request alone, then ``workers`` at once (with sync workers every
    worker is then busy with one of them, so each has served the endpoint once; with
    threads most likely), twice."""
    status, cold = timed_get(url, headers)
    if status != 200:
        raise RuntimeError(f"{url} answered {status}")
    rounds = []
    with concurrent.futures.ThreadPoolExecutor(max(2, workers * 2)) as pool:
        for _ in range(2):
            results = list(pool.map(lambda _: timed_get(url, headers), range(workers * 2)))
            bad = [s for s, _ in results if s != 200]
            if bad:
                raise RuntimeError(f"{url} answered {bad[0]} while warming up")
            rounds.append(max(t for _, t in results))
    return {"cold": cold, "rounds": rounds}


def wrk(url: str, headers: dict, args, duration: int, script: str) -> dict:
    command = ["wrk", "--threads", str(args.wrk_threads), "--connections", str(args.connections),
               "--duration", f"{duration}s", "--timeout", "30s", "--script", script]
    for name, value in headers.items():
        command += ["--header", f"{name}: {value}"]
    out = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    line = next((ln for ln in out.splitlines() if ln.startswith("WRK_RESULT ")), None)
    if line is None:
        raise RuntimeError(f"no result from wrk:\n{out}")
    return json.loads(line[len("WRK_RESULT "):])


def measure(name: str, url: str, headers: dict, args, server: Gunicorn, db: BenchDatabase,
            script: str) -> dict:
    warm = warm_up(url, headers, args.workers)
    wrk(url, headers, args, args.warmup, script)  # warm under load; not counted
    drained = wait_idle(server)
    workers, backends = server.workers(), postgres_backends(db)
    before = (cpu_seconds(workers), cpu_seconds(backends), machine_busy(),
              os.times().children_user + os.times().children_system)
    result = wrk(url, headers, args, args.duration, script)
    # CPU read as wrk stops; what it leaves behind is drained afterwards, not counted
    backends_after = postgres_backends(db)  # a pool may open more during the run
    after = (cpu_seconds(workers), cpu_seconds(backends_after), machine_busy(),
             os.times().children_user + os.times().children_system)
    seconds = result["duration_us"] / 1e6
    busy = after[2][0] - before[2][0]
    # a backend first seen after the run counts whole: it was opened during the run
    pg = after[1] - before[1]
    drained = (drained, wait_idle(server))
    result.update(
        name=name, warm=warm, drained=drained, seconds=seconds, rps=result["requests"] / seconds,
        non_2xx=sum(v for k, v in result["codes"].items() if not k.startswith("2")),
        cpu={"gunicorn": (after[0] - before[0]) / seconds, "postgres": pg / seconds,
             "wrk": (after[3] - before[3]) / seconds, "machine": busy / seconds,
             "cores": (after[2][1] - before[2][1]) / seconds})
    return result


# --- report --------------------------------------------------------------------------------

def report(args, summary, statements, results, load_start) -> None:
    bare = results["bare"]
    print(f"\nmachine: {machine()}; load average at start: {load_start}")
    print(f"tenant: {args.regime}, {args.people} people, {args.mentorships} mentorships "
          f"(generated in {summary['seconds']:.0f} s); PostgreSQL, app role under RLS")
    print(f"gunicorn: {args.workers} workers, {args.worker_class}"
          + (f" x {args.threads} threads" if args.worker_class == "gthread" else "")
          + f"; wrk: {args.connections} connections, {args.wrk_threads} threads, "
          f"{args.duration} s per endpoint after {args.warmup} s of warm-up under load\n")
    print("cold and warm-up times (s): first request alone; then the slowest of "
          f"{args.workers * 2} at once, twice")
    for name, r in results.items():
        w = r["warm"]
        print(f"  {name:<10} cold {w['cold']:7.3f}   warm-up rounds "
              + ", ".join(f"{t:.3f}" for t in w["rounds"])
              + "   left-behind requests drained after the warm-up, after the run: "
              + ", ".join(f"{t:.0f} s" for t in r["drained"]))
    print("\nSQL statements per request (in-process; first request, second request):")
    for name, runs in statements.items():
        print(f"  {name:<10} " + "; ".join(f"{n} statements, {s:.3f} s (HTTP {code})"
                                           for code, n, s in runs))
    header = (f"\n{'endpoint':<10} {'answers':>8} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
              f"{'max ms':>8} {'non-2xx':>8} {'sock err':>8} {'x bare':>7}  goals (p95<{P95_GOAL_MS:.0f} ms, "
              f">={THROUGHPUT_GOAL:.2f} x bare)")
    print(header)
    for name, r in results.items():
        ratio = r["rps"] / bare["rps"]
        one = results.get("one-query")
        p95 = r["p95"] / 1000
        errors = r["errors"]
        sock = errors["connect"] + errors["read"] + errors["write"] + errors["timeout"]
        if name in ("bare", "one-query"):
            goals = "-"
        elif not r["requests"]:
            goals = f"NOT met: no answer within {r['seconds']:.0f} s"
        else:
            goals = (f"p95 {'met' if p95 < P95_GOAL_MS else 'NOT met'}, "
                     f"throughput {'met' if ratio >= THROUGHPUT_GOAL else 'NOT met'}"
                     + (f"; {r['rps'] / one['rps']:.2f} x one-query" if one and one["rps"] else ""))
        print(f"{name:<10} {r['requests']:8d} {r['rps']:8.1f} {r['p50'] / 1000:8.1f} {p95:8.1f} "
              f"{r['p99'] / 1000:8.1f} {r['max'] / 1000:8.1f} {r['non_2xx']:8d} {sock:8d} "
              f"{ratio:7.3f}  {goals}")
    print("\nCPU during each run (cores busy; the machine has "
          f"{os.cpu_count()}; 'other' is everything else on it, e.g. other jobs):")
    print(f"{'endpoint':<10} {'gunicorn':>9} {'postgres':>9} {'wrk':>9} {'other':>9} {'machine':>9}")
    for name, r in results.items():
        c = r["cpu"]
        other = c["machine"] - c["gunicorn"] - c["postgres"] - c["wrk"]
        print(f"{name:<10} {c['gunicorn']:9.2f} {c['postgres']:9.2f} {c['wrk']:9.2f} "
              f"{other:9.2f} {c['machine']:9.2f}")
    print("\nHTTP status codes: " + "; ".join(f"{n} {r['codes']}" for n, r in results.items()))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=60000)
    parser.add_argument("--mentorships", type=int, default=50000)
    parser.add_argument("--regime", default="civil_service_2013")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-class", default="gthread", choices=("sync", "gthread"))
    parser.add_argument("--threads", type=int, default=4, help="per gthread worker")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--duration", type=int, default=15, help="seconds per endpoint")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of load before each run")
    parser.add_argument("--only", default="bare,one-query,dashboard,people,findings",
                        help="endpoints to measure, comma-separated")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        parser.error("wrk is not installed (Debian: apt-get install wrk)")

    load_start = ", ".join(f"{v:.2f}" for v in os.getloadavg())
    tmp = tempfile.mkdtemp(prefix="nastavnik-load-")
    script = os.path.join(tmp, "report.lua")
    with open(script, "w") as fh:
        fh.write(WRK_SCRIPT)
    as_of = AS_OF.isoformat()
    paths = {
        "bare": ("/bare", None),
        "one-query": ("/one-query", None),
        "dashboard": (f"/t/{SLUG}/?as_of={as_of}", "cookie"),
        "people": (f"/api/v1/tenants/{SLUG}/people?limit=50", "token"),
        "findings": (f"/api/v1/tenants/{SLUG}/findings?as_of={as_of}&limit=50", "token"),
    }
    wanted = ["bare"] + [n for n in args.only.split(",") if n in paths and n != "bare"]
    db = BenchDatabase("postgresql")
    servers: list[Gunicorn] = []
    # Ctrl-C and errors alike: stop the servers, drop the database
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        print(f"database {db.name}: generating {args.people} people, "
              f"{args.mentorships} mentorships ...", flush=True)
        token, summary = prepare(args, db)
        print(f"generated in {summary['seconds']:.0f} s; counting SQL statements ...", flush=True)
        statements = count_statements(db, token, {n: paths[n] for n in wanted})
        env = {**os.environ, "DATABASE_URL": db.url, "SECRET_KEY": secrets.token_hex(32),
               "NASTAVNIK_SECURE_COOKIES": "0", "NASTAVNIK_INSTANCE": os.path.join(tmp, "instance"),
               "PYTHONPATH": os.pathsep.join(filter(None, [ROOT, os.environ.get("PYTHONPATH")]))}
        app_server = Gunicorn("nastavnik.web:create_app()", args, env, os.path.join(tmp, "app.log"))
        servers.append(app_server)
        bare_server = Gunicorn("bench.bare_app:app", args, env, os.path.join(tmp, "bare.log"))
        servers.append(bare_server)
        app_server.wait_ready("/login")
        bare_server.wait_ready("/bare")
        cookie = login(app_server.base)
        headers = {"cookie": {"Cookie": cookie}, "token": {"Authorization": f"Bearer {token}"},
                   None: {}}
        results = {}
        for name in wanted:
            path, auth = paths[name]
            server = bare_server if name in ("bare", "one-query") else app_server
            print(f"measuring {name} ...", flush=True)
            results[name] = measure(name, server.base + path, headers[auth], args, server, db,
                                    script)
        report(args, summary, statements, results, load_start)
        if any(r["non_2xx"] for r in results.values()):
            print("\nsome answers were not 2xx: the figures above are not valid", file=sys.stderr)
            return 1
        return 0
    finally:
        for server in servers:
            with contextlib.suppress(Exception):
                server.stop()
        db.drop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
