"""The baseline: the same article built by plain Sphinx and furo, each note an ordinary footnote.

benchmarks/generate.py writes its index.rst next to a copy of this file, in a temporary folder.
"""

project = "Baseline"
author = "Baseline"
language = "en"
extensions: list[str] = []
smartquotes = False
html_theme = "furo"
html_show_sourcelink = False
html_copy_source = False
