"""console/ is the Qt-free core: importing all of it must not load PySide6."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

# Runs in a fresh interpreter: pytest-qt has already loaded PySide6 in this one.
_IMPORT_ALL = """
import importlib, json, pkgutil, sys
import console

failed = {}
def onerror(name):
    failed[name] = repr(sys.exc_info()[1])

names = ["console"]
for info in pkgutil.walk_packages(console.__path__, "console.", onerror=onerror):
    names.append(info.name)
    try:
        importlib.import_module(info.name)
    except BaseException as exc:
        failed[info.name] = repr(exc)
qt = sorted(m for m in sys.modules if m == "PySide6" or m.startswith(("PySide6.", "shiboken6")))
print(json.dumps({"imported": names, "failed": failed, "qt": qt}))
"""


def test_importing_every_console_module_loads_no_qt(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    done = subprocess.run([sys.executable, "-c", _IMPORT_ALL], capture_output=True, check=False, text=True,
                          cwd=tmp_path, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.splitlines()[-1])

    assert found["failed"] == {}
    assert found["qt"] == []
    imported = set(found["imported"])
    # The walk really reached the core, not just the top package.
    assert {"console.cli", "console.storage.db", "console.storage.models",
            "console.services.auth", "console.domain.values"} <= imported
    # Every .py file in a package under console/ was imported.
    root = Path(__import__("console").__file__).parent
    on_disk = {
        ".".join(("console", *p.relative_to(root).with_suffix("").parts)).removesuffix(".__init__")
        for p in root.rglob("*.py")
        if (p.parent / "__init__.py").exists()
    }
    assert on_disk <= imported
