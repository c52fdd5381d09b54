# The edition's commands. `make edition` builds the site and the PDF; `make test` runs the tests.
# Both set up what they need first (system packages and .venv), see tools/bootstrap.sh; the
# builds need neither Node nor Java, only the tests do.

VENV       ?= .venv
PYTHON     := $(VENV)/bin/python
SPHINXOPTS ?= -W --keep-going -n -j auto
BUILDDIR   ?= _build
SOURCEDIR  ?= .
SPHINX     := $(PYTHON) -m sphinx

DOCTREES   := $(BUILDDIR)/doctrees
# Two workers: every test edition is still built once per run (tests/conftest.py).
PYTESTOPTS ?= -n 2 --dist loadgroup --durations=25

.PHONY: setup setup-test setup-bench edition html pdf test lint livehtml register bench clean

setup:
	@tools/bootstrap.sh

setup-test:
	@tools/bootstrap.sh test

setup-bench:
	@tools/bootstrap.sh bench

# A build writes a staging folder, which takes the published folder's place only if the build
# succeeds: what a deployment copies is the last good build, whole (or nothing, before the first).
# $(call publish,NAME) moves $(BUILDDIR)/NAME.staging to $(BUILDDIR)/NAME.
define publish
rm -rf $(BUILDDIR)/$(1).old
if [ -e $(BUILDDIR)/$(1) ]; then mv $(BUILDDIR)/$(1) $(BUILDDIR)/$(1).old; fi
mv $(BUILDDIR)/$(1).staging $(BUILDDIR)/$(1)
rm -rf $(BUILDDIR)/$(1).old
@echo "published $(BUILDDIR)/$(1)"
endef

# The site serves the PDF too, from its root folder: one deployment for both. The PDF is built
# first, so that a failing PDF leaves the site as it was; the site takes the last good PDF into
# its staging folder, so that the published site never lacks the PDF it links to.
edition: pdf html

html: setup
	rm -rf $(BUILDDIR)/html.staging
	$(SPHINX) -b html $(SPHINXOPTS) -d $(DOCTREES) $(SOURCEDIR) $(BUILDDIR)/html.staging
	if [ -d $(BUILDDIR)/pdf ]; then cp $(BUILDDIR)/pdf/*.pdf $(BUILDDIR)/html.staging/; fi
	$(call publish,html)

pdf: setup
	rm -rf $(BUILDDIR)/pdf.staging
	$(SPHINX) -b editionpdf $(SPHINXOPTS) -d $(DOCTREES)-pdf $(SOURCEDIR) $(BUILDDIR)/pdf.staging
	$(call publish,pdf)

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
# Only a build without any problem writes it. CONFIRM="2.8 3.2" confirms published notes whose
# paragraph changed in a new edition of the original.
register: setup
	$(SPHINX) -b dummy -E -D apparatus_register=1 -D "apparatus_confirm=$(CONFIRM)" $(SOURCEDIR) $(BUILDDIR)/register

# Benchmarks, Lighthouse included (Chromium, and npm's Lighthouse of benchmarks/npm); not part
# of `make test`, too slow. LIGHTHOUSE_SITE=_build/html runs only Lighthouse, on that built site.
bench: setup-bench
	$(PYTHON) benchmarks/run.py $(if $(LIGHTHOUSE_SITE),--lighthouse $(LIGHTHOUSE_SITE))

clean:
	rm -rf $(BUILDDIR)
