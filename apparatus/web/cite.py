"""Citing the edition: "Cite this note" on every note, and ready citations on any page.

Every note of a web page gets, inside its ``<aside>``, a "Cite this note" link to the note's
own page (:mod:`apparatus.web.notepages`), which has its permalink and every style of
:mod:`apparatus.citation.formats`, BibTeX, RIS and CSL-JSON; beside the link stands the note's
COinS, for reference managers. The block node carries all of them, for that page. The
citations are in that page, so they work without JavaScript; ``citation.js`` only adds copy
buttons. The block is for the web: it is added for the HTML builders only, so the PDF's
footnotes never carry it.

``.. ed:cite:: edition`` (or ``note LABEL``, ``paragraph N``, ``paragraphs``) sets ready
citations in any document, e.g. a "How to cite" page, made by the same code as the notes'
blocks, in every output.

The URLs are absolute, on ``html_baseurl``: a citation copied from a local build still points
at the published edition.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective
from sphinx.util.osutil import relative_uri

from apparatus import nodes as ed
from apparatus.citation.formats import Citable, citations, link_urls
from apparatus.domain import EditionDomain, NoteRecord, label_key, note_anchor, paragraph_anchor
from apparatus.edition import Edition, edition_from_config
from apparatus.locale import _
from apparatus.problems import location, report
from apparatus.web import coins
from apparatus.web.cite_html import html_to_nodes, skip, visit_note_citation
from apparatus.web.fragments import lemma_fragments, occurring_once, text_fragment

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

__all__ = ["WEB_BUILDERS", "history_uri", "note_citable", "note_page_uri", "occurring_once"]

WEB_BUILDERS = ("html", "dirhtml")
NOTE_PAGES = "notes"  # the folder of the notes' own pages, at the root of the site
RECORDS = (("bibtex", "bib", "BibTeX"), ("ris", "ris", "RIS"), ("csl-json", "json", "CSL-JSON"))
WHOLE_SET = "all"  # notes/all.bib and so on: the records of every note
CITE_ANCHOR = "cite"  # the citations' section of a note's page: "Cite this note" lands there


class note_citation(nodes.General, nodes.Element):  # noqa: N801 (docutils naming)
    """The "Cite this ..." disclosure: ``what``, ``url``, ``citations``, optional links; beside
    a note on the text page (``page``: the note's own page), only a link to that page."""


class citation_request(nodes.General, nodes.Element):  # noqa: N801
    """Placeholder left by ``ed:cite``, resolved once every note is known: ``what``, ``target``."""


# -- where things are on the published site -------------------------------------------------


def page_uri(builder: Builder, docname: str) -> str:
    """The page of a document on the published (HTML) site."""
    if builder.name in WEB_BUILDERS:
        return builder.get_target_uri(docname)
    return docname + ".html"


def anchored_url(edition: Edition, page: str, anchor: str) -> str:
    """``edition.url(f"{page}#{anchor}")``, the page's own URL worked out once per page."""
    return f"{_page_url(edition, page)}#{anchor}" if page else edition.url(f"#{anchor}")


@functools.lru_cache(maxsize=1024)
def _page_url(edition: Edition, page: str) -> str:
    return edition.url(page)  # urljoin: slow enough to matter for thousands of notes


def note_pagename(label: str) -> str:
    """The note's own page (``notes/4.6``): short, and as permanent as its label."""
    return f"{NOTE_PAGES}/{label}"


def note_page_uri(builder: Builder, label: str) -> str:
    return page_uri(builder, note_pagename(label))


def note_permalink(edition: Edition, builder: Builder, note: NoteRecord) -> str:
    """The note in its place on the text page."""
    return anchored_url(edition, page_uri(builder, note.docname), note_anchor(note.label))


def note_citable(edition: Edition, builder: Builder, note: NoteRecord) -> Citable:
    """A note is cited at its own page, which holds it, its place in the text and its citations."""
    url = _page_url(edition, note_page_uri(builder, note.label))
    return Citable("note", url, note.label, note.paragraph, note.withdrawn)


def paragraph_citable(edition: Edition, builder: Builder, docname: str, number: int) -> Citable:
    url = anchored_url(edition, page_uri(builder, docname), paragraph_anchor(number))
    return Citable("paragraph", url, paragraph=number)


def _builder(env: BuildEnvironment) -> Builder:
    """The running builder (as Sphinx's own post-transforms reach it, ``app`` being deprecated)."""
    return env._app.builder


def _domain(env: BuildEnvironment) -> EditionDomain:
    domain = env.get_domain("ed")
    assert isinstance(domain, EditionDomain)
    return domain


# -- a block on every note ------------------------------------------------------------------


class AddNoteCitations(SphinxPostTransform):
    """Append a citation block to every note on the web pages."""

    default_priority = 40  # after links are resolved; the PDF never runs it
    builders = WEB_BUILDERS

    def run(self, **kwargs: Any) -> None:
        notes = list(self.document.findall(ed.editorial_note))
        if not notes:
            return
        edition = edition_from_config(self.config)
        domain = _domain(self.env)
        fragments = lemma_fragments(self.document, (self.config.html_title or self.config.project,))
        for node in notes:
            record = domain.notes.get(node["label"])
            if record is not None:
                node += self._block(edition, record, fragments.get(record.label))
        # The edition's own COinS, after its notes' (reference managers list them in order).
        self.document += nodes.raw("", coins.span(edition, Citable("edition", edition.url())), format="html")

    def _block(self, edition: Edition, note: NoteRecord, fragment: str | None) -> note_citation:
        builder = _builder(self.env)
        citable = note_citable(edition, builder, note)
        # Beside its note, the block is "Cite this note"; screen readers also hear which note.
        block = note_citation(
            summary=_("Cite this note"),
            what=_what(citable),
            url=note_permalink(edition, builder, note),
            citations=citations(edition, citable),
            coins=coins.span(edition, citable),
            page=builder.get_relative_uri(self.env.docname, note_pagename(note.label)) + "#" + CITE_ANCHOR,
        )
        if fragment is not None and not note.withdrawn:
            page = edition.url(page_uri(builder, note.docname))
            block["fragment"] = text_fragment(page, note.label, fragment)
        if note.withdrawn:
            block["withdrawn"] = note.withdrawn
            block["history"] = history_uri(self.env, self.env.docname)
        return block


def history_uri(env: BuildEnvironment, fromdocname: str) -> str:
    history = env.config.apparatus_history
    if not history or history not in env.all_docs:
        return ""
    return _builder(env).get_relative_uri(fromdocname, history)


# -- ed:cite --------------------------------------------------------------------------------


WHAT = ("edition", "note", "paragraph", "paragraphs", "notes")


class CiteDirective(SphinxDirective):
    """``.. ed:cite:: edition | note [LABEL] | paragraph N | paragraphs | notes``, with ``:open:``.

    ``note`` without a label cites the first note that is not withdrawn; ``notes`` links the
    files with the records of every note. On the web, the citations are in a disclosure, shown
    open with ``:open:``.
    """

    required_arguments = 1
    optional_arguments = 1
    option_spec: ClassVar = {"open": directives.flag}

    def run(self) -> list[nodes.Node]:
        what, target = self.arguments[0], (self.arguments[1:] or [""])[0]
        if what not in WHAT or (what == "paragraph" and not target):
            report(
                self.env,
                f"ed:cite {' '.join(self.arguments)!r}: say what to cite: edition, note [LABEL], "
                "paragraph N, paragraphs or notes",
                location(*self.get_source_info()),
                self.env.docname,
            )
            return []
        _domain(self.env).note_listing(self.env.docname)  # it shows notes of other documents
        node = citation_request(what=what, target=target, open="open" in self.options)
        self.set_source_info(node)
        return [node]


class ResolveCitationRequests(SphinxPostTransform):
    """Replace each ``ed:cite`` placeholder: a disclosure on the web, plain citations elsewhere."""

    default_priority = 40

    def run(self, **kwargs: Any) -> None:
        requests = list(self.document.findall(citation_request))
        if not requests:
            return
        edition = edition_from_config(self.config)
        for request in requests:
            if request["what"] == "notes":
                request.replace_self(_whole_set(edition, _builder(self.env), self.env.docname))
                continue
            items = self._citables(edition, request)
            if _builder(self.env).name in WEB_BUILDERS:
                blocks: list[nodes.Node] = [_web_block(item, edition, request["open"]) for item in items]
            elif request["what"] == "paragraphs":
                blocks = [_permalink_list(items)] if items else []
            else:
                blocks = [_plain_block(item, edition) for item in items]
            if blocks:
                request.replace_self(blocks)
            else:
                request.parent.remove(request)

    def _citables(self, edition: Edition, request: citation_request) -> list[Citable]:
        domain = _domain(self.env)
        what, target = request["what"], request["target"]
        if what == "edition":
            return [Citable("edition", edition.url())]
        if what == "note":
            note = self._note(domain, target, request)
            return [note_citable(edition, _builder(self.env), note)] if note else []
        docname = domain.text_docname()
        count = domain.texts[docname].paragraphs if docname else 0
        numbers = range(1, count + 1) if what == "paragraphs" else [int(target)] if target.isdigit() else []
        if what == "paragraph" and not (numbers and 1 <= numbers[0] <= count):
            self._problem(request, f"ed:cite: there is no paragraph {target!r} (the text has {count})")
            return []
        assert docname is not None or not numbers
        return [paragraph_citable(edition, _builder(self.env), docname or "", number) for number in numbers]

    def _note(self, domain: EditionDomain, label: str, request: citation_request) -> NoteRecord | None:
        if not label:
            current = [n for n in domain.notes.values() if not n.withdrawn]
            return min(current, key=lambda note: label_key(note.label), default=None)
        if label not in domain.notes:
            self._problem(request, f"ed:cite: unknown note {label!r}")
        return domain.notes.get(label)

    def _problem(self, request: citation_request, message: str) -> None:
        report(self.env, message, location(request.source, request.line), None)


def _web_block(citable: Citable, edition: Edition, opened: bool) -> note_citation:
    """Away from the note it cites, the block says what it cites: "Cite ¶4", "Cite note 1.1"."""
    return note_citation(
        summary=_("Cite {what}").format(what=_what(citable)),
        item=_what(citable),
        url=citable.url,
        citations=citations(edition, citable),
        open=opened,
    )


def _what(citable: Citable) -> str:
    if citable.kind == "edition":
        return _("the edition")
    if citable.kind == "paragraph":
        return f"¶{citable.paragraph}"
    return _("note {label}").format(label=citable.label)


def _plain_block(citable: Citable, edition: Edition) -> nodes.definition_list:
    """Citations as ordinary nodes (PDF and other outputs): a term per style."""
    listing = nodes.definition_list(classes=["ed-cite-list"])
    for found in citations(edition, citable):
        body: nodes.Element
        if found.code:
            body = nodes.literal_block(found.text, found.text)
        else:
            body = nodes.paragraph("", "", *html_to_nodes(link_urls(found.html, citable.url)))
        listing += nodes.definition_list_item(
            "", nodes.term(found.name, found.name), nodes.definition("", body)
        )
    return listing


def _whole_set(edition: Edition, builder: Builder, docname: str) -> nodes.bullet_list:
    """The files of every note's records: linked on the web, their published URLs elsewhere."""
    listing = nodes.bullet_list(classes=["ed-cite-records"])
    for _key, suffix, name in RECORDS:
        path = f"{NOTE_PAGES}/{WHOLE_SET}.{suffix}"
        if builder.name in WEB_BUILDERS:
            uri, shown = relative_uri(builder.get_target_uri(docname), path), path
        else:
            uri = shown = edition.url(path)
        link = nodes.reference(shown, shown, refuri=uri)
        listing += nodes.list_item("", nodes.paragraph("", "", nodes.Text(f"{name}: "), link))
    return listing


def _permalink_list(items: list[Citable]) -> nodes.bullet_list:
    """Outside the web, every paragraph as "¶N: permalink" (its citations would fill pages)."""
    listing = nodes.bullet_list(classes=["ed-cite-permalinks"])
    for item in items:
        link = nodes.reference(item.url, item.url, refuri=item.url)
        listing += nodes.list_item("", nodes.paragraph("", "", nodes.Text(f"¶{item.paragraph}: "), link))
    return listing


# -- registration ---------------------------------------------------------------------------


def add_assets(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """The blocks' style and the copy buttons, on the pages that show citations: a note's own
    page, or a page with a full block; not the text page, whose notes only link to their pages."""
    blocks = doctree.findall(note_citation) if doctree is not None else ()
    if "apparatus_note" in context or any(not block.get("page") for block in blocks):
        app.add_css_file("citation.css", priority=499)  # before apparatus.css, which refines it
        app.add_js_file("citation.js", loading_method="defer")


def setup(app: Sphinx) -> None:
    app.add_config_value("apparatus_history", "", "env", types=[str])
    app.add_node(note_citation, html=(visit_note_citation, None), text=(skip, None), latex=(skip, None))
    app.add_node(citation_request)
    app.add_directive_to_domain("ed", "cite", CiteDirective)
    app.add_post_transform(AddNoteCitations)
    app.add_post_transform(ResolveCitationRequests)
    app.connect("html-page-context", add_assets)
