"""The extension's user-facing strings, translatable through Sphinx's message catalogues.

Wrap every string a reader sees with :func:`_` (``from apparatus.locale import _``). An edition
in another language (``language``) translates them by a catalogue
``<language>/LC_MESSAGES/apparatus.mo`` in its own ``locale_dirs``, or in this folder; the
edition's own comes first, so that it may also change a wording of the extension's. Without
either, the English text is used. The catalogue also translates the names, tags and definitions
of the taxonomy's categories, the default's and an edition's own.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.locale import get_translation

if TYPE_CHECKING:
    from sphinx.application import Sphinx

CATALOGUE = "apparatus"

_ = get_translation(CATALOGUE)


def N_(message: str) -> str:  # noqa: N802 (gettext's name for a string marked, not translated)
    """Marks a string defined at import time for the catalogue's template; ``_()`` translates
    it where it is shown, in the language of the build that shows it."""
    return message


def setup(app: Sphinx) -> None:
    # The configuration is read before extensions are set up: its language and locale_dirs are known.
    for folder in app.config.locale_dirs:
        app.add_message_catalog(CATALOGUE, Path(app.srcdir, folder))
    app.add_message_catalog(CATALOGUE, str(Path(__file__).parent))
