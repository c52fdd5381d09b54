"""Write CITATION.cff from the edition statement in conf.py: `.venv/bin/python tools/citation_cff.py`.

The tests fail when the committed file and the edition statement disagree.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from apparatus.citation.cff import project_cff  # noqa: E402

if __name__ == "__main__":
    (ROOT / "CITATION.cff").write_text(project_cff(ROOT), encoding="utf-8")
    print(f"wrote {ROOT / 'CITATION.cff'}")
