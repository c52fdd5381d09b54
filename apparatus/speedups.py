"""Speed-ups for large editions, each found by profiling a stress edition (``make bench``).

pybtex looks a plugin up through the installed packages' entry points on every call, and
sphinxcontrib-bibtex asks it for the plain-text backend once per citation: some 10 ms each,
seconds for an edition with thousands of citations. pybtex checks the plugins registered at
run time first, so registering that backend once (pybtex's own ``register_plugin``) turns
each lookup into a dictionary access. Nothing else changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx

CACHED_PLUGINS = (("pybtex.backends", "plaintext"),)


def register_pybtex_plugins(app: Sphinx) -> None:
    try:
        from pybtex import plugin
    except ImportError:  # an edition without citations
        return
    for group, name in CACHED_PLUGINS:
        # force: the class found is the installed one; it only shadows itself, found faster.
        plugin.register_plugin(group, name, plugin.find_plugin(group, name), force=True)


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", register_pybtex_plugins)
