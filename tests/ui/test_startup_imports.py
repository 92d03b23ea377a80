"""The GUI paints its first window before the database layer loads: keep it so."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_the_gui_modules_load_without_the_database_layer() -> None:
    # SQLAlchemy and the models are most of a cold start; ui/ may use them only
    # for typing, and reaches them at run time once the store is opening.
    probe = (
        "import sys, ui.app, ui.mainwindow\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'alembic')"
        " or m.startswith(('console.storage', 'console.services.roster', 'console.sync.client')))\n"
        "print(heavy)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60,
                            cwd=Path(__file__).parents[2], env={"QT_QPA_PLATFORM": "offscreen",
                                                                 "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
