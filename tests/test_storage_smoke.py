import datetime as dt

from nastavnik import services


def test_assign_and_sweep(app):
    services.create_tenant("cs", "Civil", "civil_service_2013", actor="test")
    with services.tenant("cs", "test") as t:
        services.add_person(t, number="M1", full_name="Boss", attributes={
            "public_service_start": "2010-01-01", "last_assessment": {"year": 2025, "mark": "effective"}})
        services.add_person(t, number="S1", full_name="New", manager="M1",
                            attributes={"corps": "B", "category": "C-5", "first_appointment": True})
        m, check = services.assign_mentor(t, "S1", "M1", dt.date(2026, 3, 2))
        assert check.allowed
    with services.tenant("cs", "test") as t:
        report = services.compliance_report(t, dt.date(2026, 4, 1))
        assert report["summary"]["overdue"] == 1
