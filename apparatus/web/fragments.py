"""Links that highlight a lemma's words in the text: the lemma's anchor and a text fragment.

A text fragment (``#lemma-4.6:~:text=prefix-,words,-suffix``) makes the browser highlight the
first passage of the page that matches. The note that quotes the words, or another paragraph,
may hold them earlier in the page, so the words are given with as many words of the paragraph
around them (the fragment's prefix and suffix) as make their first match the lemma itself. A call of a
note has no text of its own (the stylesheet draws its label), so the words and their context
read in the page as in the original. Browsers without text fragments follow the anchor.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from docutils import nodes

from apparatus import nodes as ed
from apparatus.domain import lemma_anchor

CONTEXT_WORDS = (0, 3, 6)  # words of context on each side, tried in turn
WORD = re.compile(r"\w+")
TOKEN = re.compile(r"\S+")


def text_fragment(page_url: str, label: str, directive: str) -> str:
    return f"{page_url}#{lemma_anchor(label)}:~:{directive}"


def lemma_fragments(document: nodes.document, before: tuple[str, ...] = ()) -> dict[str, str]:
    """Label -> the ``text=`` directive whose first match on the page is its lemma in the text.

    ``before``: what the page shows ahead of the document (the site's title in its header).
    """
    texts = list(before)
    places: dict[str, tuple[int, int, int]] = {}  # label -> (index of its paragraph, start, end)
    for node in document.findall(_block):
        if isinstance(node, ed.edition_paragraph):
            text, spans = _read(node)
            places.update({label: (len(texts), start, end) for label, (start, end) in spans.items()})
        else:
            text = node.astext()  # a title, or a note (which quotes its lemma)
        texts.append(text)
    search = Search(texts)
    found = {}
    for label, (index, start, end) in places.items():
        for words in CONTEXT_WORDS:
            first, passage, directive = _passage(texts[index], start, end, words)
            if search.first(passage) == (index, first):
                found[label] = directive
                break
    return found


class Search:
    """Where a phrase first occurs in a list of texts, without searching every text.

    Searching every text for every phrase is quadratic (a second for 4,000 notes on a text of
    1,000 paragraphs). A word that a phrase holds whole (a run of word characters with another
    character on both sides, inside the phrase) stands whole in every text where the phrase
    occurs, so only the texts that have the phrase's rarest such word are searched.
    """

    def __init__(self, texts: list[str]) -> None:
        self.texts = [_folded(text) for text in texts]
        self.holding: dict[str, list[int]] = {}
        for index, text in enumerate(self.texts):
            for word in set(WORD.findall(text)):
                self.holding.setdefault(word, []).append(index)

    def where(self, phrase: str) -> list[int] | range:
        """The texts that may hold the phrase, in order."""
        phrase = _folded(phrase)
        inner = [m.group() for m in WORD.finditer(phrase) if m.start() > 0 and m.end() < len(phrase)]
        return min((self.holding.get(word, []) for word in inner), key=len, default=range(len(self.texts)))

    def first(self, phrase: str) -> tuple[int, int] | None:
        """(index of the text, offset in it) of the phrase's first occurrence."""
        for index in self.where(phrase):
            offset = self.texts[index].find(_folded(phrase))
            if offset >= 0:
                return index, offset
        return None

    def count(self, phrase: str) -> int:
        return sum(self.texts[index].count(_folded(phrase)) for index in self.where(phrase))


def _folded(text: str) -> str:
    """Lower case, as browsers match a text fragment, where that keeps every offset."""
    lower = text.lower()
    return lower if len(lower) == len(text) else text


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


def _passage(text: str, start: int, end: int, words: int) -> tuple[int, str, str]:
    """The words with up to ``words`` whole words on each side: where that passage begins in
    the text, the passage, and its ``text=`` directive.

    The prefix begins and the suffix ends at a word boundary (whitespace or the paragraph's
    edge), as a text fragment requires; between them and the words only whitespace is skipped.
    """
    before = list(TOKEN.finditer(text, 0, start))[-words:] if words else []
    after = list(TOKEN.finditer(text, end))[:words]
    first = before[0].start() if before else start
    last = after[-1].end() if after else end
    prefix, suffix = text[first:start].rstrip(), text[end:last].lstrip()
    directive = "text=" + (f"{_quote(prefix)}-," if prefix else "") + _quote(text[start:end])
    return first, text[first:last], directive + (f",-{_quote(suffix)}" if suffix else "")


def _quote(text: str) -> str:
    return quote(text, safe="").replace("-", "%2D")


def occurring_once(phrases: set[str], texts: list[str]) -> set[str]:
    """The phrases that occur once in all the texts together, as ``str.count`` counts, letter
    case aside."""
    search = Search(texts)
    return {phrase for phrase in phrases if search.count(phrase) == 1}
