"""Citation: the edition and its notes as items that styles and reference managers read.

:mod:`~apparatus.citation.formats` formats them in the CSL styles and as BibTeX and RIS;
:mod:`~apparatus.citation.cff` writes ``CITATION.cff``. Both read :class:`apparatus.edition.Edition`.
"""
