"""The Markdown report: headings, figures, splits by perspective, actions, escaping."""

import re

from export_scenario import EXPORTED_AT, NASTY, submit

from exports.followup_json import render_followup
from exports.report_html import render_html
from exports.report_markdown import escape, render_markdown


def report(finished):
    return render_markdown(finished.service, now=EXPORTED_AT)


def headings(text):
    return [line for line in text.splitlines() if line.startswith("#")]


def test_report_has_title_organisation_date_and_example_marker(finished):
    text = report(finished)
    assert text.startswith("# Langer zelfstandig thuis in Noorderhaven\n")
    assert "**Organisatie:** Wijkteams Noorderhaven" in text
    assert "**Datum:** 3 december 2026" in text
    assert "Voorbeeld" in text  # the example pack's figures are invented
    assert "**Deelnemers:** Inwoner 2, Professional 1, Gemeente 1" in text


def test_every_theme_has_its_sections_and_rounds(finished):
    found = headings(report(finished))
    for theme in ("Langer zelfstandig thuis", "Eenzaamheid onder ouderen"):
        start = found.index(f"## Thema: {theme}")
        section = found[start:start + 10]
        for heading in ("### De cijfers", "### De verhalen", "### Wat de groep zei",
                        "#### Herkennen", "#### Verklaren", "#### Waarderen", "#### Verbeteren",
                        "### Afgesproken acties"):
            assert heading in section


def test_indicator_tables_show_areas_periods_and_target_in_dutch_figures(finished):
    text = report(finished)
    assert "| Gebied | 2022 | 2023 | 2024 | 2025 | Streefwaarde |" in text
    assert "| Oosterkwartier | 91,8 | 92,1 | 92,6 | 93,0 | 93,0 |" in text
    # A missing figure is shown as a dash, not as zero.
    assert re.search(r"\| De Weide \| 35 \| 36 \| 40 \| – \|", text)


def test_what_stands_out_is_listed_with_each_indicator(finished):
    text = report(finished)
    start = text.index("**Doorlooptijd Wmo-aanvraag**")
    section = text[start:text.index("| Gebied |", start)]
    assert "*Wat opvalt in de cijfers:*" in section
    assert ("- Havenbuurt zit in 2025-Q3 het verst van de streefwaarde: 55 dagen, 13 dagen"
            " erboven. 1 van de 3 gebieden haalt de streefwaarde (42 dagen).") in section
    assert ("- Geen cijfer voor De Weide 2025-Q1: ontbreekt of afgeschermd, dus geen nul."
            in section)


def test_stories_are_listed_with_perspective_area_and_source(finished):
    text = report(finished)
    assert ("| Wachten tot het misgaat | Professional | Havenbuurt | "
            "Intervisie wijkteam Havenbuurt |") in text


def test_choice_split_by_perspective_with_the_pair_furthest_apart(finished):
    text = report(finished)
    assert "| Inwoner | 0 (0%) | 0 (0%) | 2 (100%) | 2 |" in text
    assert "| **Totaal** | 2 (50%) | 0 (0%) | 2 (50%) | 4 |" in text
    assert ("Grootste verschil: tussen Inwoner en Professional bij 'Nee' (n = 2 en 1): **0,42** "
            "(indicatief: kleine groepen)") in text


def test_scale_split_has_means_and_divergence(finished):
    text = report(finished)
    assert "| 1 (Zeer ontevreden) | 2 | 3 | 4 | 5 (Zeer tevreden) | Aantal | Gemiddelde |" in text
    assert "| Inwoner | 1 (50%) | 1 (50%) | 0 (0%) | 0 (0%) | 0 (0%) | 2 | 1,5 |" in text
    assert ("Grootste verschil: tussen Inwoner en Gemeente (n = 2 en 1): **0,88** "
            "(indicatief: kleine groepen)") in text


def test_explanations_ranked_by_upvotes_merged_counted_hidden_left_out(finished):
    text = report(finished)
    assert ("1. Inwoners kennen het \\*wijkteam\\* niet \\| nog niet "
            "(**2 stemmen** van 2 deelnemers; Professional; 2 keer genoemd)") in text
    assert "2. Het aanbod is onbekend (**1 stem** van 1 deelnemer; Gemeente)" in text
    assert "Zelfde verklaring in andere woorden" not in text  # merged into the first
    assert finished.texts["hidden"] not in text


def test_proposals_ranked_by_dots_with_lever_and_direction(finished):
    text = report(finished)
    assert ("1. Respijtzorg actief aanbieden (**5 stippen** van 2 deelnemers; Gemeente; "
            "Activiteiten en aanbod / Meer)") in text
    assert text.index("Respijtzorg actief aanbieden (") < text.index("Wmo-besluit binnen")


def test_text_answers_grouped_by_perspective_line_breaks_kept(finished):
    text = report(finished)
    assert "*Professional*\n\n- De koffieochtenden" in text
    assert "- Sneller antwoord van het Wmo-loket\\\n   en één vast aanspreekpunt" in text


def test_actions_with_lever_direction_owner_due_signal_and_status(finished):
    text = report(finished)
    assert ("| Respijtzorg actief aanbieden bij elk huisbezoek | Activiteiten en aanbod | Meer | "
            "Wijkteam Oost; team \"Haven\", Noord | 2027-03-01 | Minder mantelzorgers zwaar "
            "belast in de wijkpeiling van 2027 | Loopt (sinds 2026-12-03): Eerste 20 bezoeken "
            "gedaan |") in text
    assert "| Klaar (sinds 2026-12-03): Loopt sinds januari |" in text


def test_participant_text_is_escaped(finished):
    text = report(finished)
    assert "<script>" not in text
    assert ("\\<script\\>alert(1)\\</script\\> \\| \\* \\_ \\# \\[link\\](http://x) "
            "\\`code\\`") in text
    assert NASTY not in text


def test_escape_neutralises_line_starts_and_keeps_plain_text():
    assert escape("- niet een lijst\n1. ook niet\n=== geen kop") == (
        "\\- niet een lijst\\\n\\1. ook niet\\\n\\=== geen kop")
    assert escape("Gewoon een zin, met (haakjes) en 12,5%.") == (
        "Gewoon een zin, met (haakjes) en 12,5%.")


def test_report_in_english_uses_english_texts_and_prompts(finished):
    text = render_markdown(finished.service, language="en", now=EXPORTED_AT)
    assert "## Theme: Langer zelfstandig thuis" in text
    assert "**Date:** 3 December 2026" in text
    assert "#### Recognise" in text
    assert "| Resident | 0 (0%) | 0 (0%) | 2 (100%) | 2 |" in text


def test_next_session_report_opens_with_the_review_of_earlier_actions(
        finished, session_factory, tmp_path):
    followup = tmp_path / "followup.json"
    followup.write_bytes(render_followup(finished.service, EXPORTED_AT))
    nxt = session_factory(followup=followup, data_dir=tmp_path / "next")
    person = nxt.join("gemeente", "nl")
    nxt.start()
    item = f"action:{finished.actions['agreed']}"
    submit(nxt, person, "review-000001", "review-happened", {"choice": "yes"}, item)
    submit(nxt, person, "review-000002", "review-notes", {"text": "Merkbaar *rustiger*"}, item)
    text = render_markdown(nxt, now=EXPORTED_AT)
    found = headings(text)
    assert found.index("## Terugblik op de acties van vorige keer") < found.index(
        "## Thema: Langer zelfstandig thuis")
    assert "Acties uit de sessie: Langer zelfstandig thuis in Noorderhaven, 3 december 2026" in text
    assert "| Loopt (sinds 2026-12-03): Eerste 20 bezoeken gedaan |" in text
    assert ("**Is deze actie uitgevoerd? (over: Respijtzorg actief aanbieden bij elk "
            "huisbezoek)**") in text
    assert "- Merkbaar \\*rustiger\\*" in text
    assert "Vastgelegd" not in text and "vastgelegd in deze terugblik" not in text
    nxt.review_action(finished.actions["agreed"], "done", "In alle wijken")
    text = render_markdown(nxt, now=EXPORTED_AT)
    assert ("| Klaar (sinds 2026-12-03): In alle wijken (vastgelegd in deze terugblik, was: "
            "Loopt) |") in text


def test_changes_to_what_is_measured_are_listed_for_the_next_pack(session_factory):
    service = session_factory()
    base = dict(theme="eenzaamheid", owner="Gemeente", due="2027-03-01",
                success_signal="Het staat in het volgende pakket", lever="monitoring")
    service.agree_action(**base, what="Bereik meten", direction="start",
                         indicator="Bereik huisbezoeken")
    service.agree_action(**base, what="Los cijfer schrappen", direction="stop",
                         indicator="eenzaamheid_ernstig")
    service.agree_action(**base, what="Vaker peilen", direction="different")  # no indicator
    text = render_markdown(service, now=EXPORTED_AT)
    section = text[text.index("## Voor het volgende pakket"):]
    assert "| Eenzaamheid onder ouderen | Erbij | Bereik huisbezoeken | Bereik meten |" in section
    # A pack indicator named by its key is listed by its label.
    assert ("| Eenzaamheid onder ouderen | Weg | Ernstig eenzame 65-plussers | "
            "Los cijfer schrappen |") in section
    rows = [line for line in section.splitlines() if line.startswith("| Eenzaamheid")]
    assert len(rows) == 2  # the action naming no indicator is not a change to the pack
    assert "(erbij: Bereik huisbezoeken)" in text  # also beside the action in its theme


def test_the_theory_of_change_is_stated_in_its_three_parts(finished):
    text = report(finished)
    assert ("**Verandertheorie:**\n\n"
            "- **Als we** vroeg signaleren bij huisbezoeken, mantelzorgers tijdig ontlasten en "
            "Wmo-aanvragen snel afhandelen\n"
            "- **dan verwachten we dat** meer 75-plussers zelfstandig thuis kunnen blijven "
            "wonen\n"
            "- **want** ouderen die op tijd hulp krijgen") in text
    english = render_markdown(finished.service, "en", now=EXPORTED_AT)
    assert "- **If we** vroeg signaleren" in english and "- **because** ouderen" in english


def test_every_figure_in_the_dutch_report_has_a_decimal_comma(finished):
    text = report(finished)
    assert re.findall(r"\d\.\d", text) == []
    assert "0,5" in text or "0,33" in text or ",0" in text  # there are decimals to check
    page = render_html(finished.service, now=EXPORTED_AT)
    body = re.sub(r"<script.*?</script>", "", page[page.index("<body"):], flags=re.S)
    assert re.findall(r"\d\.\d", body) == []
