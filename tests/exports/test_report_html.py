"""The HTML report: one self-contained file, Plotly inline once, text escaped, accessible."""

import itertools
import re
from html.parser import HTMLParser

from export_scenario import EXPORTED_AT

from exports.followup_json import render_followup
from exports.html_page import plotly_js
from exports.report_html import render_html


class Outline(HTMLParser):
    """Collects what the structure tests look at: tags, scripts, links, headings."""

    def __init__(self):
        super().__init__()
        self.tags, self.scripts, self.sources, self.headings = [], [], [], []
        self._heading = None
        self._script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        for key in ("src", "href"):
            if attrs.get(key) and not attrs[key].startswith("#"):
                self.sources.append(attrs[key])
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = [tag, ""]
        self._script = tag == "script"
        if self._script:
            self.scripts.append("")

    def handle_endtag(self, tag):
        if self._heading and tag == self._heading[0]:
            self.headings.append(tuple(self._heading))
            self._heading = None
        if tag == "script":
            self._script = False

    def handle_data(self, data):
        if self._heading:
            self._heading[1] += data
        if self._script:
            self.scripts[-1] += data


def outline(finished):
    page = render_html(finished.service, now=EXPORTED_AT)
    parsed = Outline()
    parsed.feed(page)
    return page, parsed


def test_report_is_self_contained_with_plotly_inline_once(finished):
    page, parsed = outline(finished)
    assert parsed.sources == []  # no external script, stylesheet, image or link
    assert page.count(plotly_js()[:200]) == 1
    # plotly.min.js names CDNs for features a report never uses (MathJax, map data); the
    # only other addresses are the ones participants typed (http://x).
    assert not re.search(r"https?://(?!x\b)", page.replace(plotly_js(), ""))
    assert parsed.tags[0][0] == "html" and parsed.tags[0][1]["lang"] == "nl"
    assert sum(tag == "style" for tag, _ in parsed.tags) == 1


def test_charts_one_per_indicator_and_per_split(finished):
    page, parsed = outline(finished)
    new_plots = [s for s in parsed.scripts if "Plotly.newPlot" in s]
    charts = re.findall(r'<div id="(chart-\d+)" class="plotly-graph-div"', page)
    assert len(new_plots) == len(charts) == len(set(charts))
    # Theme 1: 3 indicators; theme 2: 2 indicators.
    titles = [t for _, t in parsed.headings]
    assert "Doorlooptijd Wmo-aanvraag" in titles
    indicator_charts = page.count("Verloop van ")
    assert indicator_charts == 5
    assert page.count("Antwoorden per perspectief") >= 4  # choice splits, per theme
    assert page.count("Verdeling per perspectief") == 2  # the value round's scale, per theme
    assert '"dash":"dash"' in page  # the target line


def test_headings_are_nested_and_tables_have_headers(finished):
    page, parsed = outline(finished)
    levels = [int(tag[1]) for tag, _ in parsed.headings]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))
    tables = page.count("<table>")
    assert tables and page.count("<thead>") == tables
    assert page.count('<th scope="col"') > tables


def test_participant_text_is_escaped(finished):
    page, parsed = outline(finished)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; | * _ # [link](http://x) `code`" in page
    assert not any("alert(1)" in s for s in parsed.scripts)
    assert finished.texts["hidden"] not in page


def test_actions_and_divergence_are_in_the_report(finished):
    page, _ = outline(finished)
    assert "Respijtzorg actief aanbieden bij elk huisbezoek" in page
    assert "Wijkteam Oost; team &quot;Haven&quot;, Noord" in page
    assert "Loopt (sinds 2026-12-03): Eerste 20 bezoeken gedaan" in page
    assert ("Grootste verschil: tussen Inwoner en Gemeente (n = 2 en 1): <strong>0,88</strong>"
            ' <span class="note">(indicatief: kleine groepen)</span>') in page


def test_what_stands_out_sits_above_each_indicator_chart(finished):
    page, _ = outline(finished)
    start = page.index("<h4>75-plussers die zelfstandig thuis wonen</h4>")
    section = page[start:page.index("<table>", start)]
    assert '<div class="standout"><p><strong>Wat opvalt in de cijfers</strong></p><ul>' in section
    assert ("<li>Oosterkwartier veranderde het meest: +1,2 procentpunt van 2022 tot 2025"
            " (91,8% → 93,0%).</li>") in section
    assert section.index('class="standout"') < section.index("<figure")


def test_the_theory_of_change_is_a_list_of_its_three_parts(finished):
    page, _ = outline(finished)
    assert ('<ul class="theory"><li><strong>Als we</strong> vroeg signaleren bij huisbezoeken'
            in page)
    assert "<li><strong>dan verwachten we dat</strong> meer 75-plussers" in page
    assert "<li><strong>want</strong> wie persoonlijk wordt uitgenodigd, komt eerder" in page


def test_the_review_marks_the_statuses_this_session_recorded(finished, session_factory,
                                                             tmp_path):
    followup = tmp_path / "followup.json"
    followup.write_bytes(render_followup(finished.service, EXPORTED_AT))
    nxt = session_factory(followup=followup, data_dir=tmp_path / "next")
    nxt.review_action(finished.actions["agreed"], "done", "In alle wijken")
    page = render_html(nxt, now=EXPORTED_AT)
    assert ('In alle wijken <span class="detail">(vastgelegd in deze terugblik, was: Loopt)'
            '</span>') in page
