"""Kept results at agency scale: what a write costs, and what the reads after it cost.

Prints figures; never asserts a time. For each regime: a fresh database (PostgreSQL by
default, the app connecting as the non-owner role under row-level security), a synthetic
tenant, then, each in a process of its own:

- whole re-evaluation (``nastavnik evaluate``: load, rules, write the kept rows) against a
  plain fetch of the rows it reads (bench/sweep.py's), as a ratio;
- the first dashboard of a fresh process (a restart), and its peak RSS, at two sizes of
  the tenant (memory per worker must not grow with the tenant);
- writes (a paper recorded, an absence, a mentor replaced): each one's time with the
  results kept up to date in its transaction, against the same write with that turned
  off, as a difference;
- after each write, the next dashboard and the next page of the compliance report's
  findings and deadlines (paged in the database, as the admin and API read them): p95;
- `nastavnik check --tenant T` after a write, beyond the CLI's own start (`--help`).

    .venv/bin/python bench/kept.py [--backend postgresql|sqlite] [--people 60000]
        [--mentorships 50000] [--regime civil_service_2013 ...] [--writes 20]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from _setup import AS_OF, BenchDatabase, generate_tenant, machine, make_app  # noqa: E402
from sweep import plain_fetch  # noqa: E402

REGIMES = ("civil_service_2013", "prosecutor_2022", "education_reserve")
SLUG = "bench"
TODAY = dt.date.today()


def p95(values):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]


def _rss_mib() -> float:
    """This process's peak RSS (VmHWM: ru_maxrss would carry the parent's over exec)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(url: str, what: str, writes: int) -> dict:
    app = make_app(url)
    from nastavnik import services
    from nastavnik.services import compliance, deadlines, results

    out = {"rss_start_mib": _rss_mib()}
    with app.app_context():
        if what == "evaluate":
            with services.tenant(SLUG, "bench") as work:
                t = time.perf_counter()
                figures = results.evaluate_all(work)
                out["evaluate_all"] = time.perf_counter() - t
                out.update(figures)
            out["rss_peak_mib"] = _rss_mib()
            return out
        if what == "restart":
            with services.tenant(SLUG, "bench") as work:
                t = time.perf_counter()
                services.dashboard(work, TODAY)
                out["first_dashboard"] = time.perf_counter() - t
            out["rss_peak_mib"] = _rss_mib()
            # suggestions in a fresh process, for mentees not yet mentored: the first is
            # cold; whether the mentee's unit sufficed or the whole staff was ranked
            from nastavnik.storage.models import db
            import sqlalchemy as sa

            with services.tenant(SLUG, "bench") as work:
                mentees = [n for (n,) in db.session.execute(sa.text(
                    "select number from person where id not in (select mentee_id from mentorship) "
                    "order by hired_on desc limit 8"))]
            seconds, outside = [], 0
            for number in mentees:
                with services.tenant(SLUG, "bench") as work:
                    t = time.perf_counter()
                    found = services.suggest_mentors(work, number, TODAY, limit=5)
                    seconds.append(time.perf_counter() - t)
                    outside += any(not e["same_unit"] for e in found["eligible"])
            if seconds:
                out.update(suggestions_cold=seconds[0], suggestions_median=statistics.median(seconds),
                           suggestions_max=max(seconds), suggestions_beyond_unit=f"{outside} of {len(seconds)}")
            return out
        # writes, each followed by the reads an officer makes next
        rng = random.Random(7)
        from nastavnik.storage.models import Mentorship, Person, db
        import sqlalchemy as sa

        with services.tenant(SLUG, "bench") as work:
            tenant_id = work.tenant.id
            open_ = [str(i) for (i,) in db.session.execute(
                sa.select(Mentorship.id).where(Mentorship.status == "open"))]
            people = [n for (n,) in db.session.execute(sa.select(Person.number))]
            kinds = list(work.regime.paper_kinds)

        free = [n for (n,) in db.session.execute(sa.text(
            "select number from person where tenant_id = :t and id not in "
            "(select mentee_id from mentorship where tenant_id = :t) order by hired_on desc"),
            {"t": tenant_id})][:writes * 2]

        def a_write(work) -> float:
            """A write; the seconds of it spent choosing a mentor (not the write's cost)."""
            choosing = 0.0
            kind = rng.choice(("paper", "absence", "assign"))
            if kind == "assign" and free:
                mentee = free.pop(0)
                t = time.perf_counter()
                found = services.suggest_mentors(work, mentee, TODAY, limit=1)
                timings["suggestions"].append(time.perf_counter() - t)
                choosing = timings["suggestions"][-1]
                if found["eligible"]:
                    services.assign_mentor(work, mentee, found["eligible"][0]["number"], TODAY,
                                           assignment_attributes={"manager_submission": True,
                                                                  "mentor_consent": True}
                                           if work.tenant.regime == "civil_service_2013" else None)
            elif kind == "paper":
                services.record_paper(work, rng.choice(open_), rng.choice(kinds), TODAY,
                                      approved_by="Head")
            else:
                start = TODAY - dt.timedelta(days=rng.randint(0, 200))
                services.record_absence(work, rng.choice(people), start,
                                        start + dt.timedelta(days=rng.randint(1, 30)))
            return choosing

        timings = {"write_kept": [], "write_plain": [], "dashboard": [], "findings_page": [],
                   "deadlines_page": [], "suggestions": []}
        settle = results.settle
        # the writes keeping their results, each followed by the reads an officer makes
        # next; then as many without (what a write cost before), whose results are not
        # read (putting them right would rewrite every kept row, and the reads after
        # would pay for the dead rows left)
        for n in range(writes * 2):
            plain = n >= writes
            results.settle = (lambda session: None) if plain else settle
            t, choosing = time.perf_counter(), 0.0
            try:
                with services.tenant(SLUG, "bench") as work:
                    choosing = a_write(work)
            except Exception as exc:  # noqa: BLE001 - a refused write is still timed
                out.setdefault("refused", []).append(str(exc)[:80])
            timings["write_plain" if plain else "write_kept"].append(
                time.perf_counter() - t - choosing)
            results.settle = settle
            if plain:
                continue
            with services.tenant(SLUG, "bench") as work:
                t = time.perf_counter()
                services.dashboard(work, TODAY)
                timings["dashboard"].append(time.perf_counter() - t)
                t = time.perf_counter()
                deadlines.deadlines_page(work, TODAY, 5, {"status": "overdue"}, limit=50)
                timings["deadlines_page"].append(time.perf_counter() - t)
                t = time.perf_counter()
                compliance.report_findings(work, limit=50)
                timings["findings_page"].append(time.perf_counter() - t)
        for key, values in timings.items():
            if not values:
                continue
            out[key + "_p95"] = p95(values)
            out[key + "_median"] = statistics.median(values)
        out["write_cost_more_median"] = out["write_kept_median"] - out["write_plain_median"]
        out["rss_peak_mib"] = _rss_mib()
    return out


def run_child(url: str, what: str, writes: int = 0) -> dict:
    env = dict(os.environ, DATABASE_URL=url)
    done = subprocess.run([sys.executable, __file__, "--child", url, what, str(writes)],
                          capture_output=True, text=True, env=env, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def cli_seconds(url: str, *args) -> float:
    env = dict(os.environ, DATABASE_URL=url)
    exe = os.path.join(os.path.dirname(sys.executable), "nastavnik")
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        subprocess.run([exe, *args], capture_output=True, env=env, check=True)
        best = min(best, time.perf_counter() - t)
    return best


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--people", type=int, default=60000)
    parser.add_argument("--mentorships", type=int, default=50000)
    parser.add_argument("--regime", action="append", choices=REGIMES)
    parser.add_argument("--writes", type=int, default=20)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child[0], args.child[1], int(args.child[2])), default=str))
        return 0
    print(json.dumps(machine()))
    for regime in args.regime or REGIMES:
        small = None
        for people, mentorships in ((args.people // 5, args.mentorships // 5),
                                    (args.people, args.mentorships)):
            database = BenchDatabase(args.backend)
            try:
                app = make_app(database.url)
                generate_tenant(app, SLUG, regime, people, mentorships)
                database.analyze()
                with app.app_context():
                    from nastavnik import services
                    tenant_id = services.get_tenant(SLUG).id
                fetch, rows = plain_fetch(database.url, tenant_id)
                evaluate = run_child(database.url, "evaluate")
                database.analyze()  # the kept rows' statistics, as autovacuum gives soon after
                restart = run_child(database.url, "restart")
                figures = {"regime": regime, "people": people, "mentorships": mentorships,
                           "rows_fetched": rows, "fetch": fetch,
                           "evaluate_all": evaluate["evaluate_all"],
                           "evaluate_ratio": evaluate["evaluate_all"] / fetch,
                           "evaluate_parts": {k: evaluate[k] for k in ("load", "rules", "write")},
                           "first_dashboard": restart["first_dashboard"],
                           **{k: v for k, v in restart.items() if k.startswith("suggestions")},
                           "rss_after_first_dashboard_mib": restart["rss_peak_mib"],
                           "rss_at_start_mib": restart["rss_start_mib"]}
                if small is None:
                    figures["check_beyond_start"] = (cli_seconds(database.url, "check", "--tenant", SLUG)
                                                     - cli_seconds(database.url, "--help"))
                    small = figures
                    print(json.dumps({"small": figures}, default=str), flush=True)
                    continue
                figures["rss_growth_vs_fifth_size_mib"] = (
                    figures["rss_after_first_dashboard_mib"] - small["rss_after_first_dashboard_mib"])
                figures.update(run_child(database.url, "writes", args.writes))
                startup = cli_seconds(database.url, "--help")
                check = cli_seconds(database.url, "check", "--tenant", SLUG)
                figures["check_beyond_start"] = check - startup
                print(json.dumps(figures, default=str), flush=True)
            finally:
                database.drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
