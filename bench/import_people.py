"""Time the person import (services.importing) on a realistic agency-sized file.

Generates a CSV of N people for one tenant (Excel's Russian "CSV UTF-8": BOM, ';',
DD.MM.YYYY dates; units, positions, a management hierarchy whose managers are other rows
of the file, earlier or later; hire dates; the regime's person attributes as dotted
columns and JSON), then imports it into a fresh database of each backend and prints
figures. Goal from issue 6: 100,000 people in under 30 s on PostgreSQL. Prints figures;
never asserts a time (it does check that the import did what it should).

For each backend, in a child process of its own (a clean peak RSS, nothing cached):

- fresh: the file into an empty tenant (another tenant holds a few hundred people);
- same file again: every row an update, nothing changed;
- changed file: the same people, 5% of them changed (unit, position, manager or an
  attribute), plus 1% new people.

PostgreSQL: a fresh database is created on the server (``--pg``, default the tests'
``NASTAVNIK_TEST_PG`` or 127.0.0.1:5432), migrated by its owner with the project's own
upgrade path, and the import connects as the non-owner role ``nastavnik_app`` under
row-level security, as in production (tests/databases.py); the database is dropped at
the end. SQLite: a migrated file in a temporary folder.

    .venv/bin/python bench/import_people.py [--people 100000] [--backend postgresql|sqlite|both]
                                           [--regime civil_service_2013] [--seed 1]
                                           [--profile out.prof]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # databases.py: the tests' fresh PostgreSQL database

D = dt.date
SLUG = "bench-agency"
OTHER = "bench-other"
ACTOR = "hr:bench"

FIRST = ["Айгерим", "Асель", "Дана", "Жанар", "Сауле", "Гульнара", "Алия", "Мадина", "Ерлан",
         "Нурлан", "Бауыржан", "Даурен", "Ержан", "Асхат", "Тимур", "Ольга", "Ирина", "Сергей",
         "Андрей", "Дмитрий", "Елена", "Наталья", "Марат", "Руслан", "Aidar", "Kamila"]
LAST = ["Сатпаев", "Жумабаев", "Ахметов", "Омаров", "Касымов", "Нургалиев", "Сулейменов",
        "Искаков", "Бекмухамбетов", "Тулегенов", "Иванов", "Петров", "Смирнов", "Ким", "Пак",
        "Абдрахманов", "Есенов", "Мусин", "Садыков", "Кенжебаев"]
PATRONYMIC = ["Ерланович", "Нурланович", "Маратовна", "Сериковна", "Сергеевич", "Асхатович",
              "Бауыржановна", "Андреевна", ""]
CS_CATEGORIES = ["B-1", "B-2", "B-3", "C-1", "C-3", "C-4", "C-5", "C-O-3", "D-1", "D-3", "E-2"]
PR_LEVELS = ["assistant", "senior_assistant", "head_of_division", "deputy_district_prosecutor",
             "district_prosecutor", "deputy_regional_prosecutor"]


def _day(rng: random.Random, start: D, end: D) -> D:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def _ru(day: D | None) -> str:
    return day.strftime("%d.%m.%Y") if day else ""


# --- regimes' attributes --------------------------------------------------------------------
# One generator per regime, each writing only what its person schema (plugins/*/schemas.py)
# allows; the import validates every row against that schema, so a slip here shows as a
# rejected file, not as wrong figures.

def civil_service(rng, hired: D, senior: bool) -> dict:
    start = _day(rng, hired - dt.timedelta(days=3650), hired) if rng.random() < 0.3 else hired
    row = {"public_service_start": _ru(start),
           "prior_service_months": str(rng.randrange(1, 120)) if rng.random() < 0.2 else "",
           "corps": rng.choice("AB") if rng.random() < 0.9 else "",
           "category": rng.choice(CS_CATEGORIES),
           "first_appointment": "да" if hired.year >= 2025 and rng.random() < 0.7 else "нет",
           "last_assessment.year": "", "last_assessment.mark": "", "disciplinary_penalties": ""}
    if hired.year < 2025 and rng.random() < 0.85:
        row["last_assessment.year"] = str(rng.choice((2024, 2025)))
        row["last_assessment.mark"] = rng.choices(
            ["excellent", "effective", "satisfactory", "unsatisfactory"], [2, 12, 5, 1])[0]
    if rng.random() < 0.03:
        imposed = _day(rng, D(2022, 1, 1), D(2025, 12, 31))
        row["disciplinary_penalties"] = json.dumps(
            [{"kind": rng.choice(["reprimand", "severe_reprimand"]), "imposed": imposed.isoformat(),
              "until": (imposed + dt.timedelta(days=365)).isoformat()}], ensure_ascii=False)
    return row


def prosecutor(rng, hired: D, senior: bool) -> dict:
    academy = rng.random() < 0.3
    row = {"entry_route": "academy" if academy else "competition",
           "first_entry": "да" if hired.year >= 2025 else "нет",
           "prosecution_service_start": _ru(hired),
           "prior_service_months": str(rng.randrange(1, 60)) if rng.random() < 0.15 else "",
           "position_level": (rng.choice(PR_LEVELS[2:]) if senior else rng.choice(PR_LEVELS[:3])),
           "head_or_deputy": "да" if senior and rng.random() < 0.2 else "",
           "awards": ""}
    if senior and rng.random() < 0.3:
        row["awards"] = json.dumps([{"name": "Медаль «Прокуратура органдарының үздігі»",
                                     "date": _day(rng, hired, D(2025, 12, 1)).isoformat(),
                                     "kind": "departmental"}], ensure_ascii=False)
    return row


def education(rng, hired: D, senior: bool) -> dict:
    reserve = not senior and rng.random() < 0.2
    return {"in_management_reserve": "да" if reserve else "нет",
            "reserve_included_on": _ru(_day(rng, D(2024, 9, 1), D(2026, 3, 1))) if reserve else "",
            "administration": "да" if senior else "нет",
            "administration_position": "заместитель директора" if senior else "",
            "experience_start": _ru(_day(rng, hired - dt.timedelta(days=5000), hired)),
            "prior_experience_months": "",
            "organisation": f"МОУ СОШ № {rng.randrange(1, 8)}"}


REGIMES = {"civil_service_2013": civil_service, "prosecutor_2022": prosecutor,
           "education_reserve": education}
SETTINGS = {"education_reserve": {"min_experience_years": 3}}


# --- the file --------------------------------------------------------------------------------

def generate(n: int, regime: str, seed: int, prefix: str = "") -> tuple[list[str], list[dict]]:
    """(columns, rows): a hierarchy of ~n/1000 departments under a chief, ~n/40 units each
    with a head, everyone else in a unit under its head. Personnel numbers are dealt at
    random, and the file is sorted by number as an HR export is, so a manager's row comes
    before or after their staff's at random."""
    rng = random.Random(seed)
    attributes = REGIMES[regime]
    numbers = [f"{prefix}{i:07d}" for i in rng.sample(range(1, 10 * n + 1), n)]
    departments = max(1, n // 1000)
    units = max(1, n // 40)
    people = []  # (number, unit, position, manager, senior)
    chief = numbers[0]
    people.append((chief, "Руководство", "Руководитель", None, True))
    heads_of_department = numbers[1:1 + departments]
    for d, number in enumerate(heads_of_department):
        people.append((number, f"Департамент {d + 1}", "Директор департамента", chief, True))
    unit_heads = numbers[1 + departments:1 + departments + units]
    unit_names = []
    for u, number in enumerate(unit_heads):
        d = u % departments
        name = f"Департамент {d + 1} / Управление {u // departments + 1}"
        unit_names.append(name)
        people.append((number, name, "Руководитель управления", heads_of_department[d], True))
    for number in numbers[1 + departments + units:]:
        u = rng.randrange(units)
        position = rng.choices(["Главный эксперт", "Эксперт", "Главный специалист", "Специалист"],
                               [2, 4, 3, 3])[0]
        people.append((number, unit_names[u], position, unit_heads[u], False))

    rows = []
    for number, unit, position, manager, senior in people:
        hired = _day(rng, D(1995, 1, 1), D(2020, 12, 31)) if senior else \
            _day(rng, D(2000, 1, 1), D(2026, 3, 1))
        name = f"{rng.choice(LAST)} {rng.choice(FIRST)} {rng.choice(PATRONYMIC)}".strip()
        rows.append({"number": number, "full_name": name, "unit": unit, "position": position,
                     "manager": manager or "", "hired_on": _ru(hired),
                     **attributes(rng, hired, senior)})
    rows.sort(key=lambda r: r["number"])
    return list(rows[0]), rows


def changed(columns: list[str], rows: list[dict], regime: str, seed: int,
            share: float = 0.05, new_share: float = 0.01) -> list[dict]:
    """The monthly re-import: the same people, ``share`` of them changed (moved to another
    unit and manager, promoted, or an attribute changed), and ``new_share`` new people."""
    rng = random.Random(seed + 1)
    rows = [dict(r) for r in rows]
    heads = {r["unit"]: r["number"] for r in rows if r["position"] == "Руководитель управления"}
    units = sorted(heads)
    for row in rng.sample(rows, int(len(rows) * share)):
        what = rng.randrange(3)
        if what == 0 and row["position"] != "Руководитель управления" and row["manager"]:
            row["unit"] = rng.choice(units)
            row["manager"] = heads[row["unit"]]
        elif what == 1:
            row["position"] = "Главный эксперт" if row["position"] != "Главный эксперт" else "Эксперт"
        else:
            hired = dt.datetime.strptime(row["hired_on"], "%d.%m.%Y").date()
            fresh = REGIMES[regime](rng, hired, row["position"] != "Специалист")
            fresh = {k: v for k, v in fresh.items() if v != row.get(k)} or {"full_name": row["full_name"] + "а"}
            row.update(fresh)
    known = {r["number"] for r in rows}
    for i in range(int(len(rows) * new_share)):
        number = f"N{i:07d}"
        assert number not in known
        unit = rng.choice(units)
        hired = _day(rng, D(2026, 1, 1), D(2026, 3, 1))
        rows.append({"number": number, "full_name": f"{rng.choice(LAST)} {rng.choice(FIRST)}",
                     "unit": unit, "position": "Специалист", "manager": heads[unit],
                     "hired_on": _ru(hired), **REGIMES[regime](rng, hired, False)})
    return rows


def write_csv(path: Path, columns: list[str], rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f, delimiter=";")
        out.writerow(columns)
        out.writerows([r.get(c, "") for c in columns] for r in rows)


# --- one backend, in a child process --------------------------------------------------------

class Clock:
    """Seconds spent in named functions of the import, and in SQL by statement kind."""

    def __init__(self):
        self.seconds = defaultdict(float)

    def wrap(self, module, name: str, label: str) -> None:
        if not hasattr(module, name):
            return  # the import of another version of the code may not have this step
        inner = getattr(module, name)

        def timed(*args, **kwargs):
            t = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                self.seconds[label] += time.perf_counter() - t
        setattr(module, name, timed)

    def watch_sql(self, engine) -> None:
        import sqlalchemy as sa

        starts = []

        @sa.event.listens_for(engine, "before_cursor_execute")
        def _before(conn, cursor, statement, parameters, context, executemany):
            starts.append(time.perf_counter())

        @sa.event.listens_for(engine, "after_cursor_execute")
        def _after(conn, cursor, statement, parameters, context, executemany):
            words = statement.split(None, 3)
            kind = words[0].lower()
            table = (words[2] if kind == "insert" else words[1] if kind == "update" else "")
            self.seconds[f"sql {kind} {table}".strip()] += time.perf_counter() - starts.pop()

    def take(self) -> dict:
        out = dict(self.seconds)
        self.seconds.clear()
        return out


def server_cpu(database: str | None) -> float:
    """CPU seconds used so far by the PostgreSQL processes serving ``database`` (this
    machine's server): what the database did, whatever else the machine is doing."""
    if database is None:
        return 0.0
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if f"{database} ".encode() not in f.read().replace(b"\0", b" "):
                    continue
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
        except OSError:
            continue
    return total


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(backend: str, files: dict, regime: str, pg_server: str | None, profile: str | None):
    """Import the files into a fresh database of ``backend``; figures as a dict."""
    import sqlalchemy as sa

    from nastavnik import services
    from nastavnik.services import importing
    from nastavnik.storage import audit, upgrade_database
    from nastavnik.storage.models import AuditEntry, Person, db
    from nastavnik.web import create_app

    cleanup = None
    workdir = tempfile.mkdtemp(prefix="nastavnik-bench-")
    if backend == "postgresql":
        if pg_server:
            os.environ["NASTAVNIK_TEST_PG"] = pg_server
        import databases

        database = databases.PostgresDatabase()
        url, cleanup, server = database.app_url, database.drop, database.name
    else:
        server = None
        url = f"sqlite:///{workdir}/bench.sqlite3"
        upgrade_database(url)
    os.environ.setdefault("NASTAVNIK_INSTANCE", workdir)
    figures = {"backend": backend, "steps": []}
    try:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
        with app.app_context():
            clock = Clock()
            clock.watch_sql(db.engine)
            clock.wrap(importing, "read_rows", "parse")
            clock.wrap(importing, "_check", "parse+validate")
            clock.wrap(importing, "_save", "write")
            clock.wrap(importing, "_audit", "audit")  # the bulk trail, where there is one
            services.create_tenant(SLUG, "Bench agency", regime, actor=ACTOR,
                                   settings=SETTINGS.get(regime))
            services.create_tenant(OTHER, "Other agency", regime, actor=ACTOR,
                                   settings=SETTINGS.get(regime))
            with services.tenant(OTHER, ACTOR) as work:
                importing.import_people(work, files["other"])
            clock.take()
            if profile:
                import cProfile
                profiler = cProfile.Profile()
            for step in ("fresh", "same", "changed"):
                path = files[step]
                t, cpu, db_cpu = time.perf_counter(), time.process_time(), server_cpu(server)
                if profile and step == "fresh":
                    profiler.enable()
                with services.tenant(SLUG, ACTOR) as work:
                    result = importing.import_people(work, path)
                if profile and step == "fresh":
                    profiler.disable()
                    profiler.dump_stats(profile)
                total, cpu = time.perf_counter() - t, time.process_time() - cpu
                db_cpu = server_cpu(server) - db_cpu
                seconds = clock.take()
                with services.tenant(SLUG, ACTOR):
                    people = db.session.scalar(sa.select(sa.func.count()).select_from(Person))
                    entries = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)
                                                .where(AuditEntry.entity == "person"))
                    db.session.rollback()
                rows = files[f"{step}_rows"]
                figures["steps"].append({
                    "step": step, "rows": rows, "created": result.created,
                    "updated": result.updated, "seconds": total, "cpu": cpu, "db_cpu": db_cpu, "people": people,
                    "audit_entries": entries, "breakdown": seconds,
                    "peak_rss_mb": peak_rss_mb()})
            with services.tenant(OTHER, ACTOR):
                figures["other_tenant_people"] = db.session.scalar(
                    sa.select(sa.func.count()).select_from(Person))
                db.session.rollback()
            db.session.remove()
            db.engine.dispose()
    finally:
        if cleanup:
            cleanup()
        shutil.rmtree(workdir, ignore_errors=True)
    del audit
    return figures


# --- the report -------------------------------------------------------------------------------

def report(figures: dict, files: dict) -> None:
    print(f"\n{figures['backend']}")
    for s in figures["steps"]:
        b = s["breakdown"]
        parse = b.get("parse", 0.0)
        validate = b.get("parse+validate", 0.0) - parse
        write = b.get("write", 0.0)
        audit_s = b.get("audit", 0.0)
        sql = {k: v for k, v in b.items() if k.startswith("sql")}
        audit_sql = sum(v for k, v in sql.items() if "audit_entry" in k)
        commit = s["seconds"] - b.get("parse+validate", 0.0) - write
        print(f"  {s['step']:<8} {s['rows']:>7} rows {s['seconds']:7.1f} s "
              f"{s['rows'] / s['seconds']:8.0f} rows/s  created {s['created']}, "
              f"updated {s['updated']}; peak RSS {s['peak_rss_mb']:.0f} MB")
        print(f"           CPU: this process {s['cpu']:.1f} s" + (
            f", the PostgreSQL backend {s['db_cpu']:.1f} s" if s["db_cpu"] else "")
            + " (the rest of the time: waiting for a core, or for the disk)")
        print(f"           parse {parse:.1f} s, validate {validate:.1f} s, write {write:.1f} s "
              f"(of which audit {audit_s:.1f} s; SQL on audit_entry {audit_sql:.1f} s), "
              f"commit and the rest {commit:.1f} s")
        top = sorted(sql.items(), key=lambda kv: -kv[1])[:4]
        print("           SQL: " + ", ".join(f"{k[4:]} {v:.1f} s" for k, v in top))
        print(f"           tenant holds {s['people']} people, {s['audit_entries']} person "
              f"audit entries")
    print(f"  other tenant still holds {figures['other_tenant_people']} people "
          f"(imported {files['other_rows']})")


def check(figures: dict, files: dict) -> None:
    """What each step must have done, whatever it cost: a wrong import is no figure."""
    fresh, same, changed_ = figures["steps"]
    n, m = files["fresh_rows"], files["changed_rows"]
    problems = []
    if (fresh["created"], fresh["people"], fresh["audit_entries"]) != (n, n, fresh["audit_entries"]):
        problems.append(f"fresh import: {fresh}")
    if fresh["audit_entries"] < n:
        problems.append(f"fresh import audited {fresh['audit_entries']} of {n} people")
    if (same["created"], same["updated"], same["audit_entries"]) != (0, n, fresh["audit_entries"]):
        problems.append(f"unchanged re-import wrote to the trail or created people: {same}")
    if changed_["people"] != m or changed_["created"] != m - n:
        problems.append(f"changed re-import: {changed_}")
    if not fresh["audit_entries"] < changed_["audit_entries"] <= fresh["audit_entries"] + \
            files["changed_people"] + (m - n):
        problems.append(f"changed re-import audited {changed_['audit_entries'] - fresh['audit_entries']}"
                        f" entries for {files['changed_people']} changed and {m - n} new people")
    if figures["other_tenant_people"] != files["other_rows"]:
        problems.append(f"the other tenant now holds {figures['other_tenant_people']} people")
    if problems:
        sys.exit("the import did not do what it should:\n" + "\n".join(problems))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--backend", choices=["postgresql", "sqlite", "both"], default="both")
    parser.add_argument("--regime", choices=sorted(REGIMES), default="civil_service_2013")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pg", help="PostgreSQL server URL (a database is created there)")
    parser.add_argument("--profile", help="write a cProfile of the fresh import to this file "
                                          "(one backend)")
    parser.add_argument("--keep", help="write the generated files into this folder")
    parser.add_argument("--child", help=argparse.SUPPRESS)  # internal: JSON of one run
    args = parser.parse_args(argv)

    if args.child:
        import logging
        logging.disable(logging.INFO)  # alembic's migration log
        spec = json.loads(args.child)
        print(json.dumps(measure(spec["backend"], spec["files"], args.regime, args.pg,
                                 args.profile)))
        return

    folder = Path(args.keep or tempfile.mkdtemp(prefix="nastavnik-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    columns, rows = generate(args.people, args.regime, args.seed)
    later = changed(columns, rows, args.regime, args.seed)
    other_columns, other = generate(300, args.regime, args.seed + 7, prefix="X")
    files = {"fresh": str(folder / "people.csv"), "same": str(folder / "people.csv"),
             "changed": str(folder / "people-changed.csv"), "other": str(folder / "other.csv"),
             "fresh_rows": len(rows), "same_rows": len(rows), "changed_rows": len(later),
             "other_rows": len(other),
             "changed_people": sum(1 for a, b in zip(rows, later) if a != b)}
    write_csv(Path(files["fresh"]), columns, rows)
    write_csv(Path(files["changed"]), columns, later)
    write_csv(Path(files["other"]), other_columns, other)
    size = Path(files["fresh"]).stat().st_size / 2 ** 20
    print(f"{args.people} people of {args.regime}, seed {args.seed}: {size:.1f} MB CSV, "
          f"{len(columns)} columns, generated in {time.perf_counter() - t:.1f} s; "
          f"re-import: {files['changed_people']} changed, {len(later) - len(rows)} new")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.1f} (other work on the machine skews the seconds)")

    backends = ["postgresql", "sqlite"] if args.backend == "both" else [args.backend]
    try:
        run(backends, files, args)
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


def run(backends: list[str], files: dict, args) -> None:
    for backend in backends:
        command = [sys.executable, __file__, "--regime", args.regime,
                   "--child", json.dumps({"backend": backend, "files": files})]
        if args.pg:
            command += ["--pg", args.pg]
        if args.profile:
            command += ["--profile", f"{args.profile}.{backend}" if len(backends) > 1 else args.profile]
        done = subprocess.run(command, stdout=subprocess.PIPE, text=True)
        if done.returncode:
            sys.exit(f"{backend}: the run failed (exit {done.returncode})")
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        report(figures, files)
        check(figures, files)


if __name__ == "__main__":
    main()
