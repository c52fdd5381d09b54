"""The HTML of the citation blocks, and the little HTML of a formatted citation as docutils nodes."""

from __future__ import annotations

from html import escape
from html.parser import HTMLParser
from typing import TYPE_CHECKING

from docutils import nodes

from apparatus.citation.formats import Formatted
from apparatus.locale import _

if TYPE_CHECKING:
    from sphinx.writers.html5 import HTML5Translator


class _InlineHTML(HTMLParser):
    """The little HTML a formatted citation holds (``<i>``, ``<a href>``) as docutils nodes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[nodes.Element] = [nodes.inline()]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "i":
            self.stack.append(nodes.emphasis())
        elif tag == "a":
            self.stack.append(nodes.reference(refuri=dict(attrs).get("href") or ""))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("i", "a") and len(self.stack) > 1:
            node = self.stack.pop()
            self.stack[-1] += node

    def handle_data(self, data: str) -> None:
        self.stack[-1] += nodes.Text(data)


def html_to_nodes(html: str) -> list[nodes.Node]:
    parser = _InlineHTML()
    parser.feed(html)
    parser.close()
    return list(parser.stack[0].children)


# -- HTML -----------------------------------------------------------------------------------


def visit_note_citation(self: HTML5Translator, node: nodes.Element) -> None:
    self.body.append(block_html(node))
    raise nodes.SkipNode


def block_html(node: nodes.Element) -> str:
    """The block, written lean: no wrappers beyond the list, no text written twice.

    ``citation.js`` names each copy button from the style's term and the summary, and takes the
    URL to link from the permalink. Beside a note on the text page (``page``: the note's own
    page), the block is only a link to that page, which has every style: the text page carries
    some ninety notes, and their citations would weigh more than the text and notes together.
    """
    if node.get("page"):
        return node.get("coins", "") + _page_link(node)
    url = escape(node["url"])
    what = node.get("what", "")
    opened = " open" if node.get("open") else ""
    hidden = f'<span class="ed-cite-what ed-sr-only"> ({escape(what)})</span>' if what else ""
    # What the copy buttons name as cited: the hidden words beside a note, else ``item``.
    item = f' data-item="{escape(node["item"])}"' if not what and node.get("item") else ""
    permalink = escape(_("Permalink:"))
    parts = [
        node.get("coins", ""),
        f'<details class="ed-cite"{opened}{item}><summary>{escape(node["summary"])}{hidden}</summary>'
        f'<p class="ed-cite-permalink">{permalink} <a href="{url}">{url}</a></p>',
    ]
    if node.get("fragment"):
        link = escape(_("Link that highlights the words in the text"))
        where = escape(_("(in browsers that support it)"))
        parts.append(
            f'<p class="ed-cite-fragment"><a href="{escape(node["fragment"])}">{link}</a> {where}</p>'
        )
    if node.get("withdrawn"):
        parts.append(f'<p class="ed-cite-withdrawn">{_withdrawn(node["withdrawn"], node.get("history"))}</p>')
    parts.append('<dl class="ed-cite-styles">')
    parts += [_style_entry(found) for found in node["citations"]]
    parts.append("</dl>")
    parts += _downloads(node.get("downloads", ()))
    parts.append("</details>\n")
    return "".join(parts)


def _withdrawn(version: str, history: str | None) -> str:
    """That the note was withdrawn, and where the version history says why."""
    where = ""
    if history:
        where = _(' (see the <a href="{history}">version history</a>)').format(history=escape(history))
    sentence = _("Withdrawn in version {version}{history}; its label and permalink stay valid.")
    return sentence.format(version=escape(version), history=where)


def _page_link(node: nodes.Element) -> str:
    """The "Cite this note" link to the note's own page; screen readers also hear which note."""
    what = node.get("what", "")
    hidden = f'<span class="ed-sr-only"> ({escape(what)})</span>' if what else ""
    return f'<p class="ed-cite-link"><a href="{escape(node["page"])}">{escape(node["summary"])}{hidden}</a></p>\n'


def _downloads(files: tuple[tuple[str, str], ...]) -> list[str]:
    if not files:
        return []
    links = ", ".join(f'<a href="{escape(href)}" download>{escape(name)}</a>' for name, href in files)
    download = escape(_("Download:"))
    return [f'<p class="ed-cite-downloads">{download} {links}</p>']


def _style_entry(found: Formatted) -> str:
    """One style: its name, then the citation (preformatted for BibTeX and RIS)."""
    data = f'class="ed-cite-text" data-style="{found.key}"'
    if found.code:
        return f"<dt>{escape(found.name)}</dt><dd><pre {data}>{found.html}</pre></dd>"
    return f"<dt>{escape(found.name)}</dt><dd {data}>{found.html}</dd>"


def skip(self: nodes.NodeVisitor, node: nodes.Node) -> None:
    raise nodes.SkipNode
