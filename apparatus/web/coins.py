"""COinS (ContextObjects in Spans, OpenURL 1.0 KEV): one span per cited item on a page.

A reference manager that finds several on a page (Zotero's COinS translator) offers them as a
list: on the text page, every note, each a part of the edition (``genre=bookitem``, which
Zotero saves as a book section with its own URL), and the edition itself (``genre=book``).
A body is a corporate author (``rft.aucorp``), never split into given and family names.
OpenURL's book format has no editor: the container is named by its title.
"""

from __future__ import annotations

from html import escape
from urllib.parse import urlencode

from apparatus.citation.items import Citable
from apparatus.edition import Edition

BOOK_FORMAT = "info:ofi/fmt:kev:mtx:book"


def context_object(edition: Edition, citable: Citable) -> str:
    """The OpenURL ContextObject of the edition or of a note, as a KEV query string."""
    fields = [("ctx_ver", "Z39.88-2004"), ("rft_val_fmt", BOOK_FORMAT)]
    if citable.kind == "edition":
        fields.append(("rft.genre", "book"))
    else:
        fields += [("rft.genre", "bookitem"), ("rft.atitle", citable.title)]
    fields.append(("rft.btitle", edition.title))
    if citable.kind != "paragraph":
        fields += [("rft.aucorp" if name.body else "rft.au", name.inverted) for name in edition.editors]
    if edition.publisher:
        fields.append(("rft.pub", edition.publisher))
    fields += [("rft.date", edition.date), ("rft.language", edition.language), ("rft_id", citable.url)]
    return urlencode(fields)


def span(edition: Edition, citable: Citable) -> str:
    return f'<span class="Z3988" title="{escape(context_object(edition, citable))}"></span>'
