"""Per-mentorship cost of a compliance sweep over generated scenarios.

Prints figures; never asserts a time. The reference is the time to fetch the same number
of rows from a database (SQLite in memory here, the embedded default; the PostgreSQL
comparison comes with storage). Goal from the issue: a sweep within 3x of the fetch.

    .venv/bin/python bench/sweep.py [--mentorships 50000] [--regime civil_service_2013]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sqlite3
import sys
import time
import tracemalloc

from nastavnik.core import registry
from nastavnik.core.calendar import calendar_for
from nastavnik.core.engine import Engine
from nastavnik.core.model import Absence, Assignment, Case, Mentorship, Order, Paper, Person

D = dt.date


def mentor_attributes(regime: str, rng: random.Random) -> dict:
    start = D(2000 + rng.randrange(0, 24), rng.randrange(1, 13), rng.randrange(1, 28)).isoformat()
    if regime == "civil_service_2013":
        return {"public_service_start": start,
                "last_assessment": {"year": 2025, "mark": rng.choice(["effective"] * 9 + ["satisfactory"])}}
    if regime == "prosecutor_2022":
        return {"prosecution_service_start": start, "entry_route": "competition",
                "position_level": rng.choice(["head_of_division", "deputy_district_prosecutor",
                                              "district_prosecutor"])}
    return {"administration": True, "experience_start": start, "in_management_reserve": False}


def mentee_attributes(regime: str) -> dict:
    if regime == "civil_service_2013":
        return {"corps": "B", "category": "C-5", "first_appointment": True}
    if regime == "prosecutor_2022":
        return {"entry_route": "competition", "first_entry": True}
    return {"in_management_reserve": True}


def generate(regime: str, n: int, seed: int = 1) -> Case:
    rng = random.Random(seed)
    case = Case()
    mentors = [f"t{i}" for i in range(max(1, n // 2))]
    for pid in mentors:
        case.people[pid] = Person(pid, attributes=mentor_attributes(regime, rng))
    kind = {"civil_service_2013": None, "prosecutor_2022": "young_employee"}.get(regime, "reservist")
    for i in range(n):
        mentee = f"s{i}"
        case.people[mentee] = Person(mentee, manager=mentors[0], attributes=mentee_attributes(regime))
        start = D(2024, 1, 1) + dt.timedelta(days=rng.randrange(0, 900))
        a = Assignment(mentors[i // 2], start, order=Order(str(i), start),
                       manager_submission=True, mentor_consent=True)
        papers = [Paper("plan", start + dt.timedelta(days=rng.randrange(0, 6)), "head"),
                  Paper("programme", start + dt.timedelta(days=rng.randrange(0, 9)), "head",
                        ("knowledge_skills", "legal_acts", "duty_responsibility",
                         "ethics_discipline", "corporate_culture"))]
        m = Mentorship(f"m{i}", mentee, kind, start, joined_on=start - dt.timedelta(days=2),
                       term_months=2, assignments=[a], papers=papers)
        if rng.random() < 0.1:
            case.add_absence(Absence(mentee, start + dt.timedelta(days=10), start + dt.timedelta(days=20)))
        case.mentorships.append(m)
    return case


def fetch_reference(case: Case) -> tuple[float, int]:
    """Seconds to SELECT every row the sweep reads (people, mentorships, assignments, papers,
    absences) from SQLite in memory, and how many rows that is."""
    db = sqlite3.connect(":memory:")
    db.executescript("""
        create table person (id text primary key, manager text, attributes text);
        create table mentorship (id text primary key, mentee text, kind text, start text,
                                 joined_on text, term_months int);
        create table assignment (mentorship text, mentor text, start text, end_ text,
                                 order_no text, order_date text, submission int, consent int);
        create table paper (mentorship text, kind text, done_on text, approved_by text,
                            sections text);
        create table absence (person text, start text, end_ text, valid int);
    """)
    db.executemany("insert into person values (?,?,?)",
                   [(p.id, p.manager, json.dumps(p.attributes)) for p in case.people.values()])
    db.executemany("insert into mentorship values (?,?,?,?,?,?)",
                   [(m.id, m.mentee, m.kind, str(m.start), str(m.joined_on), m.term_months)
                    for m in case.mentorships])
    db.executemany("insert into assignment values (?,?,?,?,?,?,?,?)",
                   [(m.id, a.mentor, str(a.start), None, a.order.number, str(a.order.date),
                     a.manager_submission, a.mentor_consent)
                    for m in case.mentorships for a in m.assignments])
    db.executemany("insert into paper values (?,?,?,?,?)",
                   [(m.id, p.kind, str(p.done_on), p.approved_by, ",".join(p.sections))
                    for m in case.mentorships for p in m.papers])
    db.executemany("insert into absence values (?,?,?,?)",
                   [(a.person, str(a.start), str(a.end), a.valid_reason)
                    for absences in case.absences.values() for a in absences])
    tables = ("person", "mentorship", "assignment", "paper", "absence")
    best, rows = float("inf"), 0
    for _ in range(3):
        t = time.perf_counter()
        rows = sum(len(db.execute(f"select * from {table}").fetchall()) for table in tables)
        best = min(best, time.perf_counter() - t)
    return best, rows


def time_sweep(regime_id: str, case: Case) -> tuple[float, int, int]:
    settings = {"min_experience_years": 3} if regime_id == "education_reserve" else {}
    regime = registry.get(regime_id)
    best, findings, deadlines = float("inf"), 0, 0
    for _ in range(3):
        engine = Engine(regime, regime.context(settings))
        t = time.perf_counter()
        ev = engine.evaluate(case, D(2026, 11, 23))
        best = min(best, time.perf_counter() - t)
        findings, deadlines = len(ev.findings), len(ev.deadlines)
    return best, findings, deadlines


def traced_peak(regime_id: str, case: Case) -> int:
    """Peak bytes Python allocates during one sweep (tracemalloc), the case not counted."""
    settings = {"min_experience_years": 3} if regime_id == "education_reserve" else {}
    regime = registry.get(regime_id)
    engine = Engine(regime, regime.context(settings))
    tracemalloc.start()
    engine.evaluate(case, D(2026, 11, 23))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def calendar_costs(k: int = 20000) -> tuple[float, float]:
    """Microseconds per '+5 working days': binary search vs a day-by-day holidays loop."""
    import holidays
    cal = calendar_for("KZ")
    kz = holidays.country_holidays("KZ", years=range(2024, 2028))
    days = [D(2024, 1, 1) + dt.timedelta(days=i % 900) for i in range(k)]
    t = time.perf_counter()
    for d in days:
        cal.add_working_days(d, 5)
    fast = (time.perf_counter() - t) / k * 1e6
    t = time.perf_counter()
    for d in days[: k // 10]:
        n, x = 0, d
        while n < 5:
            x += dt.timedelta(days=1)
            if x.weekday() < 5 and x not in kz:
                n += 1
    slow = (time.perf_counter() - t) / (k // 10) * 1e6
    return fast, slow


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentorships", type=int, default=50000)
    parser.add_argument("--regime", action="append")
    args = parser.parse_args(argv)
    n = args.mentorships
    regimes = args.regime or ["civil_service_2013", "prosecutor_2022", "education_reserve"]
    print(f"machine: python {sys.version.split()[0]}, {n} mentorships per sweep, best of 3")
    for regime_id in regimes:
        case = generate(regime_id, n)
        fetch, rows = fetch_reference(case)
        print(f"{regime_id:<20} fetch  {fetch * 1e3:8.1f} ms = {fetch / n * 1e6:6.2f} us/mentorship "
              f"({rows} rows from SQLite in memory: people, mentorships, assignments, papers, absences)")
        seconds, findings, deadlines = time_sweep(regime_id, case)
        peak = traced_peak(regime_id, case)  # a separate run: tracing slows Python ~10x
        print(f"{regime_id:<20} sweep  {seconds * 1e3:8.1f} ms = {seconds / n * 1e6:6.2f} us/mentorship "
              f"({seconds / fetch:5.1f}x the fetch); {findings} findings, {deadlines} deadlines; "
              f"peak allocated during the sweep {peak / 2**20:.0f} MiB")
    fast, slow = calendar_costs()
    print(f"calendar: +5 working days {fast:.2f} us by binary search vs {slow:.2f} us "
          f"stepping through `holidays` day by day ({slow / fast:.0f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
