# The edition's commands. `make edition` builds the site and the PDF; `make test` runs the tests.
# Both set up what they need first (system packages and .venv), see tools/bootstrap.sh; the
# builds need neither Node nor Java, only the tests do.

VENV       ?= .venv
PYTHON     := $(VENV)/bin/python
SPHINXOPTS ?= -W --keep-going -n -j auto
BUILDDIR   ?= _build
SPHINX     := $(PYTHON) -m sphinx

DOCTREES   := $(BUILDDIR)/doctrees
# Two workers: every test edition is still built once per run (tests/conftest.py).
PYTESTOPTS ?= -n 2 --dist loadgroup --durations=25

.PHONY: setup setup-test edition html pdf test lint livehtml register bench clean

setup:
	@tools/bootstrap.sh

setup-test:
	@tools/bootstrap.sh test

# The site serves the PDF too, from its root folder: one deployment for both.
edition: html pdf
	cp $(BUILDDIR)/pdf/*.pdf $(BUILDDIR)/html/

html: setup
	$(SPHINX) -b html $(SPHINXOPTS) -d $(DOCTREES) . $(BUILDDIR)/html

pdf: setup
	$(SPHINX) -b editionpdf $(SPHINXOPTS) -d $(DOCTREES)-pdf . $(BUILDDIR)/pdf

test: setup-test lint
	$(PYTHON) -m pytest $(PYTESTOPTS)

lint: setup
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check .
	$(PYTHON) -m mypy

# Live preview for editors: rebuilds on every save and reloads the browser.
livehtml: setup
	$(PYTHON) -m sphinx_autobuild -b html -n --watch apparatus . $(BUILDDIR)/live

# Publish the labels of new notes in the registry (source/registry.json); commit the result.
register: setup
	$(SPHINX) -b dummy -q -E -D apparatus_register=1 . $(BUILDDIR)/register

bench: setup
	$(PYTHON) benchmarks/run.py

clean:
	rm -rf $(BUILDDIR)
