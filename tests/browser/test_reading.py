"""Reading the text with its notes, in Chromium: sidenotes, popovers, filters, keyboard, no JS."""

from __future__ import annotations

import io
import itertools
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from apparatus.text import load_text

TEXT = "source/text.html"
ORIGINAL = load_text(Path(__file__).resolve().parents[2] / "source" / "article.txt")

# Resolves once the page has drawn three frames: a resize is observed after one, and the notes
# are placed again in the next.
AFTER_FRAMES = """() => new Promise((done) => {
  const frame = (left) => requestAnimationFrame(() => (left ? frame(left - 1) : done()));
  frame(3);
})"""
# Geometry of every visible note, its call (the line of it: the link reaches past it, to be tapped)
# and its paragraph, in page coordinates.
GEOMETRY = """() => {
  const box = (element) => {
    const r = element.getBoundingClientRect();
    return {top: r.top + scrollY, bottom: r.bottom + scrollY, left: r.left, right: r.right};
  };
  return [...document.querySelectorAll("aside.ed-note")].filter((n) => n.offsetParent).map((note) => {
    const label = note.id.slice(5);
    const call = document.getElementById("call-" + label);
    const paragraph = call && call.closest(".ed-par");
    return {
      label, side: note.classList.contains("ed-side"), note: box(note),
      call: call && box(call.parentElement), paragraph: paragraph && box(paragraph),
      text: paragraph && box(paragraph.querySelector(".ed-text")),
    };
  });
}"""


def settled_scroll(page) -> float:
    """The scroll position once a smooth scroll has come to rest."""
    position = None
    while position != (position := page.evaluate("scrollY")):
        page.wait_for_timeout(100)
    return position


def labels(page, selector: str) -> list[str]:
    return page.eval_on_selector_all(selector, "(all) => all.map((e) => e.id.replace(/^[a-z]+-/, ''))")


# -- quoting: what a reader copies is the original ---------------------------------------------

# A real selection of a whole paragraph's text, as a reader's drag from its first word to its last.
SELECT_PARAGRAPH = """(number) => {
  const text = document.querySelector(`#p${number} > .ed-text`);
  const range = document.createRange();
  range.selectNodeContents(text);
  getSelection().removeAllRanges();
  getSelection().addRange(range);
}"""


@pytest.mark.parametrize("width", [375, 1440])
def test_copying_any_paragraph_gives_exactly_the_original_paragraph(open_page, width):
    page, _ = open_page(TEXT, width, permissions=["clipboard-read", "clipboard-write"])
    for paragraph in ORIGINAL.paragraphs:
        page.evaluate(SELECT_PARAGRAPH, paragraph.number)
        page.keyboard.press("Control+C")
        assert page.evaluate("navigator.clipboard.readText()") == paragraph.text, f"¶{paragraph.number}"
    # what a screen reader gets: the same words, and each call as a link named for its note
    tree = page.locator("#p4 > .ed-text").aria_snapshot()
    assert "'link \"Note 4.1: Contradiction\"'" in tree
    spoken = " ".join(
        line.split(":", 1)[1] for line in tree.splitlines() if line.strip().startswith("- text:")
    )
    assert "4.1" not in spoken and "4.2" not in spoken, spoken


def test_a_link_to_the_highlighted_words_brings_the_words_into_view(open_page, edition_site):
    page = BeautifulSoup((edition_site / "notes/4.6.html").read_text(encoding="utf-8"), "html.parser")
    link = page.select_one('a.ed-note-page-fragment[href*=":~:text="]')["href"]
    # Without the lemma's anchor: only the text fragment can bring its words into view.
    browser_page, _ = open_page(TEXT + "#:~:" + link.split(":~:", 1)[1], 1440, reduced_motion="reduce")
    lemma = browser_page.locator('[id="lemma-4.6"]')
    browser_page.wait_for_function(
        "(m) => { const r = m.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }",
        arg=lemma.element_handle(),
        timeout=5000,
    )


# -- wide screens: notes in the margin ---------------------------------------------------------


# Opened at its width, or made narrower once open: the text grows longer and the notes follow.
@pytest.mark.parametrize(("opened", "width"), [(1440, 1440), (1440, 1280)])
def test_on_a_wide_screen_every_note_sits_in_the_margin_beside_its_call_without_overlap(
    open_page, opened, width
):
    page, recorder = open_page(TEXT, opened)
    if width != opened:
        page.set_viewport_size({"width": width, "height": 900})
        page.evaluate(AFTER_FRAMES)
    notes = page.evaluate(GEOMETRY)
    assert len(notes) >= 8 and all(n["side"] for n in notes if n["call"]), [n["label"] for n in notes]
    placed = sorted((n for n in notes if n["call"]), key=lambda n: n["note"]["top"])
    for before, after in itertools.pairwise(placed):
        assert after["note"]["top"] >= before["note"]["bottom"] + 4, (before["label"], after["label"])
    for n in placed:
        note, call, paragraph = n["note"], n["call"], n["paragraph"]
        assert note["left"] >= n["text"]["right"] + 16, f"note {n['label']} covers the text"
        assert note["right"] <= width, f"note {n['label']} runs off the screen"
        # beside its call: level with it, or pushed down by the note above, never above it
        assert note["top"] >= call["top"] - 4, n["label"]
        assert paragraph["top"] - 4 <= note["top"] and note["bottom"] <= paragraph["bottom"] + 1, n["label"]
    level = [n for n in placed if abs(n["note"]["top"] - n["call"]["top"]) <= 4]
    pushed = {n["label"] for n in placed} - {n["label"] for n in level}
    for n in placed:
        if n["label"] in pushed:  # pushed down: it starts right below the note above it
            above = max(
                (m for m in placed if m["note"]["bottom"] <= n["note"]["top"]),
                key=lambda m: m["note"]["bottom"],
            )
            assert n["note"]["top"] - above["note"]["bottom"] <= 16, n["label"]
    first = {}
    for n in placed:
        first.setdefault(n["paragraph"]["top"], n)
    assert all(abs(n["note"]["top"] - n["call"]["top"]) <= 4 for n in first.values()), (
        "a paragraph's first note is level with its call"
    )
    assert recorder.console_errors == []


# Each margin note read from its first line (its top at the top of the window) and to its last (its
# bottom at the foot): where its lemma then is. Between the two the lemma only moves up or stays,
# so if it is in view at both ends it is in view all the while the note is.
LEMMA_BESIDE_NOTE = """() => {
  const seen = [];
  const inView = (box) => box.bottom > 0 && box.top < innerHeight;
  for (const note of document.querySelectorAll("aside.ed-note.ed-side")) {
    const lemma = document.getElementById("lemma-" + note.id.slice(5));
    const top = note.getBoundingClientRect().top + scrollY;
    for (const [edge, y] of [["top", top], ["foot", top + note.offsetHeight - innerHeight]]) {
      scrollTo({top: y, behavior: "instant"});
      const box = lemma.getBoundingClientRect();
      seen.push({label: note.id.slice(5), edge, note: inView(note.getBoundingClientRect()), lemma: inView(box)});
    }
  }
  return seen;
}"""


def test_on_a_wide_screen_the_lemma_stays_in_view_while_its_note_is_read(open_page):
    page, _ = open_page(TEXT, 1440)
    seen = page.evaluate(LEMMA_BESIDE_NOTE)
    assert len(seen) == 2 * page.locator("aside.ed-note.ed-side").count() >= 16
    lost = [f"{s['label']} ({s['edge']})" for s in seen if s["note"] and not s["lemma"]]
    assert lost == [], f"lemma out of view while its note is read: {lost}"
    # the paragraph's text is as tall as its lines, not as its notes
    heights = page.eval_on_selector_all(
        ".ed-par > .ed-text",
        "(all) => all.map((t) => t.offsetHeight / parseFloat(getComputedStyle(t).lineHeight))",
    )
    assert max(heights) < 12, heights


@pytest.fixture(scope="module")
def targets(edition_site) -> dict[str, str]:
    """A note, paragraph and call well down the page, whose place changes once the notes are laid out."""
    page = BeautifulSoup((edition_site / TEXT).read_text(encoding="utf-8"), "html.parser")
    call = page.select("sup.ed-call > a")[-20]
    label = call["id"].removeprefix("call-")
    return {"note": f"note-{label}", "call": f"call-{label}", "p": call.find_parent(class_="ed-par")["id"]}


@pytest.mark.parametrize("width", [375, 1440])
@pytest.mark.parametrize("kind", ["note", "p", "call"])
def test_a_permalink_opens_the_page_at_its_target(targets, open_page, width, kind):
    anchor = targets[kind]
    page, _ = open_page(f"{TEXT}#{anchor}", width)
    page.evaluate(AFTER_FRAMES)  # the notes placed
    top = page.locator(f'[id="{anchor}"]').evaluate("(e) => e.getBoundingClientRect().top")
    assert 0 <= top <= 300, f"#{anchor} is at {top}px on opening"  # at once, no glide
    settled_scroll(page)
    top = page.locator(f'[id="{anchor}"]').evaluate("(e) => e.getBoundingClientRect().top")
    assert 0 <= top <= 300, f"#{anchor} is at {top}px"


def test_a_call_on_a_wide_screen_brings_its_note_into_focus(open_page):
    page, _ = open_page(TEXT, 1440)
    call = page.locator("sup.ed-call > a").nth(5)
    label = call.get_attribute("id").removeprefix("call-")
    call.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == f"note-{label}"
    assert page.locator(f'[id="note-{label}"]').is_visible()
    page.keyboard.press("Escape")  # back to the text
    assert page.evaluate("document.activeElement.id") == f"call-{label}"


def test_hovering_or_focusing_highlights_note_lemma_and_call_together(open_page):
    page, _ = open_page(TEXT, 1440)
    label = labels(page, "aside.ed-note.ed-side")[4]
    page.locator(f'[id="note-{label}"]').hover()
    assert labels(page, "mark.ed-active") == [f"{label}"]
    assert page.locator(f'[id="call-{label}"]').evaluate(
        "(a) => a.parentElement.classList.contains('ed-active')"
    )
    other = labels(page, "aside.ed-note.ed-side")[9]
    page.locator(f'[id="lemma-{other}"]').hover(position={"x": 2, "y": 2})
    assert labels(page, "aside.ed-note.ed-active") == [other]
    page.locator(f'[id="call-{label}"]').focus()
    assert labels(page, "aside.ed-note.ed-active") == [label]


def test_related_notes_can_be_jumped_to_and_back(open_page):
    page, _ = open_page(TEXT, 1440)
    link = page.locator("aside.ed-note .ed-related a").first
    origin = link.evaluate("(a) => a.closest('aside').id")
    target = link.get_attribute("href").split("#")[1]
    link.click()
    assert page.evaluate("location.hash") == f"#{target}"
    assert page.evaluate("document.activeElement.id") == target
    back = page.locator(f'[id="{target}"] .ed-return a')
    assert back.get_attribute("href") == f"#{origin}"
    back.click()
    assert page.evaluate("location.hash") == f"#{origin}"
    page.go_back()
    page.go_back()
    assert page.evaluate("location.hash") == f"#{origin}" or page.evaluate("location.hash") == ""


# -- narrow screens: a note opens in place ------------------------------------------------------


@pytest.mark.parametrize("how", ["click", "keyboard"])
def test_on_a_phone_a_call_opens_its_note_in_place_and_escape_closes_it(open_page, how):
    page, recorder = open_page(TEXT, 375)
    assert page.locator("aside.ed-side").count() == 0  # no margin: the notes stay listed at the end
    call = page.locator("sup.ed-call > a").nth(12)
    label = call.get_attribute("id").removeprefix("call-")
    call.evaluate("(a) => a.scrollIntoView({block: 'center'})")
    before = settled_scroll(page)
    if how == "click":
        call.click()
    else:
        call.focus()
        page.keyboard.press("Enter")
    popover = page.locator("#ed-popover")
    assert popover.evaluate("(p) => p.matches(':popover-open')")
    note_text = page.locator(f'[id="note-{label}"] > p:not(.ed-note-head)').first.inner_text()
    assert note_text.strip()[:60] in popover.inner_text()
    assert settled_scroll(page) == before, "the reading position is kept"
    box, call_box = popover.bounding_box(), call.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    assert box["y"] >= call_box["y"] + call_box["height"] or box["y"] + box["height"] <= call_box["y"]
    assert page.evaluate("document.getElementById('ed-popover').contains(document.activeElement)")
    assert call.get_attribute("aria-expanded") == "true"
    page.keyboard.press("Escape")
    assert not popover.evaluate("(p) => p.matches(':popover-open')")
    assert page.evaluate("document.activeElement.id") == f"call-{label}"
    assert call.get_attribute("aria-expanded") == "false"
    assert page.locator(f'section#notes > [id="note-{label}"]').count() == 1  # back in the list
    assert recorder.console_errors == []


PHONE = {"width": 375, "height": 667}

# Where the open note stands: inside the window, clear of its call and lemma, its close button
# the element a tap on it reaches.
POPOVER_FITS = """(label) => {
  const popover = document.getElementById("ed-popover").getBoundingClientRect();
  const call = document.getElementById("call-" + label).getBoundingClientRect();
  const lemma = document.getElementById("lemma-" + label).getBoundingClientRect();
  const close = document.querySelector(".ed-popover-close").getBoundingClientRect();
  const hit = document.elementFromPoint(close.left + close.width / 2, close.top + close.height / 2);
  return {
    inside: popover.top >= 0 && popover.bottom <= innerHeight && popover.left >= 0 && popover.right <= innerWidth,
    clear: popover.top >= call.bottom || popover.bottom <= Math.min(call.top, lemma.top),
    closable: hit !== null && hit.closest(".ed-popover-close") !== null,
  };
}"""
ALL_WELL = {"inside": True, "clear": True, "closable": True}


@pytest.fixture(scope="module")
def longest(edition_site) -> str:
    """The label of the note with the longest text."""
    page = BeautifulSoup((edition_site / TEXT).read_text(encoding="utf-8"), "html.parser")
    for link in page.select("p.ed-cite-link"):
        link.decompose()
    note = max(page.select("aside.ed-note:not(.ed-withdrawn)"), key=lambda n: len(n.get_text()))
    return note["id"].removeprefix("note-")


@pytest.mark.parametrize("edge", ["top", "foot"])
def test_on_a_phone_the_longest_note_fits_the_screen_keeps_focus_and_links_to_itself(
    open_page, edition_site, longest, edge
):
    page, recorder = open_page(TEXT, 375, permissions=["clipboard-read", "clipboard-write"])
    page.set_viewport_size(PHONE)
    call = page.locator(f'[id="call-{longest}"]')
    at = 90 if edge == "top" else PHONE["height"] - 40
    call.evaluate("(a, at) => scrollBy({top: a.getBoundingClientRect().top - at, behavior: 'instant'})", at)
    call.click()
    popover = page.locator("#ed-popover")
    assert page.evaluate(POPOVER_FITS, longest) == ALL_WELL
    cite = popover.locator("p.ed-cite-link a")  # "Cite this note": the citations on the note's page
    assert cite.get_attribute("href") == f"../notes/{longest}.html#cite"
    popover.evaluate("(p) => p.scrollTo({top: p.scrollHeight, behavior: 'instant'})")  # to its end
    assert page.evaluate(POPOVER_FITS, longest) == ALL_WELL
    controls = popover.locator("a[href]:visible, button:visible, summary:visible").count()
    for _ in range(controls + 2):  # round all its controls and past the last
        page.keyboard.press("Tab")
        assert page.evaluate("document.getElementById('ed-popover').contains(document.activeElement)")
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.id") == f"call-{longest}"
    call.click()
    popover.locator(".headerlink").click()  # the note's own permalink
    assert page.evaluate("location.hash") == f"#note-{longest}"
    assert popover.evaluate("(p) => p.matches(':popover-open')")
    assert popover.locator(".ed-popover-back").is_hidden()
    copy = popover.get_by_role("button", name=f"Copy link to note {longest}")
    copy.click()
    # The permalink the note's own page gives (the published address), not this local one.
    own = BeautifulSoup(
        (edition_site / "notes" / f"{longest}.html").read_text(encoding="utf-8"), "html.parser"
    )
    expected = own.select_one(".ed-cite-permalink a")["href"]
    assert expected.endswith(f"/source/text.html#note-{longest}") and expected.startswith("https://")
    assert page.evaluate("navigator.clipboard.readText()") == expected
    assert popover.get_by_role("status").inner_text() == f"The link to note {longest} is copied."
    assert recorder.console_errors == []


def test_nothing_overflows_the_narrowest_screen_even_with_a_note_open(open_page):
    page, _ = open_page(TEXT, 320)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.locator("sup.ed-call > a").nth(30).click()
    box = page.locator("#ed-popover").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 320
    assert box["y"] >= 0 and box["y"] + box["height"] <= 900


def test_the_popover_close_button_and_a_related_note_with_a_way_back(open_page):
    page, _ = open_page(TEXT, 375)
    with_related = page.locator("aside.ed-note:has(.ed-related a)").first
    label = with_related.get_attribute("id").removeprefix("note-")
    related = with_related.locator(".ed-related a").first.get_attribute("href").split("#note-")[1]
    page.locator(f'[id="call-{label}"]').click()
    popover = page.locator("#ed-popover")
    popover.locator(".ed-related a").first.click()
    assert popover.locator(".ed-popover-title").inner_text() == f"Note {related}"
    back = popover.locator(".ed-popover-back")
    assert back.is_visible() and label in back.inner_text()
    assert page.locator(".ed-return").count() == 0  # the popover's own way back, not the list's
    back.click()
    assert popover.locator(".ed-popover-title").inner_text() == f"Note {label}"
    popover.get_by_role("button", name="Close the note").click()
    assert not popover.evaluate("(p) => p.matches(':popover-open')")
    assert page.evaluate("document.activeElement.id") == f"call-{label}"


# -- filters and highlighting ---------------------------------------------------------------


def test_filters_and_the_highlighting_switch_work_and_survive_a_reload(open_page):
    page, _ = open_page(TEXT, 1440)
    box = page.locator(".ed-key-item input").first
    category = box.get_attribute("value")
    total = page.locator("aside.ed-note").count()
    hidden_count = page.locator(f'aside.ed-note[data-category="{category}"]').count()
    box.uncheck()
    assert page.locator(f'aside.ed-note[data-category="{category}"]:visible').count() == 0
    assert page.locator(f'sup.ed-call[data-category="{category}"]:visible').count() == 0
    assert page.locator("aside.ed-note:visible").count() == total - hidden_count
    assert page.locator(".ed-key-status").inner_text() == f"{total - hidden_count} of {total} notes shown."
    switch = page.get_by_label("Highlight the flagged words")
    assert not switch.is_checked()  # by default the text reads as text
    line = "(m) => [getComputedStyle(m).textDecorationLine, getComputedStyle(m).textDecorationColor]"
    shown = page.locator(f'mark.ed-lemma:not([data-category="{category}"])').first
    own = shown.get_attribute("data-category")
    colour = page.locator(f'.ed-key-item[data-category="{own}"] .ed-icon').evaluate(
        "(i) => getComputedStyle(i).backgroundColor"
    )
    assert page.locator(f'mark.ed-lemma[data-category="{category}"]').first.evaluate(line)[0] == "none"
    quiet = shown.evaluate(line)
    assert quiet[0] == "underline" and quiet[1] != colour
    switch.check()  # full highlighting: each passage in its category's colour
    assert shown.evaluate(line) == ["underline", colour]
    assert page.locator(f'mark.ed-lemma[data-category="{category}"]').first.evaluate(line)[0] == "none"
    page.reload()
    assert not page.locator(f'.ed-key-item input[value="{category}"]').is_checked()
    assert page.get_by_label("Highlight the flagged words").is_checked()
    assert page.locator(f'aside.ed-note[data-category="{category}"]:visible').count() == 0
    assert shown.evaluate(line) == ["underline", colour]
    notes = page.evaluate(GEOMETRY)
    assert notes and all(n["side"] for n in notes)  # the margin is laid out again without them
    page.get_by_role("button", name="Show all").click()
    page.get_by_label("Highlight the flagged words").uncheck()
    assert shown.evaluate(line) == quiet
    assert page.locator("aside.ed-note:visible").count() == total
    page.get_by_role("button", name="Hide all").click()
    assert page.locator("aside.ed-note:visible").count() == 0
    assert page.locator("sup.ed-call:visible").count() == 0


def test_every_category_in_the_key_is_shown_by_colour_and_by_icon_and_name(open_page):
    page, _ = open_page(TEXT, 1440)
    items = page.locator(".ed-key-item")
    assert items.count() >= 5
    seen = set()
    for index in range(items.count()):
        item = items.nth(index)
        icon = item.locator(".ed-icon").evaluate(
            "(i) => [getComputedStyle(i).backgroundColor, getComputedStyle(i).maskImage]"
        )
        assert icon[1].startswith('url("data:image/svg+xml'), icon
        assert item.locator(".ed-key-name").inner_text().strip()
        seen.add(tuple(icon))
    assert len(seen) == items.count(), "each category has a colour and icon of its own"
    category = page.locator("aside.ed-note .ed-category").first
    assert category.inner_text().strip()  # the name in words, in every note
    assert category.evaluate("(c) => getComputedStyle(c, '::before').maskImage").startswith("url(")


# -- the first screen, tap targets, paper ------------------------------------------------------


def test_on_a_phone_the_first_screen_shows_the_text_and_the_key_starts_closed(open_page):
    page, _ = open_page(TEXT, 375)
    page.set_viewport_size(PHONE)
    assert not page.locator("details.ed-key").evaluate("(d) => d.open")
    first_line = page.locator("#p1 > .ed-text").evaluate(
        "(t) => t.getBoundingClientRect().top + parseFloat(getComputedStyle(t).lineHeight)"
    )
    assert first_line <= PHONE["height"], f"¶1 begins at {first_line}px"
    page.locator("details.ed-key > summary").click()  # the reader's choice is kept
    page.reload()
    assert page.locator("details.ed-key").evaluate("(d) => d.open")


def test_the_key_starts_open_on_a_wide_screen(open_page):
    page, _ = open_page(TEXT, 1440)
    assert page.locator("details.ed-key").evaluate("(d) => d.open")


@pytest.mark.parametrize("width", [375, 1440])
def test_every_call_is_a_target_of_at_least_24_by_24_px(open_page, width):
    page, _ = open_page(TEXT, width)
    sizes = page.eval_on_selector_all(
        "sup.ed-call > a",
        "(all) => all.map((a) => { const r = a.getBoundingClientRect(); return [a.id, r.width, r.height]; })",
    )
    assert len(sizes) >= 80
    small = [(label, round(w), round(h)) for label, w, h in sizes if w < 24 or h < 24]
    assert small == [], small


def test_printing_the_text_page_from_a_wide_window_wastes_no_paper(open_page):
    page, _ = open_page(TEXT, 1440)
    assert page.locator("aside.ed-note.ed-side").count() > 0  # laid out for the screen first
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
    blank = [number for number, sheet in enumerate(pdf.pages, 1) if not sheet.extract_text().strip()]
    assert blank == [], f"blank pages {blank} of {len(pdf.pages)}"
    assert len(pdf.pages) < 40, len(pdf.pages)


# -- keyboard and no JavaScript ---------------------------------------------------------------


def test_every_control_is_reached_by_the_keyboard_with_a_visible_focus(open_page):
    page, _ = open_page(TEXT, 1440)
    wanted = page.evaluate(
        """() => [...document.querySelectorAll('.ed-key summary, .ed-key input, .ed-key button, sup.ed-call > a')]
                 .filter((e) => e.offsetParent !== null).length"""
    )
    reached, unfocused = set(), []
    for _ in range(wanted + 60):
        page.keyboard.press("Tab")
        info = page.evaluate(
            """() => {
              const e = document.activeElement;
              if (!e.matches('.ed-key summary, .ed-key input, .ed-key button, sup.ed-call > a')) return null;
              const s = getComputedStyle(e);
              return [e.id || e.value || e.textContent, s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2];
            }"""
        )
        if info:
            reached.add(info[0])
            if not info[1]:
                unfocused.append(info[0])
        if len(reached) == wanted:
            break
    assert len(reached) == wanted
    assert unfocused == []


class Keyboard:
    """Key presses, counted; ``to(selector)`` presses a key until the focus is on a match."""

    def __init__(self, page) -> None:
        self.page, self.presses = page, 0

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)
        self.presses += 1

    def to(self, selector: str, key: str = "Tab", limit: int = 12) -> None:
        for _ in range(limit):
            self.press(key)
            if self.page.evaluate("(s) => document.activeElement.matches(s)", selector):
                return
        raise AssertionError(f"{selector} not reached with {limit} x {key}")

    def focused(self) -> str:
        return self.page.evaluate("document.activeElement.id")


def test_the_eight_reading_tasks_take_at_most_40_key_presses(open_page):
    page, recorder = open_page(TEXT, 1440, permissions=["clipboard-read", "clipboard-write"])
    keys = Keyboard(page)
    keys.to(".skip-to-content")  # 1. the first call: past the site's navigation and the key
    keys.press("Enter")
    keys.to(".ed-skip-key")
    keys.press("Enter")
    keys.to("sup.ed-call > a")
    assert keys.focused() == "call-1.1"
    keys.press("Enter")  # 2. open its note
    assert keys.focused() == "note-1.1"
    keys.to("aside.ed-note a[href^='#note-']:not(.headerlink)")  # 3. a related note
    keys.press("Enter")
    reached = keys.focused()
    assert reached.startswith("note-") and reached != "note-1.1"
    keys.to(".ed-return a")  # 4. back to the note the reader came from
    keys.press("Enter")
    assert keys.focused() == "note-1.1"
    keys.press("Escape")  # 5. close: back to the text
    assert keys.focused() == "call-1.1"
    keys.to("input.ed-filter", "Shift+Tab")  # 6. filter a category out
    keys.press("Space")
    category = page.evaluate("document.activeElement.value")
    assert page.locator(f'aside.ed-note[data-category="{category}"]:visible').count() == 0
    keys.to("[id='call-1.2']")  # 7. cite a note
    keys.press("Enter")
    keys.to("p.ed-cite-link a")
    keys.press("Enter")  # to the citations on the note's own page
    page.wait_for_url("**/notes/1.2.html#cite", wait_until="load")
    keys.to("button.ed-copy")  # 8. copy the citation
    keys.press("Enter")
    page.wait_for_function("document.activeElement.textContent === 'Copied'")
    citation = page.locator("[id='note-1.2'] .ed-cite-text").first.inner_text()
    assert page.evaluate("navigator.clipboard.readText()") == citation.strip()
    print(f"\nthe eight reading tasks at 1440 px: {keys.presses} key presses")
    assert keys.presses <= 40, keys.presses
    assert recorder.console_errors == []


def test_without_javascript_every_note_is_readable_and_linked_both_ways(open_page):
    page, _ = open_page(TEXT, 1440, java_script_enabled=False)
    notes = page.locator("aside.ed-note")
    assert notes.count() >= 8
    assert page.locator("aside.ed-note:visible").count() == notes.count()
    label = notes.nth(3).get_attribute("id").removeprefix("note-")
    page.locator(f'[id="call-{label}"]').click()
    assert page.evaluate("location.hash") == f"#note-{label}"
    assert page.locator(f'[id="note-{label}"]').is_visible()
    page.locator(f'[id="note-{label}"] .ed-note-label').click()
    assert page.evaluate("location.hash") == f"#call-{label}"
    assert page.locator(".ed-key input:visible, .ed-key button:visible").count() == 0  # a plain legend
    assert page.locator(".ed-key-item .ed-key-name").count() >= 5
