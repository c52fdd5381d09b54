"""``python -m apparatus new DIR --text ORIGINAL.txt --title TITLE``: see :mod:`apparatus.quickstart`."""

import sys

from apparatus.quickstart import main

sys.exit(main())
