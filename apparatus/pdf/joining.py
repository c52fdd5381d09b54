"""Two tagged PDFs of one edition, typeset in parts (:mod:`~apparatus.pdf.parts`), joined into
one: the pages of the second after the first's, one structure tree, one outline, and each named
destination where its anchor is, so that every link of either part leads where it should.

The first part's catalogue (language, metadata, viewer preferences) stands for the whole. The
file is written with a content-based identifier, so that rebuilds give the same bytes.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any


def join(
    first: bytes, second: bytes, target: Path, in_second: Iterable[str], in_first: Iterable[str]
) -> None:
    """``first`` then ``second`` into ``target``; ``in_second`` are the anchors whose stand-ins
    the first part holds, ``in_first`` those whose stand-ins the second holds."""
    import pikepdf

    with pikepdf.open(io.BytesIO(first)) as pdf, pikepdf.open(io.BytesIO(second)) as other:
        count = len(pdf.pages)
        with warnings.catch_warnings():
            # Its named destinations and forms: the first are joined below, there are no forms.
            warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
            pdf.pages.extend(other.pages)
        _join_structure(pdf, other, count)
        _join_destinations(pdf, other, set(in_second), set(in_first))
        _join_outlines(pdf, other)
        pdf.save(
            target,
            deterministic_id=True,
            fix_metadata_version=False,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
        )


def _copy(pdf: Any, item: Any) -> Any:
    """``item`` of another file in ``pdf``: each object of that file copied once."""
    import pikepdf

    if isinstance(item, pikepdf.Object) and item.is_indirect:
        return pdf.copy_foreign(item)
    if isinstance(item, pikepdf.Array):
        return pikepdf.Array([_copy(pdf, each) for each in item])
    if isinstance(item, pikepdf.Dictionary):
        return pikepdf.Dictionary({key: _copy(pdf, value) for key, value in item.items()})
    return item


def _join_structure(pdf: Any, other: Any, count: int) -> None:
    """The second part's elements after the first's in the one document element; its keys into
    the parent tree (of its pages and annotations) after all of the first's."""
    document = pdf.Root.StructTreeRoot.K[0]
    other_document = other.Root.StructTreeRoot.K[0]
    for kid in other_document.K:
        del kid.P  # not copied: the other file's document element, and its whole tree with it
        copied = _copy(pdf, kid)
        copied.P = document
        document.K.append(copied)
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    shift = len(nums) // 2
    other_nums = _copy(pdf, other.Root.StructTreeRoot.ParentTree.Nums)
    for at in range(0, len(other_nums), 2):
        nums.append(int(other_nums[at]) + shift)
        nums.append(other_nums[at + 1])
    for page in pdf.pages[count:]:
        page.obj.StructParents = int(page.obj.StructParents) + shift
        for annotation in page.obj.get("/Annots", ()):
            if "/StructParent" in annotation:
                annotation.StructParent = int(annotation.StructParent) + shift


def _destinations(pdf: Any) -> dict[str, Any]:
    names = pdf.Root.Names.Dests.Names if "/Names" in pdf.Root else []
    return {str(names[at]): names[at + 1] for at in range(0, len(names), 2)}


def _join_destinations(pdf: Any, other: Any, in_other: set[str], in_this: set[str]) -> None:
    """Each named destination taken from the part that holds its anchor, not a stand-in."""
    import pikepdf

    joined = {name: place for name, place in _destinations(pdf).items() if name not in in_other}
    for name, place in _destinations(other).items():
        if name not in in_this:
            joined[name] = _copy(pdf, place)
    names = pikepdf.Array()
    for name in sorted(joined):  # a name tree is sorted
        names.append(pikepdf.String(name))
        names.append(joined[name])
    pdf.Root.Names = pikepdf.Dictionary(Dests=pikepdf.Dictionary(Names=names))


def _join_outlines(pdf: Any, other: Any) -> None:
    """The second part's bookmarks after the first's, at the same levels."""
    if "/Outlines" not in other.Root or "/First" not in other.Root.Outlines:
        return
    import pikepdf

    if "/Outlines" not in pdf.Root:
        pdf.Root.Outlines = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Outlines))
    outlines = pdf.Root.Outlines
    first = _copy(pdf, other.Root.Outlines.First)
    item = first
    while True:
        item.Parent = outlines
        if "/Next" not in item:
            break
        item = item.Next
    if "/Last" in outlines:
        outlines.Last.Next = first
        first.Prev = outlines.Last
    else:
        outlines.First = first
    outlines.Last = item
    outlines.Count = int(outlines.get("/Count", 0)) + int(other.Root.Outlines.get("/Count", 0))
