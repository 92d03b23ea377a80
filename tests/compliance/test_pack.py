"""Rule packs: loading, every way a pack can be unusable (named by file and rule), and dangerous patterns."""

from __future__ import annotations

import copy
import json
import time
from pathlib import Path
from typing import Any

import pytest

from console.compliance import Checker, RulePack, RulePackError, default_pack, pattern_problem
from console.compliance.pack import DEFAULT_PACK
from console.compliance.prefilter import needs_filter, start_class
from console.i18n import load_catalog, text

GOOD: dict[str, Any] = {
    "name": "head-office", "version": 2,
    "rules": [{"id": "absolute.extra", "category": "absolute", "severity": "block", "words": ["宇宙第一"],
               "reference": "《广告法》第九条", "message": {"zh": "“{text}”是绝对化用语。", "en": "“{text}” is absolute."},
               "suggestion": {"zh": "删去。", "en": "Leave it out."}}],
}


def write(tmp_path: Path, data: Any, name: str = "pack.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def broken(change: str, value: Any) -> dict[str, Any]:
    data = copy.deepcopy(GOOD)
    if value is KeyError:
        del data["rules"][0][change]
    else:
        data["rules"][0][change] = value
    return data


def test_the_default_pack_loads_and_names_its_version() -> None:
    pack = default_pack()
    assert (pack.name, pack.version) == ("default", 1)
    assert RulePack.load(DEFAULT_PACK) == pack
    assert RulePack.from_data(pack.as_data(), source="copy").rules == pack.rules


def test_a_head_office_pack_is_used_as_given(tmp_path: Path) -> None:
    pack = RulePack.load(write(tmp_path, GOOD))
    [finding] = Checker(pack).check("我们是宇宙第一")
    assert (finding.rule, finding.text, finding.as_json("en")["message"]) == ("absolute.extra", "宇宙第一",
                                                                               "“宇宙第一” is absolute.")


@pytest.mark.parametrize(("field", "value", "named"), [
    ("category", "exaggeration", "category"),
    ("severity", "error", "severity"),
    ("reference", "", "reference"),
    ("message", {"zh": "只有中文"}, "message"),
    ("message", KeyError, "message"),
    ("words", "宇宙第一", "words"),
    ("patterns", ["(unclosed"], "patterns"),
    ("exceptions", ["(a+)+$"], "exceptions"),
    ("negatable", "yes", "negatable"),
    ("check", "magic", "check"),
    ("colour", "red", "colour"),
    ("message", {"zh": "{price}", "en": "{price}"}, "message"),
])
def test_a_malformed_rule_is_refused_naming_file_rule_and_field(tmp_path: Path, field: str, value: Any,
                                                                 named: str) -> None:
    path = write(tmp_path, broken(field, value))
    with pytest.raises(RulePackError) as caught:
        RulePack.load(path)
    error = caught.value
    assert (error.rule, error.field) == ("absolute.extra", named)
    english = str(error)
    assert str(path) in english and "absolute.extra" in english and named in english
    chinese = error.message.render(load_catalog("zh_CN"))
    assert str(path) in chinese and "absolute.extra" in chinese


@pytest.mark.parametrize(("content", "says"), [
    ("{not json", "not valid JSON: line 1"),
    ("[]", "must be a JSON object"),
    (json.dumps({"name": "x", "version": 1, "rules": []}), "the field rules"),
    (json.dumps({"version": 1, "rules": GOOD["rules"]}), "the field name"),
    (json.dumps({"name": "x", "version": "2026.12", "rules": GOOD["rules"]}), "the field version"),
    (json.dumps({"name": "x", "version": 1, "rules": GOOD["rules"] * 2}), "an id no other rule has"),
    (json.dumps({"name": "x", "version": 1, "rules": [{"id": "Bad Id"}]}), "rule #1"),
])
def test_a_malformed_pack_is_refused_naming_the_file(tmp_path: Path, content: str, says: str) -> None:
    path = write(tmp_path, content)
    with pytest.raises(RulePackError) as caught:
        RulePack.load(path)
    assert str(path) in str(caught.value) and says in str(caught.value)


def test_a_pack_that_is_missing_or_not_utf8_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RulePackError, match="does not exist"):
        RulePack.load(tmp_path / "nowhere.json")
    path = tmp_path / "latin1.json"
    path.write_bytes(b'{"name": "caf\xe9"}')
    with pytest.raises(RulePackError, match="not UTF-8"):
        RulePack.load(path)


def test_the_previous_pack_stays_in_force_when_a_new_one_fails(tmp_path: Path) -> None:
    current = default_pack()
    kept, error = current.replace_with(write(tmp_path, broken("severity", "maybe")))
    assert kept is current and error is not None and "severity" in text(error)
    replaced, error = current.replace_with(write(tmp_path, GOOD, "good.json"))
    assert error is None and replaced.name == "head-office"


@pytest.mark.parametrize("pattern", ["(a+)+$", "(a*)*b", "(x+x+)+y", "(a|aa)+b", "(?:ab|a.)+c", "(a|ab)+c",
                                     "((ab)*)+", "(.*a){12}", "(a)\\1", "(?:[a-z]+)*@"])
def test_patterns_that_could_take_exponential_time_are_refused(tmp_path: Path, pattern: str) -> None:
    assert pattern_problem(pattern) is not None
    with pytest.raises(RulePackError, match="refused"):
        RulePack.load(write(tmp_path, broken("patterns", [pattern])))


@pytest.mark.parametrize("pattern", ["最[\\u4e00-\\u9fff]", "(?:销量|全网)第一", "\\d{3,4}-\\d{7,8}", "(?:ab){2}",
                                     "保证[^，。]{0,6}有效", "a+b+c+"])
def test_ordinary_patterns_are_accepted(pattern: str) -> None:
    assert pattern_problem(pattern) is None


def test_a_refused_pattern_would_really_have_hung() -> None:
    import re

    started = time.perf_counter()
    re.match("(a+)+$", "a" * 22 + "!")
    assert time.perf_counter() - started > 0.05   # what the refusal saves a typing anchor from


def test_every_default_expression_is_found_through_its_first_two_characters() -> None:
    # Speed: the candidates (prefilter.Candidates) cover every expression of the default pack, so the checker
    # tries each only where its first two characters are, and never runs the engine over the whole text.
    checker = Checker(default_pack())
    count = sum(len(c.finders) for c in checker._rules)
    assert checker._candidates.covers == frozenset(range(count))
    assert all(w is None for c in checker._rules for _, w in c.finders)


def test_the_candidates_find_what_each_expression_finds() -> None:
    # Each default expression tried at its candidates, with its alternatives picked by the first character
    # where it has many: the same matches, groups and all, as finditer over the whole text.
    from console.compliance.checker import _matched_at
    from console.compliance.normalize import normalize
    from tests.compliance.corpus import HOLDOUT_8, TUNING, read

    text = normalize("。".join(s.text for path in (TUNING, HOLDOUT_8) for s in read(path))).text
    checker = Checker(default_pack())
    places = checker._candidates.find(text)
    dispatched = 0
    for index, compiled in enumerate(checker._rules):
        for k, (finder, _) in enumerate(compiled.finders):
            at = places[checker._first[index] + k]
            assert at is not None, compiled.rule.id
            plain = [(m.start(), m.end(), m.groupdict()) for m in finder.finditer(text) if m.end() > m.start()]
            whole = [(s, e, m.groupdict()) for s, e, m in _matched_at(finder, {}, text, at)]
            assert plain and whole == plain, compiled.rule.id
            if compiled.dispatch[k]:
                dispatched += 1
                picked = [(s, e) for s, e, _ in _matched_at(finder, compiled.dispatch[k], text, at)]
                assert picked == [(s, e) for s, e, _ in plain], compiled.rule.id
    assert dispatched >= 5


@pytest.mark.parametrize("copies, table", [(1, None), (4, None), (1, 0)], ids=["one bank", "banks", "no table"])
def test_the_candidates_never_leave_out_a_place_where_a_pattern_matches(
        copies: int, table: int | None, monkeypatch: pytest.MonkeyPatch) -> None:
    # prefilter.Candidates over-approximates: every place a match starts at is a candidate, for patterns
    # that end after one character, go on with any, start with a wide class, or have astral characters; with
    # more patterns than one bank holds (64), and with the pairs too many for a table (kept as products). A
    # short text is looked up in Python, a long one with numpy: the same places.
    import random
    import re

    from console.compliance import prefilter
    from console.compliance.prefilter import Alternatives, Candidates

    if table is not None:
        monkeypatch.setattr(prefilter, "_MAX_TABLE", table)
    tables = Candidates([re.compile(s) for s in ["a", "(?:ab|c)d?e", "k(?=l)l|kz"]])

    def both(candidates: Candidates, text: str) -> list[list[int] | None]:
        monkeypatch.setattr(prefilter, "_SHORT", 0)
        with_numpy = candidates.find(text)
        monkeypatch.setattr(prefilter, "_SHORT", 10 ** 9)
        in_python = candidates.find(text)
        assert in_python == with_numpy, text
        return in_python

    # ab at 1 is followed by c, which d?e cannot begin: only the c at 3 is a candidate of the second (without
    # the table, the pairs kept as products, the third character is not looked at).
    assert both(tables, "xabcde kl") == ([[1], [3], [7]] if table is None else [[1], [1, 3], [7]])
    assert both(tables, "abdx abe") == [[0, 5], [0, 5], []]

    sources = ["(?:ab|c)d?e", "a(?:b|)c", "x[0-9]{0,3}y", "(?:pq)+r|s", "m(?<=m)n?", "u[a-z]{2,}v", "(?:ef|g)*h",
               "k(?=l)l|kz", "w$", "(?:o|p)(?:q|)(?:r|s)t", "jj?j?k", r"\d+z", r"y\d", "q.", "[^a]b", "😀a|b😀",
               "[a-\U0001F600]z", "(?>ab|a)c", "n[\u4e00-\u9fff]", "x?", "(?i:a)b", "(ab)\\1"] * copies
    patterns = [re.compile(s) for s in sources]
    candidates = Candidates(patterns)
    covered = candidates.covers
    assert {sources[i] for i in range(len(sources)) if i not in covered} == {"x?", "(?i:a)b", "(ab)\\1", "[^a]b",
                                                                            "[a-\U0001F600]z"}
    assert len(covered) == 17 * copies
    rng = random.Random(11)
    alphabet = "abcdefghjklmnopqrstuvwxyz0123456789٣中文😀 "
    for _ in range(400):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 14)))
        found = both(candidates, text)
        for index, pattern in enumerate(patterns):
            if index not in covered:
                assert found[index] is None
                continue
            starts = {m.start() for m in pattern.finditer(text) if m.end() > m.start()}
            every = {at for at in range(len(text)) if (m := pattern.match(text, at)) and m.end() > at}
            assert (starts | every) <= set(found[index] or []), (pattern.pattern, text, found[index])
    # Picking alternatives by the first character: the same match as the whole expression, wherever tried.
    whole = re.compile("(?:ab|c)d?e|b+c|(?:x|ab)y|[a-c]z|(?:q(?:r|s)|t)u")
    picked = Alternatives(whole).dispatch()
    assert set(picked) == set("abcqtx")
    for _ in range(400):
        text = "".join(rng.choice("abcdeqrstuxyz") for _ in range(rng.randrange(1, 8)))
        for at in range(len(text)):
            mine = picked.get(text[at], whole.match)(text, at)
            theirs = whole.match(text, at)
            assert (mine and mine.span()) == (theirs and theirs.span()), (text, at)


def test_exceptions_behind_their_class_find_what_they_find_in_a_clause() -> None:
    # The judge runs a rule's exceptions behind their first characters' class where it is narrow: in any
    # stretch of text, the same matches one after another as finditer's.
    import random

    from console.compliance.normalize import normalize
    from console.compliance.prefilter import GROUP
    from tests.compliance.corpus import TUNING, read

    text = normalize("。".join(s.text for s in read(TUNING))).text
    rng = random.Random(3)
    wrapped = [c for c in Checker(default_pack())._rules if c.wrapped_exceptions is not None]
    assert len(wrapped) >= 5
    for compiled in wrapped:
        assert compiled.exceptions is not None and compiled.wrapped_exceptions is not None
        for _ in range(300):
            start = rng.randrange(len(text))
            end = min(len(text), start + rng.randrange(1, 90))
            plain = [m.span() for m in compiled.exceptions.finditer(text, start, end)]
            found, reached = [], start
            for match in compiled.wrapped_exceptions.finditer(text, start, end):
                at, stop = match.span(GROUP)
                if at >= reached and stop > at:
                    found.append((at, stop))
                    reached = stop
            assert found == plain, (compiled.rule.id, start, end)


def test_every_default_expression_can_be_skipped_to() -> None:
    # Speed: each expression starts with a literal or a class (the engine skips to it in C), or has a class
    # of first characters the prefilter looks for first (see docs/compliance.md).
    slow = [(c.rule.id, f.pattern[:60]) for c in Checker(default_pack())._rules for f, _ in c.finders
            if needs_filter(f) and start_class(f) is None]
    assert slow == []


def test_a_wrapped_expression_finds_what_the_expression_finds() -> None:
    # prefilter.anchored moves an expression behind its class of first characters; the matches must not change.
    # (The checker wraps only the expressions the candidates do not cover: none of the default pack's.)
    from console.compliance.normalize import normalize
    from console.compliance.prefilter import anchored as wrap
    from console.compliance.prefilter import spans
    from tests.compliance.corpus import TUNING, read

    text = normalize("。".join(s.text for s in read(TUNING))).text
    wrapped = [(c.rule.id, f, wrap(f, start_class(f))) for c in Checker(default_pack())._rules for f, _ in c.finders
               if needs_filter(f) and start_class(f) is not None]
    assert len(wrapped) >= 5
    for rule, finder, anchored in wrapped:
        assert anchored is not None, rule
        plain = [(m.start(), m.end(), m.groupdict()) for m in finder.finditer(text) if m.end() > m.start()]
        found = [(s, e, {k: v for k, v in m.groupdict().items() if k != "_prefiltered"})
                 for s, e, m in spans(anchored, text)]
        assert plain, rule
        assert found == plain, rule


def test_the_two_character_guard_never_turns_away_a_match() -> None:
    # prefilter.second_guard looks at a candidate's first two characters; where the pattern matches, it passes.
    import random
    import re

    from console.compliance.prefilter import anchored, second_guard, spans, start_class

    patterns = ["(?:ab|c)d?e", "a(?:b|)c", "x[0-9]{0,3}y", "(?:pq)+r|s", "m(?<=m)n?", "u[a-z]{2,}v", "(?:ef|g)*h",
                "k(?=l)l|kz", "w$", "(?:o|p)(?:q|)(?:r|s)t", "jj?j?k"]
    rng = random.Random(7)
    for source in patterns:
        pattern = re.compile(source)
        starts = start_class(pattern)
        assert starts is not None, source
        guard = second_guard(pattern)
        wrapped = anchored(pattern, starts)
        assert wrapped is not None, source
        for _ in range(300):
            text = "".join(rng.choice("abcdefghjklmnopqrstuvwxyz0123456789") for _ in range(rng.randrange(1, 12)))
            plain = [m.span() for m in pattern.finditer(text) if m.end() > m.start()]
            assert [(s, e) for s, e, _ in spans(wrapped, text)] == plain, (source, text)
            if guard is not None:
                for start, _end in plain:
                    assert re.compile(guard).match(text, start), (source, text, guard)


def test_the_guard_turns_away_candidates_whose_second_character_cannot_follow() -> None:
    import re

    from console.compliance.prefilter import second_guard

    guard = re.compile(second_guard(re.compile("(?:治疗|治愈|消炎)")) or "")
    assert guard.match("治疗") and guard.match("消炎")
    assert not guard.match("治安") and not guard.match("消费")
    # A first character the pattern may go on from with any character passes alone.
    assert second_guard(re.compile("最[\u4e00-\u9fff]")) is None
