"""Reading a text with its notes: the key to the categories, and the script that lays them out.

The HTML written by ``writers.html`` is complete without any script: every note is listed at the
end of its page and linked both ways. This module adds, on the web pages of texts only:

- the key: each category used by the page's notes, with its icon, name and count (a legend
  without JavaScript; ``apparatus.js`` turns it into filters and a switch that underlines the
  flagged words in their categories' colours, which are otherwise marked by a quiet line);
- ``apparatus.js``, which places notes in the margin beside their calls on wide screens and
  opens them in place on narrow ones.
"""

from __future__ import annotations

import re
from collections import Counter
from html import escape, unescape
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from apparatus import nodes as ed
from apparatus.domain import paragraph_anchor
from apparatus.locale import _
from apparatus.taxonomy import Category, categories
from apparatus.web import category_styles

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator

SCRIPT = "apparatus.js"
# Run where it stands, right after the key and before the text is drawn: restores the reader's
# filters, highlighting and key (saved by apparatus.js), so that nothing shifts once drawn. On a
# phone the key starts closed, so that the first screen shows the text.
PHONE = "(max-width: 47.99em)"
RESTORE = (
    "<script>(function(){var s={},r=document.documentElement;"
    'try{s=JSON.parse(localStorage.getItem("apparatus:reading")||"{}")||{}}catch(e){}'
    'if(s.full===true)r.classList.add("ed-full");'
    'if(Array.isArray(s.hidden)&&s.hidden.length)r.setAttribute("data-ed-hidden",s.hidden.join(" "));'
    f'if(s.keyOpen===false||(s.keyOpen!==true&&matchMedia("{PHONE}").matches))'
    "document.currentScript.previousElementSibling.open=false})();</script>"
)


class reading_key(nodes.General, nodes.Element):  # noqa: N801 (docutils naming)
    """The key to a text's notes: ``counts`` maps each category slug used to its number of notes."""


class AddReadingKey(SphinxPostTransform):
    """Put the key before the first paragraph of each text that has notes (web pages only)."""

    default_priority = 900
    builders = ("html", "dirhtml")

    def run(self, **kwargs: Any) -> None:
        first = next(iter(self.document.findall(ed.edition_paragraph)), None)
        if first is None:
            return
        notes = [n for n in self.document.findall(ed.editorial_note) if not n["withdrawn"]]
        counts = Counter(note["category"] for note in notes)
        if not counts:
            return
        first.parent.insert(first.parent.index(first), reading_key(counts=dict(counts), text=first["number"]))
        for lemma in self.document.findall(ed.lemma):
            if lemma["category"] in counts:
                lemma["describedby"] = key_name_id(lemma["category"])


def key_name_id(slug: str) -> str:
    return f"ed-key-{slug}"


def visit_reading_key(self: HTML5Translator, node: reading_key) -> None:
    counts: dict[str, int] = node["counts"]
    total = sum(counts.values())
    items = "".join(
        _key_item(entry, counts[entry.slug])
        for entry in categories(self.builder.config)
        if counts.get(entry.slug)
    )
    words = _words()
    # A keyboard user can pass over the key's controls straight to the text.
    skip = f'<a class="ed-skip-key" href="#{paragraph_anchor(node["text"])}">{words["skip"]}</a>'
    self.body.append(
        f'{skip}<details class="ed-key" open>'
        f'<summary class="ed-key-summary"><span class="ed-key-title">{words["title"]}</span> '
        f'<span class="ed-key-total">{_notes(total)}</span></summary>'
        f'<ul class="ed-key-list" aria-label="{words["list"]}">{items}</ul>'
        f"{_key_actions(total, words)}</details>{RESTORE}\n"
    )
    raise nodes.SkipNode


def _words() -> dict[str, str]:
    """The key's words in the edition's language, escaped for HTML."""
    words = {
        "skip": _("Skip the key"),
        "title": _("Key to the notes"),
        "list": _("Categories of notes"),
        "highlight": _("Highlight the flagged words"),
        "show": _("Show all"),
        "hide": _("Hide all"),
        "status": _("{shown} of {notes} shown."),
    }
    return {key: escape(text) for key, text in words.items()}


def _notes(count: int) -> str:
    return f"{count} {_notes_word(count)}"


def _notes_word(count: int) -> str:
    return escape(_("note") if count == 1 else _("notes"))


# The key's controls are written with the page, so that nothing shifts when the script wires
# them up; where scripting is off the stylesheet hides them and the key is a plain legend.
def _key_item(entry: Category, count: int) -> str:
    slug = escape(entry.slug)
    return (
        f'<li class="ed-key-item" data-category="{slug}" title="{escape(entry.definition)}"><label>'
        f'<input type="checkbox" class="ed-filter" value="{slug}" checked>'
        '<span class="ed-icon" aria-hidden="true"></span>'
        f'<span class="ed-key-name" id="{key_name_id(entry.slug)}">{escape(entry.name)}</span> '
        f'<span class="ed-key-count">{count}<span class="ed-sr-only"> {_notes_word(count)}</span></span>'
        "</label></li>"
    )


def _key_actions(total: int, words: dict[str, str]) -> str:
    status = words["status"].format(shown=total, notes=_notes(total))
    return (
        '<div class="ed-key-actions">'
        f'<label><input type="checkbox" class="ed-highlight">{words["highlight"]}</label>'
        f'<span class="ed-key-buttons"><button type="button" class="ed-show-all">{words["show"]}</button>'
        f'<button type="button" class="ed-hide-all">{words["hide"]}</button></span>'
        f'<p class="ed-key-status" role="status">{status}</p>'
        "</div>"
    )


def mark_text_pages(app: Sphinx, doctree: nodes.document) -> None:
    """A text page lays out its own notes beside the text, so it needs no page contents panel
    (furo's "hide-toc"); the space goes to the margin notes."""
    if next(iter(doctree.findall(ed.edition_paragraph)), None) is not None:
        app.env.metadata[app.env.docname]["hide-toc"] = ""


def add_script(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """The reading script goes only on pages that show a text."""
    if doctree is not None and next(iter(doctree.findall(ed.edition_paragraph)), None) is not None:
        app.add_js_file(SCRIPT, loading_method="defer")


def describe_page(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """A ``<meta name="description">`` (what search results and link previews show) from the page
    title and the edition's subject, unless the page has one already."""
    subject = app.config.apparatus_edition.get("subject", "")
    metatags = context.get("metatags", "")
    if not subject or 'name="description"' in metatags:
        return
    title = re.sub(r"<[^>]+>", "", context.get("title", ""))
    text = subject if pagename == app.config.root_doc or not title else f"{unescape(title)} — {subject}"
    context["metatags"] = metatags + f'\n<meta name="description" content="{escape(text)}">'


def setup(app: Sphinx) -> None:
    category_styles.setup(app)
    app.add_node(reading_key, html=(visit_reading_key, None))
    app.add_post_transform(AddReadingKey)
    app.connect("doctree-read", mark_text_pages)
    app.connect("html-page-context", add_script)
    app.connect("html-page-context", describe_page, priority=900)  # after other head metadata
