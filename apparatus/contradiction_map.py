"""The map of contradictions: which passages conflict with which, drawn from the notes' data.

``.. ed:listing:: map`` becomes, at write time, an inline SVG (one node per note in a contradiction,
placed in its paragraph's column, one edge per conflicting pair, every node a link to its note)
followed by the same information as a list, which is the map's text alternative. Colours come
from the theme's CSS variables with plain fallbacks, so the drawing follows light and dark
mode on the web and prints in black in the PDF.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from docutils import nodes

from apparatus.domain import (
    EditionDomain,
    NoteRecord,
    label_key,
    note_anchor,
    note_title,
    paragraph_anchor,
)
from apparatus.listings import Request, add_listing, note_link, paragraph_link, quoted
from apparatus.locale import _
from apparatus.taxonomy import contradictions

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder

COLUMN = 84  # px per paragraph column
ROW = 36  # px per note in a column
TOP = 40  # room for the column headings
NODE_W, NODE_H = 44, 24
LEGEND = 64  # room below the drawing for its legend

# Theme colours with fallbacks: furo's variables on the web (light and dark), black in print.
STYLE = (
    "<style>"
    ".ed-map-svg{font:13px/1 var(--font-stack,sans-serif)}"
    ".ed-map-edge,.ed-map-legend path{fill:none;stroke:var(--color-foreground-muted,#555);stroke-width:1.2;opacity:.7}"
    ".ed-map-node rect{fill:var(--color-background-primary,#fff);"
    "stroke:var(--color-foreground-primary,#000);stroke-width:1.2}"
    ".ed-map-node.ed-map-other rect{stroke-dasharray:3 2}"
    ".ed-map-key{fill:none;stroke:var(--color-foreground-primary,#000);stroke-width:1.2}"
    ".ed-map-node text,.ed-map-col{fill:var(--color-foreground-primary,#000);text-decoration:none}"
    ".ed-map-node:hover rect,.ed-map-node:focus rect{stroke-width:2.5}"
    ".ed-map-legend text{fill:var(--color-foreground-primary,#000);font-size:12px}"
    "</style>"
)


def edges(domain: EditionDomain) -> list[tuple[str, str]]:
    """Each pair of notes in force that conflict (``:conflicts:``, either way), once, in label
    order. Notes that are only related are not drawn: a related link is no conflict."""
    pairs: set[tuple[str, str]] = set()
    for note in domain.notes.values():
        if note.withdrawn:
            continue
        for other in domain.conflicts(note.label):
            if not domain.notes[other].withdrawn:
                first, second = sorted((note.label, other), key=label_key)
                pairs.add((first, second))
    return sorted(pairs, key=lambda pair: (label_key(pair[0]), label_key(pair[1])))


def layout(notes: list[NoteRecord]) -> dict[str, tuple[float, float]]:
    """Centre of each node: the paragraph's column, stacked in text order."""
    columns = sorted({note.paragraph for note in notes})
    placed: dict[str, tuple[float, float]] = {}
    for index, number in enumerate(columns):
        members = sorted((n for n in notes if n.paragraph == number), key=lambda n: n.start)
        for row, note in enumerate(members):
            placed[note.label] = (COLUMN * index + COLUMN / 2, TOP + ROW * row + NODE_H / 2)
    return placed


def href(builder: Builder, fromdocname: str, docname: str, anchor: str) -> str:
    uri = builder.get_relative_uri(fromdocname, docname)
    # Single-page builders address documents by a fragment already: keep only the anchor.
    return f"#{anchor}" if "#" in uri else f"{uri}#{anchor}"


def curve(start: tuple[float, float], end: tuple[float, float]) -> str:
    """An edge from the right side of one box to the left side of the next, as an S-curve;
    between boxes of the same column, a loop on their right side."""
    (x1, y1), (x2, y2) = sorted((start, end))
    if x1 == x2:
        x, bulge = x1 + NODE_W / 2, 14 + abs(y2 - y1) / 6
        return f"M{x},{y1} C{x + bulge},{y1} {x + bulge},{y2} {x},{y2}"
    a, b = x1 + NODE_W / 2, x2 - NODE_W / 2
    pull = (b - a) / 2
    return f"M{a},{y1} C{a + pull},{y1} {b - pull},{y2} {b},{y2}"


def svg(domain: EditionDomain, builder: Builder, fromdocname: str, pairs: list[tuple[str, str]]) -> str:
    notes = [domain.notes[label] for label in sorted({x for pair in pairs for x in pair}, key=label_key)]
    centre = layout(notes)
    columns = sorted({note.paragraph for note in notes})
    width = COLUMN * len(columns)
    drawing = TOP + ROW * max((sum(n.paragraph == c for n in notes) for c in columns), default=1)
    height = drawing + LEGEND
    text_doc = domain.text_docname() or fromdocname
    description = _(
        "{notes} notes in {pairs} conflicting pairs, by paragraph; the list below gives the same information as text."
    )
    title = escape(_("Map of the contradictions"))
    parts = [
        f'<svg class="ed-map-svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        'role="group" aria-labelledby="ed-map-title" aria-describedby="ed-map-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="ed-map-title">{title}</title>',
        f'<desc id="ed-map-desc">{escape(description.format(notes=len(notes), pairs=len(pairs)))}</desc>',
        STYLE,
    ]
    for index, number in enumerate(columns):
        x = COLUMN * index + COLUMN / 2
        link = href(builder, fromdocname, text_doc, paragraph_anchor(number))
        parts.append(
            f'<a href="{escape(link)}"><text class="ed-map-col" x="{x}" y="18" text-anchor="middle">'
            f"¶{number}</text></a>"
        )
    parts.extend(f'<path class="ed-map-edge" d="{curve(centre[a], centre[b])}"/>' for a, b in pairs)
    contradicting = contradictions(builder.config)
    for note in notes:
        x, y = centre[note.label]
        link = href(builder, fromdocname, note.docname, note_anchor(note.label))
        kind = "contradiction" if note.category in contradicting else "other"
        parts.append(
            f'<a href="{escape(link)}" class="ed-map-node ed-map-{kind}">'
            f"<title>n. {escape(note.label)} (¶{note.paragraph}): {escape(note.lemma)}</title>"
            f'<rect x="{x - NODE_W / 2}" y="{y - NODE_H / 2}" width="{NODE_W}" height="{NODE_H}" rx="5"/>'
            f'<text x="{x}" y="{y + 4.5}" text-anchor="middle">{escape(note.label)}</text></a>'
        )
    parts += [legend(drawing), "</svg>"]
    return "".join(parts)


def legend(top: float) -> str:
    """What a box, a dashed box and a line mean, below the drawing."""
    keys = [
        (
            '<rect class="ed-map-key" x="0" y="{y}" width="22" height="14" rx="3"/>',
            _("a note on a contradiction"),
        ),
        (
            '<rect class="ed-map-key" x="0" y="{y}" width="22" height="14" rx="3" stroke-dasharray="3 2"/>',
            _("a note of another category whose passage is one side of a contradiction"),
        ),
        ('<path d="M0,{mid} L22,{mid}"/>', _("the two passages conflict")),
    ]
    parts = [f'<g class="ed-map-legend" transform="translate(4,{top + 6})">']
    for row, (shape, meaning) in enumerate(keys):
        y = row * 19
        parts.append(shape.format(y=y, mid=y + 7))
        parts.append(f'<text x="30" y="{y + 11}">{escape(str(meaning))}</text>')
    parts.append("</g>")
    return "".join(parts)


def text_alternative(domain: EditionDomain, pairs: list[tuple[str, str]]) -> nodes.bullet_list:
    items = nodes.bullet_list(classes=["ed-map-list"])
    for first, second in pairs:
        line = nodes.paragraph()
        for index, label in enumerate((first, second)):
            note = domain.notes[label]
            if index:
                line += nodes.Text(" " + _("conflicts with") + " ")
            line += [note_link(label, note_title(label)), nodes.Text(" ("), paragraph_link(note.paragraph)]
            line += [nodes.Text(") "), quoted(note.lemma)]
        items += nodes.list_item("", line)
    return items


def draw(request: Request) -> list[nodes.Node]:
    """The ``map`` listing: the drawing, then the same pairs as a list (its text alternative)."""
    pairs = edges(request.domain)
    figure = nodes.container(classes=["ed-map"])
    figure += nodes.raw("", svg(request.domain, request.builder, request.docname, pairs), format="html")
    figure += text_alternative(request.domain, pairs)
    return [figure]


def setup(app: Sphinx) -> None:
    add_listing(app, "map", draw)
