"""The script editor as an anchor types: what one check after a key costs on the GUI thread, underlines included.

Figures (milliseconds), on a 5,000-character talk track in the real
:class:`ui.script_editor.ScriptEditor` (offscreen), checked the way the Scripts
screen checks it (``BodyChecker``: markup parsed, values filled in, the
compliance checker, spans mapped back, markup problems added):

- ``script_editor_full_5000_p50``: baseline, the same text checked from scratch
  with a fresh checker each time (nothing remembered), underlines drawn;
- ``script_editor_key_5000_p50`` / ``_p99``: one key typed at a random place,
  then the check that the pause after it runs (``check_now``), underlines drawn;
  this is what must stay well under a frame so underlining never lags typing;
- ``script_editor_key_check_5000_p50``: of that, the check alone (markup, the
  compliance checker's incremental path, spans mapped), the rest being drawing.

Run: ``python -m bench script_editor``.
"""

from __future__ import annotations

import os
import random
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QTextCursor  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from bench._catalog_data import percentile_ms  # noqa: E402
from bench.compliance import script  # noqa: E402
from console.compliance import ProductFacts, default_pack  # noqa: E402
from console.services.script_checks import PackInForce, pack_key  # noqa: E402
from console.services.scripts import BodyChecker  # noqa: E402
from ui.script_editor import ScriptEditor  # noqa: E402
from ui.views.scripts import findings_of  # noqa: E402

ROUNDS = 60
KEYS = 400


def main() -> None:
    app = QApplication.instance() or QApplication([])
    rng = random.Random(20261202)
    text = script(rng)
    pack = default_pack()
    in_force = PackInForce(pack_key(pack.name, pack.version), pack.name, pack.version, None, pack)
    facts = ProductFacts(category="美妆", counter_price_fen=79_900, lowest_7d_fen=59_900, live_price_fen=59_900,
                         stock=300)
    editor = ScriptEditor()
    editor.resize(900, 600)
    editor.show()

    full = []
    for _ in range(ROUNDS):
        fresh = BodyChecker(in_force, facts, "保湿面霜")     # nothing remembered: the whole text scanned
        editor.set_checker(lambda body, fresh=fresh: findings_of(fresh, body))
        started = time.perf_counter()
        editor.set_text(text)
        full.append(time.perf_counter() - started)
    app.processEvents()

    keys, checks = [], []
    checked = editor._check
    assert checked is not None

    def timed(body: str) -> list:
        started = time.perf_counter()
        found = checked(body)
        checks.append(time.perf_counter() - started)
        return found

    editor.set_checker(timed)
    for _ in range(KEYS):
        cursor = editor.textCursor()
        cursor.setPosition(rng.randrange(len(editor.toPlainText())))
        if rng.random() < 0.4:
            cursor.deleteChar()
        else:
            cursor.insertText(rng.choice("最好的加微信治疗只剩件，。不"))
        editor.setTextCursor(cursor)
        started = time.perf_counter()
        editor.check_now()
        keys.append(time.perf_counter() - started)
    editor.moveCursor(QTextCursor.MoveOperation.End)

    print(f"# {len(text)} characters, {len(editor.findings)} findings underlined after the last key")
    print(f"BENCH script_editor_full_5000_p50 {percentile_ms(full, 0.50):.2f} ms")
    print(f"BENCH script_editor_key_5000_p50 {percentile_ms(keys, 0.50):.2f} ms")
    print(f"BENCH script_editor_key_5000_p99 {percentile_ms(keys, 0.99):.2f} ms")
    # Of which the check itself (the scripts service's BodyChecker and the compliance checker), the rest drawing.
    print(f"BENCH script_editor_key_check_5000_p50 {percentile_ms(checks[1:], 0.50):.2f} ms")
    editor.close()


if __name__ == "__main__":
    main()
