"""The extension's user-facing strings, translatable through Sphinx's message catalogues.

Wrap every string a reader sees with :func:`_` (``from apparatus.locale import _``). An edition
in another language translates them by a catalogue ``<language>/LC_MESSAGES/apparatus.mo``
in this folder (or in its own ``locale_dirs``); without one, the English text is used.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.locale import get_translation

if TYPE_CHECKING:
    from sphinx.application import Sphinx

CATALOGUE = "apparatus"

_ = get_translation(CATALOGUE)


def setup(app: Sphinx) -> None:
    app.add_message_catalog(CATALOGUE, str(Path(__file__).parent))
