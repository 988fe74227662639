"""docs/plugin-hooks.md's reference part is what the code says (core/docs.py)."""

from nastavnik.core import docs


def test_the_reference_part_is_current():
    text = docs.DOC.read_text(encoding="utf-8")
    assert text == docs.render(text), (
        "docs/plugin-hooks.md is out of date: run `python -m nastavnik.core.docs`")


def test_every_helper_says_what_it_does():
    undocumented = [line for line in docs.generated().split("## Helpers")[1].splitlines()
                    if line.lstrip().startswith("- `") and line.rstrip().endswith("`:")]
    assert not undocumented, "give these a docstring:\n" + "\n".join(undocumented)
