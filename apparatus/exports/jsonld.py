"""Local copies of the JSON-LD contexts the exports name, for processors that work offline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

CONTEXTS = Path(__file__).parent / "contexts"

ANNOTATION_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
SCHEMA_CONTEXT = "https://schema.org"

# Every address under which a document may name these contexts -> the local file.
LOCAL_CONTEXTS: dict[str, Path] = {
    ANNOTATION_CONTEXT: CONTEXTS / "anno.jsonld",
    "https://www.w3.org/ns/anno.jsonld": CONTEXTS / "anno.jsonld",
    SCHEMA_CONTEXT: CONTEXTS / "schemaorg.jsonld",
    "https://schema.org/": CONTEXTS / "schemaorg.jsonld",
    "http://schema.org": CONTEXTS / "schemaorg.jsonld",
    "http://schema.org/": CONTEXTS / "schemaorg.jsonld",
}


def document_loader() -> Any:
    """A pyld document loader that serves only the local contexts and never goes online."""
    from pyld.documentloader.frozen import FrozenDocumentLoader  # only needed to read exports

    return FrozenDocumentLoader(documents=LOCAL_CONTEXTS)
