"""Subjects are built and read in one place (core/subjects.py)."""

from nastavnik.core.subjects import Subject, assignment_subject, part_subject, within


def test_an_assignments_subject_reads_back():
    subject = assignment_subject("m1", 2)
    assert subject == "m1/a2" and isinstance(subject, str)
    assert subject.owner == "m1" and subject.assignment_number == 2
    assert Subject("m1").owner == "m1" and Subject("m1").assignment_number is None


def test_a_meetings_subject_is_a_part_of_its_council():
    subject = part_subject("c1", "meet-7")
    assert subject.owner == "c1" and subject.assignment_number is None
    assert within(subject, "c1") and within("c1", "c1")
    assert not within("c10/a1", "c1")  # a prefix of the id is not the owner
