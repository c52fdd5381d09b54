"""The theme's layout around the notes' pages, rendered once for all of them.

Every note's page stands in one folder, outside the table of contents, on the theme's page
layout: all that differs from one to the next is its title, its address, the metadata of its
``<head>`` and its content. Rendering the whole layout (furo's page and base templates) takes
most of the time a page takes, so it is rendered once with placeholders in those four places,
and each page is the layout with its own four filled in. Each page still goes through Sphinx's
own page writing: its ``html-page-context`` event (other extensions see it as any page, and may
change its context), then Sphinx renders the template ``apparatus/filled.html``, which asks
for the page at that moment, from the context as the event left it.

The filling is exact or not used: the layout is checked against a full rendering of the first
two pages, and a page whose context differs from the first page's in anything but its own four
(another extension's per-page value, a title that the theme's filters would change) is
rendered in full.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from markupsafe import escape

if TYPE_CHECKING:
    from sphinx.application import Sphinx

TEMPLATE = "apparatus/note.html"
CONTENT_TEMPLATE = "apparatus/note-content.html"
FILLED_TEMPLATE = "apparatus/filled.html"

# What each page has of its own, as the templates print it: the placeholder of the layout, and
# how the value is printed (escaped or as it is).
_OWN = {"title": True, "pageurl": True, "metatags": False, "note_content": False}
_HOLDER = "\ue000apparatus-{}\ue001"
# Context values that differ from page to page by design: Sphinx's page names and the note's
# own values; callables (pathto, toctree, css_tag…) are made anew for each page.
_PER_PAGE = {"pagename", "current_page_name", "apparatus_note", "apparatus_page"}


class Layout:
    """The layout of the notes' pages in one build: the reference context and the layout."""

    def __init__(self, usable: bool = True) -> None:
        self.reference: dict[str, Any] | None = None
        self.layout: str | None = None
        self.checked = 0  # pages rendered in full and compared with their filled layout
        self.usable = usable

    def page(self, app: Sphinx, context: dict[str, Any]) -> str:
        """The whole page: its content, in the layout where filling it in is exact."""
        context["note_content"] = _render(app, CONTENT_TEMPLATE, context)
        filled = self._filled(app, context)
        return _render(app, TEMPLATE, context) if filled is None else filled

    def _filled(self, app: Sphinx, context: dict[str, Any]) -> str | None:
        if not self.usable or not _plain(context):
            return None
        shared = _shared(context)
        if self.reference is None:
            self.reference = shared
        elif shared != self.reference:
            return None
        if self.layout is None:
            holders = {key: _HOLDER.format(key) for key in _OWN}
            self.layout = _render(app, TEMPLATE, {**context, **holders})
        filled = _fill(self.layout, context)
        if self.checked < 2:
            self.checked += 1
            if filled != _render(app, TEMPLATE, context):
                self.usable = False
                return None
        return filled


def _plain(context: dict[str, Any]) -> bool:
    """Whether every value of the page's own prints as the layout prints its placeholder:
    present (the templates test them), and, where escaped, unchanged by the theme's filters."""
    for key, escaped in _OWN.items():
        value = context.get(key)
        if not isinstance(value, str) or not value:
            return False
        # Where neither "<" nor "&" stands and the spaces are single, the theme's ``striptags``
        # leaves the value as it is, and ``e`` is markupsafe's escape.
        if escaped and ("<" in value or "&" in value or " ".join(value.split()) != value):
            return False
    return True


def _shared(context: dict[str, Any]) -> dict[str, Any]:
    return {
        key: value
        for key, value in context.items()
        if key not in _OWN and key not in _PER_PAGE and not key.startswith("note_") and not callable(value)
    }


def _render(app: Sphinx, template: str, context: dict[str, Any]) -> str:
    return app.builder.templates.render(template, context)


def _fill(layout: str, context: dict[str, Any]) -> str:
    for key, escaped in _OWN.items():
        value = context[key]
        layout = layout.replace(_HOLDER.format(key), str(escape(value)) if escaped else value)
    return layout


def fill_note_page(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> str | None:
    """``html-page-context`` of a note's page: the page is made when Sphinx renders it."""
    if templatename != TEMPLATE or "apparatus_note" not in context:
        return None
    layout = getattr(app.builder, "apparatus_note_layout", None) or Layout(usable=False)
    context["apparatus_page"] = functools.partial(layout.page, app, context)
    return FILLED_TEMPLATE


def setup(app: Sphinx) -> None:
    app.connect("html-page-context", fill_note_page)
