"""The coder's rules 1-8 (shared/domain/coding-rules.md) applied to extracted facts.

This is the deterministic reading of the rules page. The model uses its verdict as one feature
among many (so it can learn where extraction is unreliable), and explanations cite the rule that
decided. Order matters: an implant outranks everything done in the same session (rule 4), a refill
with reprogramming is 62369/62370 (rule 1) before a refill alone (rule 2) or reprogramming alone (3).
"""

from __future__ import annotations

from dataclasses import dataclass

from .facts import Facts

NONE = "none"  # the class label for "no pump service documented" (JSON: null)


@dataclass(frozen=True)
class RuleVerdict:
    code: str
    rule: int | None
    reason: str


def _physician(facts: Facts) -> bool:
    """Refill by a physician/QHP; undocumented performer defaults to clinical staff (the lower code)."""
    return facts.performer == "physician"


def apply_rules(facts: Facts) -> RuleVerdict:
    """The code the rules page gives for these facts, with the rule number and a short reason."""
    f = facts.has
    if f("cancelled"):
        return RuleVerdict(NONE, 6, "the procedure was cancelled or the note entered in error")
    if f("non_visit"):
        return RuleVerdict(NONE, 6, "a chart or billing message, no encounter")
    if f("implant_or_replacement"):
        new_fixed, new_prog = facts.values.get("new_device_fixed", 0), facts.values.get("new_device_programmable", 0)
        if new_fixed > new_prog or (new_fixed == new_prog and f("fixed_device") and not f("programmable_device")):
            return RuleVerdict("62361", 4, "implant/replacement of a non-programmable pump")
        if f("reservoir_implant") and not f("programmable_device"):
            return RuleVerdict("62360", 4, "implant of a subcutaneous reservoir")
        return RuleVerdict("62362", 4, "implant/replacement of a programmable pump; programming included")
    if f("explant"):
        return RuleVerdict("62365", 4, "pump removed, no new pump placed")
    # a constant-flow pump has no electronics: a new concentration at its refill is no reprogramming (rule 5)
    fixed_only = f("fixed_device") and not f("programmable_device")
    if f("refill") and f("reprogramming") and not fixed_only:
        code = "62370" if _physician(facts) else "62369"
        return RuleVerdict(code, 1, "refill and reprogramming in one encounter")
    if f("refill"):
        code = "95991" if _physician(facts) else "95990"
        rule = 8 if f("route_brain") and not f("route_spinal") else 2
        return RuleVerdict(code, rule, "refill without reprogramming; analysis included")
    if f("reprogramming"):
        return RuleVerdict("62368", 3, "electronic analysis with reprogramming, no refill")
    if f("analysis"):
        return RuleVerdict("62367", 3, "electronic analysis only, nothing changed or refilled")
    if f("catheter_work") and f("laminectomy"):  # open revision: the old catheter out, a new one in
        return RuleVerdict("62351", 4, "catheter work with laminectomy, pump untouched")
    if f("catheter_removal"):
        return RuleVerdict("62355", 4, "catheter removal only")
    if f("catheter_work"):
        return RuleVerdict("62350", 4, "catheter work only, pump untouched")
    if any(f(f"{name}_on_stimulator") for name in ("analysis", "reprogramming", "programming")):
        return RuleVerdict("95970-95972", 7, "a neurostimulator is not a drug pump")
    if f("refill_on_other_route") or f("flush_on_other_route"):
        return RuleVerdict("96521-96523", 7, "refill/flush of a pump or port for another route (IV, hepatic artery)")
    if f("mentioned_not_asserted"):
        return RuleVerdict(NONE, 6, "pump services mentioned only as history, plan, negation or for someone else")
    if f("lookalike"):
        return RuleVerdict(NONE, 7, "only look-alike devices (insulin pump, PCA, ...) are serviced")
    return RuleVerdict(NONE, None, "no pump service documented")
