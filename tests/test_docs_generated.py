"""docs/plugin-hooks.md's reference part is what the code says (core/docs.py)."""

from nastavnik.core import docs


def test_the_reference_part_is_current():
    text = docs.DOC.read_text(encoding="utf-8")
    assert text == docs.render(text), (
        "docs/plugin-hooks.md is out of date: run `python -m nastavnik.core.docs`")


def test_every_field_and_helper_says_what_it_is():
    undocumented = [line for line in docs.generated().splitlines()
                    if (line.lstrip().startswith("- `") and line.rstrip().endswith("`:"))
                    or (line.startswith("| `") and line.rstrip().endswith("|  |"))]
    assert not undocumented, "give these a docstring (a field: a comment on its line):\n" + "\n".join(undocumented)
