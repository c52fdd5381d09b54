"""The words the web edition's scripts show or announce, in the edition's language.

``apparatus.js`` and ``citation.js`` build a few controls and messages in the browser (the
popover's bar, "Link copied", the key's count, the copy buttons). Their words go through
:mod:`apparatus.locale` like the rest: they are written once per build into
``_static/apparatus-words.js``, which loads before the scripts: ``apparatusSay(key, values)``
gives the words of ``key`` with each ``{name}`` replaced by its value.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from apparatus.locale import _
from apparatus.web.generated import write_static_file

if TYPE_CHECKING:
    from sphinx.application import Sphinx

FILENAME = "apparatus-words.js"

SAY = """window.apparatusSay = function (key, values) {
  return window.apparatusWords[key].replace(/\\{(\\w+)\\}/g, function (all, name) {
    return values && name in values ? String(values[name]) : all;
  });
};
"""


def script_words() -> dict[str, str]:
    return {
        "closeNote": _("Close the note"),
        "copyLink": _("Copy link"),
        "linkCopied": _("Link copied"),
        "linkCopiedSaid": _("The link to note {label} is copied."),
        "linkRefused": _("Copying is not allowed here. The link is {url}"),
        "noteTitle": _("Note {label}"),
        "copyLinkTo": _("Copy link to note {label}"),
        "backTo": _("Back to {label}"),
        "backToNote": _("Back to note {label}"),
        "shown": _("{shown} of {notes} shown."),
        "note": _("note"),
        "notes": _("notes"),
        "copy": _("Copy"),
        "copied": _("Copied"),
        "copyCitation": _("Copy the {style} citation of {item}"),
        "copiedSaid": _("Copied. The {style} citation of {item}"),
        "selectAndCopy": _("Select and copy"),
        "citationRefused": _("Copying is not allowed here: select the text and copy it."),
    }


def write_words(app: Sphinx) -> None:
    if app.builder.format == "html":
        words = json.dumps(script_words(), ensure_ascii=False, sort_keys=True)
        write_static_file(app, FILENAME, f"window.apparatusWords = {words};\n{SAY}")


def template_words(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """``ed_('…')`` in the layer's templates: Sphinx's own ``_`` there reads Sphinx's catalogue."""
    context["ed_"] = _


def setup(app: Sphinx) -> None:
    app.add_js_file(FILENAME, priority=400)  # before the scripts that read it (priority 500)
    app.connect("builder-inited", write_words)
    app.connect("html-page-context", template_words)
