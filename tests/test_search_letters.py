"""Searching people and mentorships by name works in every alphabet the bodies write in:
a Kazakh or Russian name is found whatever the case of the letters typed, on SQLite (whose
own lower() knows only ASCII) as on PostgreSQL."""

import datetime as dt

import pytest

from nastavnik import services


@pytest.fixture
def staff(app):
    services.create_tenant("akmola", "Akmola prosecutors", "prosecutor_2022", actor="test",
                           locale="kk")
    with services.tenant("akmola", "test") as t:
        services.add_person(t, number="P-001", full_name="Ахметов Серік Болатұлы")
        services.add_person(t, number="P-002", full_name="Әлиева Дана")
        services.add_person(t, number="P-003", full_name="Bekov Arman")
    return app


@pytest.mark.parametrize("typed, found", [
    ("ахм", ["P-001"]), ("АХМЕТОВ", ["P-001"]), ("серік", ["P-001"]), ("әли", ["P-002"]),
    ("ӘЛИ", ["P-002"]), ("bek", ["P-003"]), ("p-00", ["P-001", "P-002", "P-003"]),
    ("нет такого", []),
])
def test_people_are_found_by_name_in_any_case(staff, typed, found):
    with services.tenant("akmola", "test") as t:
        assert [p.number for p in services.list_people(t, search=typed)] == found
