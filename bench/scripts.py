"""The script editor's check: a marked-up 5,000-character script (cues, notes, variables) re-checked as it is typed.

Figures (milliseconds), in the same run:

- ``scripts_checker_recheck_5000_p50``: baseline, the compliance checker alone re-checking the spoken text
  after a one-character edit;
- ``scripts_editor_recheck_5000_p50`` / ``_p99``: the editor's path (``BodyChecker.check``): parse the markup,
  blank cues and notes, fill variables in, the checker's re-check, spans mapped back to the body. What the
  markup costs is the difference; the compliance bar (2 ms for a re-check) applies to the whole.

Run: ``python -m bench scripts``.
"""

from __future__ import annotations

import random
import time

from bench._catalog_data import percentile_ms
from bench.compliance import script as spoken_script
from console.compliance import Checker, ProductFacts, default_pack
from console.services.script_checks import PackInForce, pack_key, spoken_text
from console.services.scripts import BodyChecker

EDITS = 400
MARKS = ("[停顿]", "[展示]", "{{备注：看镜头}}", "{live_price}", "{counter_price}", "{stock}", "[pause 2s]")


def marked_up(rng: random.Random) -> str:
    text = spoken_script(rng)
    out, at = [], 0
    while at < len(text):
        step = rng.randint(40, 120)
        out.append(text[at:at + step])
        out.append(rng.choice(MARKS))
        at += step
    return "".join(out)[:5000]


def main() -> None:
    rng = random.Random(20261202)
    body = marked_up(rng)
    pack = default_pack()
    facts = ProductFacts(category="美妆", counter_price_fen=79_900, lowest_7d_fen=59_900, live_price_fen=59_900,
                         stock=300)
    editor = BodyChecker(PackInForce(pack_key(pack.name, pack.version), pack.name, pack.version, None, pack),
                         facts, "口红")
    editor.check(body)
    plain = Checker(pack)
    plain.check(spoken_text(body, facts, "口红")[0], facts)
    baseline, timed = [], []
    current = body
    for _ in range(EDITS):
        at = rng.randrange(len(current))
        edited = current[:at] + rng.choice("最好的加微信治疗只剩件，。不") + current[at:]
        spoken = spoken_text(edited, facts, "口红")[0]
        started = time.perf_counter()
        plain.check(spoken, facts)
        baseline.append(time.perf_counter() - started)
        started = time.perf_counter()
        outcome = editor.check(edited)
        timed.append(time.perf_counter() - started)
        current = edited
    print(f"# {len(current)} characters, {len(outcome.findings)} findings")
    print(f"BENCH scripts_checker_recheck_5000_p50 {percentile_ms(baseline, 0.50):.3f} ms")
    print(f"BENCH scripts_editor_recheck_5000_p50 {percentile_ms(timed, 0.50):.3f} ms")
    print(f"BENCH scripts_editor_recheck_5000_p99 {percentile_ms(timed, 0.99):.3f} ms")


if __name__ == "__main__":
    main()
