"""Links that highlight a lemma's words in the text: the lemma's anchor and a text fragment.

A text fragment (``#lemma-4.6:~:text=prefix-,words,-suffix``) makes the browser highlight the
first passage of the page that matches. The note that quotes the words, or another paragraph,
may hold them too, so the words are given with a few words of the paragraph around them (the
fragment's prefix and suffix), as many as make the passage occur once on the page. A call of a
note has no text of its own (the stylesheet draws its label), so the words and their context
read in the page as in the original. Browsers without text fragments follow the anchor.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from docutils import nodes

from apparatus import nodes as ed
from apparatus.domain import lemma_anchor

CONTEXT_WORDS = (3, 6)  # words of context on each side: tried in turn until the passage is unique
WORD = re.compile(r"\w+")
TOKEN = re.compile(r"\S+")


def text_fragment(page_url: str, label: str, directive: str) -> str:
    return f"{page_url}#{lemma_anchor(label)}:~:{directive}"


def lemma_fragments(document: nodes.document) -> dict[str, str]:
    """Label -> the ``text=`` directive that finds its lemma's words in the text, and only there."""
    texts: list[str] = []
    places: dict[str, tuple[str, int, int]] = {}  # label -> (paragraph text, start, end)
    for node in document.findall(_block):
        if isinstance(node, ed.edition_paragraph):
            text, spans = _read(node)
            places.update({label: (text, start, end) for label, (start, end) in spans.items()})
        else:
            text = node.astext()  # a title, or a note (which quotes its lemma)
        texts.append(text)
    candidates = {
        label: [_passage(text, start, end, words) for words in CONTEXT_WORDS]
        for label, (text, start, end) in places.items()
    }
    once = occurring_once({text for found in candidates.values() for text, _directive in found}, texts)
    found = {}
    for label, passages in candidates.items():
        directive = next((directive for text, directive in passages if text in once), None)
        if directive is not None:
            found[label] = directive
    return found


def _block(node: nodes.Node) -> bool:
    return isinstance(node, ed.edition_paragraph | ed.editorial_note | nodes.title)


def _read(paragraph: ed.edition_paragraph) -> tuple[str, dict[str, tuple[int, int]]]:
    """The paragraph's text as the page has it, and where each lemma's words stand in it."""
    parts: list[str] = []
    spans, position = {}, 0
    for node in paragraph.findall(lambda n: isinstance(n, nodes.Text | ed.lemma)):
        if isinstance(node, ed.lemma):  # met before its own text
            spans[node["label"]] = (position, position + len(node.astext()))
        else:
            parts.append(str(node))
            position += len(parts[-1])
    return "".join(parts), spans


def _passage(text: str, start: int, end: int, words: int) -> tuple[str, str]:
    """The words with up to ``words`` whole words on each side, and its ``text=`` directive.

    The prefix begins and the suffix ends at a word boundary (whitespace or the paragraph's
    edge), as a text fragment requires; between them and the words only whitespace is skipped.
    """
    before = list(TOKEN.finditer(text, 0, start))[-words:]
    after = list(TOKEN.finditer(text, end))[:words]
    first = before[0].start() if before else start
    last = after[-1].end() if after else end
    prefix, suffix = text[first:start].rstrip(), text[end:last].lstrip()
    directive = "text=" + (f"{_quote(prefix)}-," if prefix else "") + _quote(text[start:end])
    return text[first:last], directive + (f",-{_quote(suffix)}" if suffix else "")


def _quote(text: str) -> str:
    return quote(text, safe="").replace("-", "%2D")


def occurring_once(phrases: set[str], texts: list[str]) -> set[str]:
    """The phrases that occur once in all the texts together, as ``str.count`` counts.

    Searching every text for every phrase is quadratic (a second for 4,000 notes on a text of
    1,000 paragraphs, where this takes 0.03 s). A word that a phrase holds whole (a run of word
    characters with another character on both sides, inside the phrase) stands whole in every
    text where the phrase occurs, so only the texts that have the phrase's rarest such word are
    searched.
    """
    holding: dict[str, list[int]] = {}
    for index, text in enumerate(texts):
        for word in set(WORD.findall(text)):
            holding.setdefault(word, []).append(index)
    everywhere = range(len(texts))
    found = set()
    for phrase in phrases:
        inner = [m.group() for m in WORD.finditer(phrase) if m.start() > 0 and m.end() < len(phrase)]
        where = min((holding.get(word, []) for word in inner), key=len, default=everywhere)
        if sum(texts[index].count(phrase) for index in where) == 1:
            found.add(phrase)
    return found
