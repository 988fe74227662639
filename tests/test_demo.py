"""nastavnik demo: three demo tenants, one per regime, loaded through the services."""

import datetime as dt

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from nastavnik import demo, services
from nastavnik.cli import main
from nastavnik.core.errors import InputError
from nastavnik.storage.models import AuditEntry, Mentorship, Person

AS_OF = dt.date(2026, 3, 16)


def counts(slug):
    with services.tenant(slug, "test") as work:
        return (work.session.scalar(sa.select(sa.func.count()).select_from(Person)),
                work.session.scalar(sa.select(sa.func.count()).select_from(Mentorship)))


def report(slug, as_of=AS_OF):
    with services.tenant(slug, "test") as work:
        return services.compliance_report(work, as_of)


def test_demo_loads_three_tenants_with_every_stage_and_the_council(app):
    results = demo.load(AS_OF)
    assert [r.slug for r in results] == list(demo.SLUGS)
    assert [r.status for r in results] == ["created"] * 3
    regimes = {t.slug: (t.regime, t.locale) for t in services.list_tenants()}
    assert regimes == {"demo-prosecutors": ("prosecutor_2022", "kk"),
                       "demo-civil-service": ("civil_service_2013", "ru"),
                       "demo-education": ("education_reserve", "ru")}
    for slug in demo.SLUGS:
        people, mentorships = counts(slug)
        assert 15 <= people <= 30 and mentorships >= 6, (slug, people, mentorships)
    education = services.get_tenant("demo-education")
    assert education.settings["min_experience_years"] == 5 and education.settings["max_mentees"] == 2
    # each load is a few seconds: the checks below share this one
    every_tenant_has_an_overdue_deadline_and_a_finding_with_its_paragraph()
    the_stories_of_each_regime()
    the_council_has_a_quorate_meeting_with_a_tie_broken_by_the_chair_and_one_not_quorate()


def every_tenant_has_an_overdue_deadline_and_a_finding_with_its_paragraph():
    for slug in demo.SLUGS:
        r = report(slug)
        assert r["summary"]["overdue"] >= 1 and r["summary"]["due_soon"] >= 1, slug
        assert r["summary"]["mentorships_open"] >= 4, slug
        shown = [f for f in r["findings"] if f["severity"] != "info"]
        assert shown and all(f["paragraph"] for f in shown), slug
        overdue = [d for d in r["deadlines"] if d["status"] == "overdue"]
        assert all(d["paragraph"] for d in overdue)


def the_stories_of_each_regime():
    with services.tenant("demo-civil-service", "test") as work:
        # p.8, last sentence: the direct manager, nobody else being eligible on the day
        view = services.find_mentorship(work, "UF-030")
        (only,) = services.assignments_of(view)
        assert only.fallback and services.find_person(work, "UF-012").id == only.mentor_id
        # p.11: the dismissed mentor replaced
        reasons = [a.end_reason for a in services.assignments_of(services.find_mentorship(work, "UF-024"))]
        assert reasons == ["dismissal", None]
        # capacity (p.10): two mentors at the limit of two
        suggestion = services.suggest_mentors(work, "UF-027", AS_OF)
        full = {e["number"] for e in suggestion["excluded"]
                if any(f.rule.id.endswith("p10.capacity") for f in e["findings"])}
        assert "UF-004" in full and suggestion["eligible_count"] >= 1
    cs = report("demo-civil-service")
    rules = {f["rule"] for f in cs["findings"]}
    assert {"civil_service_2013.p8.fallback", "civil_service_2013.p6.absence_extension"} <= rules
    assert cs["summary"]["violations"] == 0  # the demo itself keeps the rules

    with services.tenant("demo-prosecutors", "test") as work:
        suggestion = services.suggest_mentors(work, "AP-027", AS_OF)
        assert any(e["number"] == "AP-004" and any(f.rule.id.endswith("p13.capacity")
                                                   for f in e["findings"])
                   for e in suggestion["excluded"])
        assert [a.end_reason for a in services.assignments_of(
            services.find_mentorship(work, "AP-026"))] == ["transfer", None]
        closed = services.list_mentorships(work, "closed")
        assert len(closed) == 1

    with services.tenant("demo-education", "test") as work:
        assert len(services.list_mentorships(work, "closed")) == 2
        suggestion = services.suggest_mentors(work, "UO-026", AS_OF)
        assert any(e["number"] == "UO-003" for e in suggestion["excluded"])


def the_council_has_a_quorate_meeting_with_a_tie_broken_by_the_chair_and_one_not_quorate():
    r = report("demo-prosecutors")
    meetings = r["councils"]
    assert sorted(m["quorate"] for m in meetings) == [False, True]
    quorate = next(m for m in meetings if m["quorate"])
    ties = [d for d in quorate["decisions"].values() if d["tie_broken_by_chair"]]
    assert len(ties) == 1 and ties[0]["adopted"] is True and ties[0]["for"] == ties[0]["against"]
    not_quorate = next(m for m in meetings if not m["quorate"])
    assert all(d["adopted"] is None for d in not_quorate["decisions"].values())
    assert any(f["rule"] == "prosecutor_2022.p21.quorum" and f["paragraph"] == "21"
               for f in r["findings"])
    # the composition is in order (p.17-19) and the first meeting was held in time (p.20)
    assert not [f for f in r["findings"] if f["rule"].split(".")[1] in ("p17", "p18", "p19")]
    first = next(d for d in r["deadlines"] if d["kind"] == "first_meeting")
    assert first["status"] == "done"


def test_running_twice_does_not_duplicate_and_reset_reloads_demo_tenants_only(app):
    services.create_tenant("other", "Other body", "civil_service_2013", actor="test")
    with services.tenant("other", "test") as work:
        services.add_person(work, number="X-1", full_name="Someone")
        with pytest.raises(InputError):
            demo.delete_data(work)  # only demo tenants are ever emptied
    demo.load(AS_OF)
    before = {slug: counts(slug) for slug in demo.SLUGS}
    again = demo.load(AS_OF)
    assert [r.status for r in again] == ["skipped"] * 3
    assert {slug: counts(slug) for slug in demo.SLUGS} == before
    assert len(services.list_tenants()) == 4

    reset = demo.load(AS_OF, reset=True)
    assert [r.status for r in reset] == ["reset"] * 3
    assert {slug: counts(slug) for slug in demo.SLUGS} == before
    assert counts("other") == (1, 0)
    with services.tenant("demo-education", "test") as work:  # the deletions are audited
        deleted = work.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "delete", AuditEntry.entity == "person",
            AuditEntry.actor == demo.ACTOR))
        assert deleted == before["demo-education"][0]


def test_as_of_out_of_range_is_refused(app):
    with pytest.raises(InputError):
        demo.load(dt.date(2020, 1, 1))


def test_cli_demo_creates_the_schema_of_an_empty_database_and_tells_the_story_any_day(
        tmp_path, monkeypatch):
    from nastavnik.storage.models import db

    url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)  # as a user runs it: no web app anywhere
    as_of = "2027-03-27"  # a Saturday after Nauryz
    out = CliRunner().invoke(main, ["demo", "--as-of", as_of], obj={"lang": "en"})
    assert out.exit_code == 0, out.output
    assert "database created at revision" in out.output
    with db.bound(url):
        for slug in demo.SLUGS:
            summary = report(slug, dt.date.fromisoformat(as_of))["summary"]
            assert summary["overdue"] >= 1 and summary["due_soon"] >= 1


def test_cli_demo(app):
    runner = CliRunner()
    args = ["demo", "--as-of", AS_OF.isoformat()]
    out = runner.invoke(main, args, obj={"lang": "en"})
    assert out.exit_code == 0, out.output
    for slug in demo.SLUGS:
        assert f"{slug}: created" in out.output
        assert f"nastavnik check --tenant {slug} --as-of {AS_OF.isoformat()}" in out.output
    assert "overdue" in out.output and "council meetings: 2 (1 quorate)" in out.output
    assert "nastavnik council show --tenant demo-prosecutors" in out.output
    assert "nastavnik suggest --tenant demo-civil-service UF-027 --on 2026-03-16" in out.output

    out = runner.invoke(main, args, obj={"lang": "en"})
    assert out.exit_code == 0, out.output
    assert out.output.count("exists, left as it is") == 3

    out = runner.invoke(main, ["check", "--tenant", "demo-civil-service", "--as-of", "2026-03-16"],
                        obj={"lang": "en"})
    assert out.exit_code == 0 and "overdue" in out.output

    out = runner.invoke(main, ["demo", "--as-of", "2019-05-05"], obj={"lang": "en"})
    assert out.exit_code == 2 and "2024-01-01" in out.output


def test_reset_deletes_every_tenant_table_but_the_audit_trail():
    from nastavnik.storage.models import TENANT_TABLES

    deleted = {model.__tablename__ for model in demo._DELETE_ORDER + demo._DERIVED}
    assert deleted == set(TENANT_TABLES) - {"audit_entry"}
