#!/usr/bin/env bash
# Set up what the edition needs on a fresh machine, and only what is missing: system packages
# through apt, a virtual environment pinned by requirements.txt and, for the tests, the pinned
# npm checker. Safe to run again: each step is skipped when its inputs are unchanged.
#
#   tools/bootstrap.sh         what `make html` and `make pdf` need
#   tools/bootstrap.sh test    that, and what the tests need besides (browser, Java, checkers)
#   tools/bootstrap.sh bench   that, and Lighthouse for `make bench`
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${VENV:-.venv}
PYTHON=${PYTHON:-python3}
# WeasyPrint renders with Pango and subsets the fonts it embeds with HarfBuzz (without it, it falls
# back to fontTools with a warning, which -W makes an error); the PDF is set in URW's P052
# (Liberation and DejaVu as fallbacks).
BUILD_PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation2
  fonts-urw-base35)
# Chromium's headless shell runs the browser tests (Lighthouse, for `make bench`, wants the whole
# browser); poppler reads PDF pages; Java runs the Nu HTML Checker;
# npm installs the checker and citeproc-js (Debian's nodejs and npm, unless a Node.js with npm is
# there already); bibtex (texlive-binaries, with its standard styles such as plain.bst from
# texlive-base) and biber read the BibTeX records.
TEST_PACKAGES=(chromium-headless-shell poppler-utils openjdk-17-jre-headless texlive-binaries texlive-base
  biber)

packages=("${BUILD_PACKAGES[@]}")
want=${1:-}
case "$want" in "" | test | bench) ;; *) echo "usage: $0 [test|bench]" >&2; exit 2 ;; esac
if [ "$want" = test ] || [ "$want" = bench ]; then
  packages+=("${TEST_PACKAGES[@]}")
  if [ "$want" = bench ]; then packages+=(chromium); fi
  command -v npm >/dev/null || packages+=(nodejs npm)
fi

if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "bootstrap: installing system packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# A step is done when the hash of its input file matches the stamp it left.
fresh() { [ "$(cat "$2" 2>/dev/null)" = "$(sha256sum "$1" | cut -d' ' -f1)" ]; }
stamp() { sha256sum "$1" | cut -d' ' -f1 > "$2"; }

if [ ! -x "$VENV/bin/python" ] || ! fresh requirements.txt "$VENV/.requirements.sha256"; then
  echo "bootstrap: creating $VENV from requirements.txt"
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r requirements.txt
  stamp requirements.txt "$VENV/.requirements.sha256"
fi

# cffconvert for the tests, in an environment of its own: it pins an older jsonschema.
CFFCONVERT=tools/requirements-cffconvert.txt
if [ -n "$want" ] && ! fresh "$CFFCONVERT" "$VENV/cffconvert/.requirements.sha256"; then
  echo "bootstrap: creating $VENV/cffconvert from $CFFCONVERT"
  "$PYTHON" -m venv "$VENV/cffconvert"
  "$VENV/cffconvert/bin/pip" install --quiet --disable-pip-version-check -r "$CFFCONVERT"
  stamp "$CFFCONVERT" "$VENV/cffconvert/.requirements.sha256"
fi

# The npm tools pinned by a package-lock.json: the W3C Nu HTML Checker (vnu-jar, on the Java
# above) and citeproc-js for the tests; Lighthouse, some 190 MB, only for `make bench`.
npm_tools() {
  if ! fresh "$1/package-lock.json" "$1/node_modules/.package-lock.sha256"; then
    echo "bootstrap: installing the npm tools of $1/package-lock.json"
    npm ci --prefix "$1" --ignore-scripts --no-audit --no-fund --loglevel=error
    stamp "$1/package-lock.json" "$1/node_modules/.package-lock.sha256"
  fi
}
if [ -n "$want" ]; then npm_tools .; fi
if [ "$want" = bench ]; then npm_tools benchmarks/npm; fi
