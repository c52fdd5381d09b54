"""axe-core on every page, at 375 px and 1440 px, in light and dark mode: no violation of any
impact, best-practice rules included; and the states a reader brings the text page into."""

from __future__ import annotations

import pytest

from tests.conftest import npm_pinned

from .conftest import SCHEMES, WIDTHS, axe_results

TEXT = "source/text.html"


def summary(violations: list[dict]) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in violations
    ]


def test_every_page_in_every_mode_and_width_has_no_axe_violation(visits, pages):
    done, _ = visits
    assert len(done) == len(pages) * len(WIDTHS) * len(SCHEMES)
    failures = {f"{v.path} @{v.width}px {v.scheme}": summary(v.violations) for v in done if v.violations}
    assert not failures, failures


def test_every_page_was_checked_in_both_modes(visits, pages):
    done, _ = visits
    for path in pages:
        for width in WIDTHS.values():
            shown = {v.scheme: v.background for v in done if v.path == path and v.width == width}
            assert shown.keys() == set(SCHEMES) and len(set(shown.values())) == 2, (path, width, shown)


def test_best_practice_rules_are_run(visits):
    done, _ = visits
    for visit in done:
        assert {"region", "landmark-unique", "page-has-heading-one", "color-contrast"} <= visit.rules


def test_screenshots_of_every_page_are_written_for_review(visits, pages):
    done, _ = visits
    for visit in done:
        assert visit.screenshot.stat().st_size > 5_000, visit.screenshot
        assert visit.screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_axe_is_the_pinned_release_and_reports_a_fault(open_page):
    page, _ = open_page("source/introduction.html", 1440)
    page.evaluate("document.querySelector('article p').style.color = '#ddd'")  # pale on white
    assert {v["id"] for v in axe_results(page)["violations"]} == {"color-contrast"}
    assert page.evaluate("axe.version") == npm_pinned("axe-core")


def test_an_open_note_on_a_phone_passes_axe_in_both_modes(open_page):
    for scheme in SCHEMES:
        page, _ = open_page(TEXT, 375, scheme)
        page.locator("sup.ed-call > a").nth(3).click()
        assert page.locator("#ed-popover:popover-open").count() == 1
        assert summary(axe_results(page)["violations"]) == [], scheme


def test_highlighted_filtered_and_fully_highlighted_states_pass_axe(open_page):
    for scheme in SCHEMES:
        page, _ = open_page(TEXT, 1440, scheme)
        page.locator("mark.ed-lemma").nth(2).hover()  # a note, its lemma and its call highlighted
        assert page.locator("aside.ed-note.ed-active").count() == 1
        assert summary(axe_results(page)["violations"]) == [], scheme
        page.locator(".ed-key-item input").first.uncheck()
        page.get_by_label("Highlight the flagged words").check()
        assert summary(axe_results(page)["violations"]) == [], scheme


def test_furos_back_to_top_button_sits_in_a_landmark_when_shown(open_page):
    page, _ = open_page("source/introduction.html", 375)
    page.mouse.wheel(0, 1500)
    page.wait_for_timeout(300)
    page.mouse.wheel(0, -300)  # scrolling back up shows the button
    button = page.locator(".back-to-top")
    button.wait_for(state="visible")
    assert button.evaluate("(a) => a.closest('nav, [role=navigation]') !== null")
    assert summary(axe_results(page)["violations"]) == []


@pytest.mark.parametrize(("system", "chosen"), [("light", "dark"), ("dark", "light")])
def test_a_mode_chosen_with_furos_switch_is_styled_too(open_page, system, chosen):
    page, _ = open_page(TEXT, 1440, system)
    colour = "() => getComputedStyle(document.body).getPropertyValue('--ed-c-contradiction')"
    before = page.evaluate(colour)
    page.evaluate(f"localStorage.setItem('theme', '{chosen}')")
    page.reload()
    assert page.evaluate("document.body.dataset.theme") == chosen
    assert page.evaluate(colour) != before  # the edition's colours follow the chosen mode
    assert summary(axe_results(page)["violations"]) == []
