"""The SVG helpers: real charts, escaped text, accessible titles, a sensible time axis."""

from datetime import datetime, timedelta
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

from dashboard import charts

TOKYO = ZoneInfo("Asia/Tokyo")
SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ElementTree.Element:
    # Well-formed XML is what a browser and a printer need; namespaced for ElementTree.
    return ElementTree.fromstring(  # noqa: S314 - our own markup
        markup.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
    )


def test_stacked_bars_escape_user_text_and_carry_titles():
    evil = '<script>alert("x")</script> & 事案'
    markup = charts.stacked_bars(
        [charts.BarRow(evil, {"done": 2, "overdue": 1}, href="/incidents/A/?org=1&x=2")],
        [
            charts.Series("done", "Done", "act-done"),
            charts.Series("overdue", "Overdue", "act-overdue"),
        ],
        title="Progress <b>",
    )
    assert "<script>" not in markup
    assert "&lt;script&gt;" in markup
    root = parse(markup)
    assert root.get("viewBox").startswith("0 0 ")
    assert root.get("width") == "100%"
    titles = [t.text for t in root.iter(f"{SVG}title")]
    assert "Progress <b>" in titles
    assert any(t and t.endswith("Overdue: 1") for t in titles)
    bars = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    widths = [float(r.get("width")) for r in bars if r.get("class") == "act-done"]
    assert len(widths) == 1 and widths[0] > 0


def test_stacked_bars_empty_and_zero():
    assert parse(charts.stacked_bars([], [], title="Nothing")).tag == f"{SVG}svg"
    markup = charts.stacked_bars(
        [charts.BarRow("zero", {"a": 0})], [charts.Series("a", "A", "a")], title="Zero"
    )
    bars = [r for r in parse(markup).iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert bars == []  # the legend and the empty track only


def test_time_ticks_are_round_local_times():
    start = datetime(2022, 2, 3, 1, 0, tzinfo=ZoneInfo("UTC"))  # 10:00 in Tokyo
    ticks = charts.time_ticks(start, start + timedelta(days=160), TOKYO)
    assert 2 <= len(ticks) <= 9
    assert all(t.astimezone(TOKYO).day == 1 and t.hour == 0 for t, _ in ticks)
    assert ticks[0][1] == "2022-03"
    hours = charts.time_ticks(start, start + timedelta(hours=10), TOKYO)
    assert all(t.minute == 0 for t, _ in hours)
    assert hours[0][1].startswith("02-03 ")
    days = charts.time_ticks(start, start + timedelta(days=5), TOKYO)
    assert days[0][1] == "2022-02-04"


def test_timeline_chart_has_lanes_points_and_deadlines():
    aware = datetime(2022, 2, 3, 10, tzinfo=TOKYO)
    lanes = [
        charts.Lane("Detection", [charts.Point(aware, "found <it>")]),
        charts.Lane(
            "Legal deadlines",
            [charts.Point(aware + timedelta(days=4), "Due", css="ob-overdue", shape="diamond")],
        ),
    ]
    markers = [
        charts.Marker(aware, "Aware", "aware"),
        charts.Marker(aware + timedelta(days=4), "Due: PPC", "ob-overdue"),
    ]
    markup = charts.timeline_chart(
        lanes, markers, tz=TOKYO, title="Timeline", tz_label="Asia/Tokyo"
    )
    root = parse(markup)
    assert len(list(root.iter(f"{SVG}circle"))) == 1
    assert len(list(root.iter(f"{SVG}path"))) == 1
    assert len([g for g in root.iter(f"{SVG}g") if "marker" in (g.get("class") or "")]) == 2
    titles = [t.text for t in root.iter(f"{SVG}title")]
    assert "2022-02-03 10:00 found <it>" in titles
    assert "Due: PPC: 2022-02-07 10:00" in titles
    assert "Asia/Tokyo" in markup
    assert "&lt;it&gt;" in markup


def test_timeline_chart_without_dates():
    root = parse(charts.timeline_chart([charts.Lane("x")], [], tz=TOKYO, title="Empty"))
    assert root.tag == f"{SVG}svg"
