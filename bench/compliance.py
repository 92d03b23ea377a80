"""The compliance checker on a long script: checked from scratch, and re-checked as an anchor types.

Figures (milliseconds):

- ``compliance_wordlist_5000_p50``: baseline, a plain word-list checker (the
  pack's words as substrings of the raw text) over the same script;
- ``compliance_check_5000_p50`` / ``_p99``: a 5,000-character script checked
  from scratch (a new checker each time: nothing remembered), findings with
  context, negation and product facts judged; the bar is 5 ms;
- ``compliance_check_5000_rules_only_p50`` / ``_p99``: the same with the
  second opinion switched off (``Checker(pack, opinion=False)``), for what
  it costs;
- ``compliance_recheck_5000_p50`` / ``_p99``: the same script re-checked after
  a one-character edit at a random place (the editor's path: ``check`` on the
  edited text, only the touched sentences scanned again); the aim is 2 ms;
- the same two as processor time of this process (``_cpu_``), which leaves
  out the time spent waiting for a core on a shared machine.

The script is a realistic talk track: sentences from the tuning corpus,
about one in six a violation, joined into sentences and lines.

Run: ``python -m bench compliance``.
"""

from __future__ import annotations

import random
import time

from bench._catalog_data import percentile_ms
from console.compliance import Checker, ProductFacts, default_pack
from tests.compliance.corpus import TUNING, baseline_check, read

SCRIPT_LENGTH = 5000
ROUNDS = 300
EDITS = 600


def script(rng: random.Random) -> str:
    sentences = read(TUNING)
    clean = [s.text for s in sentences if s.clean]
    violations = [s.text for s in sentences if not s.clean]
    parts: list[str] = []
    length = 0
    while length < SCRIPT_LENGTH:
        text = rng.choice(violations) if rng.random() < 1 / 6 else rng.choice(clean)
        text += rng.choice("。。。！\n")
        parts.append(text)
        length += len(text)
    return "".join(parts)[:SCRIPT_LENGTH]


def main() -> None:
    rng = random.Random(20261202)
    text = script(rng)
    pack = default_pack()
    facts = ProductFacts(category="美妆", counter_price_fen=79_900, lowest_7d_fen=59_900, live_price_fen=59_900,
                         stock=300)
    Checker(pack).check(text, facts)   # compile the pack once, as the console does at start

    from tests.compliance.corpus import Sentence
    wordlist = baseline_check(pack)
    as_sentence = Sentence(text, frozenset(), "cosmetics", facts, 0)
    baseline = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        wordlist(as_sentence)
        baseline.append(time.perf_counter() - started)

    cold, cold_cpu = [], []
    for _ in range(ROUNDS):
        checker = Checker(pack)
        started, started_cpu = time.perf_counter(), time.process_time()
        findings = checker.check(text, facts)
        cold.append(time.perf_counter() - started)
        cold_cpu.append(time.process_time() - started_cpu)

    # The rules alone, the second opinion switched off: what it costs, in the same run.
    rules_only = []
    for _ in range(ROUNDS):
        checker = Checker(pack, opinion=False)
        started = time.perf_counter()
        checker.check(text, facts)
        rules_only.append(time.perf_counter() - started)

    typing = Checker(pack)
    typing.check(text, facts)
    warm, warm_cpu = [], []
    current = text
    for _ in range(EDITS):
        at = rng.randrange(len(current))
        if rng.random() < 0.5 and len(current) > SCRIPT_LENGTH - 50:
            edited = current[:at] + current[at + 1:]
        else:
            edited = current[:at] + rng.choice("最好的加微信治疗只剩件，。不") + current[at:]
        started, started_cpu = time.perf_counter(), time.process_time()
        typing.check(edited, facts)
        warm.append(time.perf_counter() - started)
        warm_cpu.append(time.process_time() - started_cpu)
        current = edited

    print(f"# {len(text)} characters, {len(findings)} findings, "
          f"{sum(f.blocks for f in findings)} of them blocking")
    print(f"BENCH compliance_wordlist_5000_p50 {percentile_ms(baseline, 0.50):.2f} ms")
    print(f"BENCH compliance_check_5000_p50 {percentile_ms(cold, 0.50):.2f} ms")
    print(f"BENCH compliance_check_5000_p99 {percentile_ms(cold, 0.99):.2f} ms")
    print(f"BENCH compliance_check_5000_rules_only_p50 {percentile_ms(rules_only, 0.50):.2f} ms")
    print(f"BENCH compliance_check_5000_rules_only_p99 {percentile_ms(rules_only, 0.99):.2f} ms")
    print(f"BENCH compliance_recheck_5000_p50 {percentile_ms(warm, 0.50):.3f} ms")
    print(f"BENCH compliance_recheck_5000_p99 {percentile_ms(warm, 0.99):.3f} ms")
    # Processor time of this process alone: on a machine whose cores are shared, wall time also counts waiting.
    print(f"BENCH compliance_check_5000_cpu_p50 {percentile_ms(cold_cpu, 0.50):.2f} ms")
    print(f"BENCH compliance_check_5000_cpu_p99 {percentile_ms(cold_cpu, 0.99):.2f} ms")
    print(f"BENCH compliance_recheck_5000_cpu_p50 {percentile_ms(warm_cpu, 0.50):.3f} ms")
    print(f"BENCH compliance_recheck_5000_cpu_p99 {percentile_ms(warm_cpu, 0.99):.3f} ms")


if __name__ == "__main__":
    main()
