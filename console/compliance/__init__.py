"""The compliance guard: rule packs (data files) and the checker that applies them to what anchors say.

The interface, for the scripts service, the editor and the command line::

    from console.compliance import Checker, ProductFacts, default_pack

    checker = Checker(default_pack())
    findings = checker.check("全网最低价，加我微信", ProductFacts(stock=30))
    findings = checker.check(edited_text)        # re-scans only the edited sentences
    [f.as_json("en") for f in findings]

See docs/compliance.md for the pack format, the context rules and the figures.
"""

from console.compliance.checker import Checker
from console.compliance.findings import BLOCK, CATEGORIES, WARN, Finding, ProductFacts
from console.compliance.pack import DEFAULT_PACK, Rule, RulePack, RulePackError, default_pack, pattern_problem

__all__ = ["BLOCK", "CATEGORIES", "DEFAULT_PACK", "WARN", "Checker", "Finding", "ProductFacts", "Rule", "RulePack",
           "RulePackError", "default_pack", "pattern_problem"]
