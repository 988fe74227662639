"""The dashboard's timeline: month labels that neither overlap nor run past the edge,
"today" in the legend, tooltips with local dates and words, names that lead to the
mentorship."""

import datetime as dt
import re
import xml.etree.ElementTree as ET

from test_web_mentorships import assign, login, text, web  # noqa: F401  (the fixture)

NS = "{http://www.w3.org/2000/svg}"


def _svg(page: str) -> ET.Element:
    return ET.fromstring(re.search(r"<svg class=\"timeline\".*?</svg>", page, re.S).group(0))


def test_month_labels_fit_and_names_link_to_the_mentorship(web):  # noqa: F811
    first = assign("alpha", "A1", "S1", dt.date(2025, 1, 6))
    assign("alpha", "N1", "S1", dt.date(2026, 3, 2))
    client = login(web)
    page = client.get("/t/alpha/?as_of=2026-12-15").get_data(as_text=True)
    svg = _svg(page)
    width = float(svg.get("viewBox").split()[2])
    xs = [float(t.get("x")) for t in svg.iter(f"{NS}text") if t.get("class") == "axis"]
    grid = [line for line in svg.iter(f"{NS}line") if line.get("class") == "grid"]
    assert len(xs) >= 4 and len(grid) > len(xs)  # 23 months: not a label for each
    assert all(b - a >= 50 for a, b in zip(xs, xs[1:]))  # none over the one before
    assert xs[-1] + 50 <= width  # the last is not cut
    links = {a.get("href"): "".join(a.itertext()) for a in svg.iter(f"{NS}a")}
    assert links[f"/t/alpha/mentorships/{first}"].startswith("Aigerim New")
    assert "today" in text(client.get("/t/alpha/?as_of=2026-12-15")).split('class="legend"')[1] \
        .split("</p>")[0]


def test_tooltips_have_local_dates_and_words(web):  # noqa: F811
    assign("alpha", "A1", "S1", dt.date(2026, 3, 2))
    client = login(web)
    client.post("/language/ru")
    page = client.get("/t/alpha/?as_of=2026-03-10").get_data(as_text=True)
    titles = ["".join(t.itertext()) for t in _svg(page).iter(f"{NS}title")]
    bar = next(t for t in titles if t.startswith("Aigerim New: "))
    assert "02.03.2026 – " in bar and "2026-03-02" not in bar
    assert ("Aigerim New — Индивидуальный план адаптации и профессионального обучения (п.12): "
            "Срок 05.03.2026 – просрочено") in titles
    assert not re.search(r"\d{4}-\d\d-\d\d", " ".join(titles))
    legend = page.split('class="legend"')[1].split("</p>")[0]
    assert "сегодня" in legend
