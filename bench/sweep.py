"""Compliance sweep and mentor suggestions of an agency-scale tenant, against a plain fetch.

Prints figures; never asserts a time. For each regime: a fresh database (PostgreSQL by
default, the app connecting as the non-owner role under row-level security), a synthetic
tenant (``nastavnik bench generate``'s generator), then, in a separate process so that
its peak RSS is the sweep's own:

- fetch: the time to SELECT every row the sweep reads (people, mentorships, assignments,
  papers, absences, councils: the same columns) with plain SQL through psycopg/sqlite3;
- sweep, cold: the compliance report as the services make it, from the kept results
  (load the case, run every rule, build the report) — the goal is within 3x of the fetch
  and under 2 s on PostgreSQL; and its parts (load, evaluate);
- sweep, warm: the same request again, read from the kept results (services.results);
- suggestions for one mentee among the whole staff: cold (the case not yet loaded) and
  warm; the goal is under 200 ms;
- peak RSS of the process after the cold sweep, and before it.

    .venv/bin/python bench/sweep.py [--backend postgresql|sqlite] [--people 60000]
        [--mentorships 50000] [--regime civil_service_2013 ...] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time

import sqlalchemy as sa

sys.path.insert(0, os.path.dirname(__file__))
from _setup import AS_OF, BenchDatabase, generate_tenant, machine, make_app  # noqa: E402

REGIMES = ("civil_service_2013", "prosecutor_2022", "education_reserve")
SLUG = "bench"


def best(f, times: int = 3) -> float:
    out = float("inf")
    for _ in range(times):
        t = time.perf_counter()
        f()
        out = min(out, time.perf_counter() - t)
    return out


def plain_fetch(url: str, tenant_id: int) -> tuple[float, int]:
    """Best of 3: every row the sweep reads, by plain SQL, as the application's role."""
    import sqlalchemy as sa

    from nastavnik.storage import database_url

    queries = [
        "select id, number, full_name, unit, position, manager_id, attributes from person where tenant_id = :t",
        "select mentorship_id, mentor_id, start, \"end\", end_reason, order_number, order_date, "
        "fallback, cast(attributes as text) from assignment where tenant_id = :t "
        "order by mentorship_id, start",
        # as the loader reads them: attributes as text, parsed only when there are any
        "select mentorship_id, kind, done_on, approved_by, cast(attributes as text) from paper "
        "where tenant_id = :t",
        "select id, mentee_id, kind, start, joined_on, planned_end, term_months, "
        "ended_on, status, cast(attributes as text) from mentorship "
        "where tenant_id = :t order by start, id",
        "select person_id, start, \"end\", valid_reason, reason from absence where tenant_id = :t",
        "select council_id, person_id, role, basis, attributes from council_member where tenant_id = :t",
        "select meeting_id, person_id from attendance where tenant_id = :t",
        "select agenda_item_id, person_id, vote from vote where tenant_id = :t",
        "select id, meeting_id, title, hearing_id from agenda_item where tenant_id = :t order by position",
        "select id, council_id, date from meeting where tenant_id = :t order by date",
        "select * from council where tenant_id = :t order by created_on",
    ]
    engine = sa.create_engine(database_url(url, "."))
    rows = 0

    def fetch():
        nonlocal rows
        rows = 0
        with engine.connect() as c:
            raw = c.connection.driver_connection
            cur = raw.cursor()
            if engine.dialect.name == "postgresql":
                cur.execute("select set_config('app.tenant_id', %s, false)", (str(tenant_id),))
                params, marker = (tenant_id,), "%s"
            else:
                params, marker = (tenant_id,), "?"
            for q in queries:
                cur.execute(q.replace(":t", marker), params)
                rows += len(cur.fetchall())
            cur.close()

    seconds = best(fetch)
    engine.dispose()
    return seconds, rows


def child(url: str) -> dict:
    """The measurements, in a process of their own."""
    import random

    baseline_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    app = make_app(url)
    from nastavnik import services
    from nastavnik.storage.case import load_case
    from nastavnik.storage.models import Mentorship, Person, db

    out = {}
    with app.app_context():
        tenant_id = services.get_tenant(SLUG).id
        before_sweep_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        # the first request after generation: the kept results are worked out whole
        with services.tenant(SLUG, "bench") as work:
            t = time.perf_counter()
            report = services.compliance_report(work, AS_OF)
            out["sweep_first"] = time.perf_counter() - t
        out["peak_rss_after_sweep_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        out["rss_before_sweep_mib"] = before_sweep_rss / 1024
        out["baseline_rss_mib"] = baseline_rss / 1024
        out["findings"], out["deadlines"] = len(report["findings"]), len(report["deadlines"])
        out["summary"] = report["summary"]

        def cold_report():
            with services.tenant(SLUG, "bench") as work:
                services.compliance_report(work, AS_OF)

        out["sweep_cold"] = best(cold_report)
        with services.tenant(SLUG, "bench") as work:
            out["load"] = best(lambda: load_case())
            case, _ = load_case()
            engine = work.rules()
            out["evaluate"] = best(lambda: engine.evaluate(case, AS_OF))
            out["mentorships"] = len(case.mentorships)
            out["people"] = len(case.people)

        def warm_report():
            with services.tenant(SLUG, "bench") as work:
                services.compliance_report(work, AS_OF)

        warm_report()
        out["sweep_warm"] = best(warm_report, 5)

        # suggestions for mentees newly hired (the last people by number), on the day
        with services.tenant(SLUG, "bench") as work:
            taken = set(db.session.scalars(sa.select(Mentorship.mentee_id)))
            free = [n for n, pid in db.session.execute(sa.select(Person.number, Person.id)
                                                       .order_by(Person.number.desc()).limit(2000))
                    if pid not in taken]
        rng = random.Random(7)
        mentees = rng.sample(free, min(5, len(free))) if free else []
        if not mentees:  # every person is or was a mentee: ask for the newest hire
            with services.tenant(SLUG, "bench") as work:
                mentees = [db.session.scalar(sa.select(Person.number).order_by(Person.hired_on.desc()).limit(1))]
        cold, warm, checked = [], [], []
        for number in mentees:
            with services.tenant(SLUG, "bench") as work:
                t = time.perf_counter()
                services.suggest_mentors(work, number, AS_OF)
                cold.append(time.perf_counter() - t)
            with services.tenant(SLUG, "bench") as work:
                t = time.perf_counter()
                s = services.suggest_mentors(work, number, AS_OF)
                warm.append(time.perf_counter() - t)
                checked.append(s["checked"])
        with services.tenant(SLUG, "bench") as work:
            t = time.perf_counter()
            full = services.suggest_mentors(work, mentees[0], AS_OF, exhaustive=True)
            out["suggest_exhaustive"] = time.perf_counter() - t
            out["suggest_exhaustive_eligible"] = full["eligible_count"]
        out["suggest_cold"] = statistics.median(cold)
        out["suggest_warm"] = statistics.median(warm)
        out["suggest_checked"] = statistics.median(checked)
        out["staff"] = s["staff"]
    out["fetch"], out["fetch_rows"] = plain_fetch(url, tenant_id)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--people", type=int, default=60000)
    parser.add_argument("--mentorships", type=int, default=50000)
    parser.add_argument("--regime", action="append", choices=REGIMES)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child)))
        return 0
    load = os.getloadavg()
    print(f"machine: {machine()}; load average at start {load[0]:.1f}; backend {args.backend}; "
          f"{args.people} people, {args.mentorships} mentorships per tenant, seed {args.seed}")
    for regime in args.regime or REGIMES:
        db = BenchDatabase(args.backend)
        try:
            app = make_app(db.url)
            g = generate_tenant(app, SLUG, regime, args.people, args.mentorships, args.seed)
            db.analyze()
            print(f"\n{regime}: generated {g['people']} people, {g['mentorships']} mentorships "
                  f"({g['closed']} closed), {g['assignments']} assignments, {g['papers']} papers, "
                  f"{g['absences']} absences in {g['seconds']:.1f} s")
            proc = subprocess.run([sys.executable, __file__, "--child", db.url],
                                  capture_output=True, text=True, env={**os.environ})
            if proc.returncode:
                print(proc.stderr[-3000:])
                return proc.returncode
            r = json.loads(proc.stdout.strip().splitlines()[-1])
        finally:
            db.drop()
        fetch = r["fetch"]
        print(f"  fetch (plain SQL)    {fetch:7.2f} s  {r['fetch_rows']} rows")
        print(f"  sweep, cold          {r['sweep_cold']:7.2f} s  = {r['sweep_cold'] / fetch:4.1f}x the fetch "
              f"(goal 3x and < 2 s: {'met' if r['sweep_cold'] <= 3 * fetch and r['sweep_cold'] < 2 else 'NOT met'}); "
              f"first request {r['sweep_first']:.2f} s")
        print(f"    load the case      {r['load']:7.2f} s  = {r['load'] / fetch:4.1f}x the fetch")
        print(f"    run every rule     {r['evaluate']:7.2f} s  ({r['evaluate'] / r['mentorships'] * 1e6:.0f} us/mentorship)")
        print(f"  sweep, warm          {r['sweep_warm'] * 1e3:7.1f} ms (from the kept results)")
        print(f"  findings {r['findings']}, deadlines {r['deadlines']}; summary {r['summary']}")
        print(f"  suggestions among {r['staff']} staff: warm {r['suggest_warm'] * 1e3:.0f} ms "
              f"(goal 200 ms: {'met' if r['suggest_warm'] < 0.2 else 'NOT met'}), cold "
              f"{r['suggest_cold'] * 1e3:.0f} ms (loads the case), median of 5 mentees, "
              f"{r['suggest_checked']:.0f} people checked; everyone checked: "
              f"{r['suggest_exhaustive']:.2f} s ({r['suggest_exhaustive_eligible']} eligible)")
        print(f"  memory: peak RSS {r['peak_rss_after_sweep_mib']:.0f} MiB after the cold sweep, "
              f"{r['rss_before_sweep_mib']:.0f} MiB before it")
    return 0


if __name__ == "__main__":
    sys.exit(main())
