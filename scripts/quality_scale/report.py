"""Running every check over an integration and summing up the result."""

from dataclasses import dataclass, field
from pathlib import Path

from . import checks as _checks  # noqa: F401  (importing registers every check)
from .integration import Integration, Options
from .registry import CHECKS
from .rules import ALL_RULES, RULE_TIER, STATUSES, TIERS
from .scale import QualityScaleError, RuleEntry, load_quality_scale


@dataclass
class Outcome:
    """Result of checking one integration."""

    failures: list[tuple[str, str]] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    tier: str = "none"

    @property
    def ok(self) -> bool:
        """Return True when nothing failed."""
        return not self.failures


def _run_rule(outcome: Outcome, integ: Integration, rule: str, entry: RuleEntry) -> bool:
    """Run the code check of one declared rule; return False when it failed."""
    label = f"{RULE_TIER[rule]:<8} {rule}"
    if entry.status != "done":
        outcome.details.append(
            f"{entry.status.upper():<6} {label}"
            + (f": {entry.comment.strip()}" if entry.comment else "")
        )
        return True
    run = CHECKS.get(rule)
    if run is None:
        outcome.details.append(f"MANUAL {label}: no code check")
        return True
    reasons = run(integ)
    outcome.failures.extend((rule, reason) for reason in reasons)
    outcome.details.append(f"{'FAIL' if reasons else 'PASS':<6} {label}")
    outcome.details.extend(f"         {note}" for note in integ.notes.get(rule, []))
    return not reasons


def evaluate(path: Path, options: Options) -> Outcome:
    """Validate quality_scale.yaml and check every done rule."""
    outcome = Outcome()
    try:
        entries, problems = load_quality_scale(path / "quality_scale.yaml")
    except QualityScaleError as err:
        outcome.failures.append(("quality_scale.yaml", str(err)))
        return outcome
    outcome.failures.extend(problems)
    for declared in entries.values():
        outcome.counts[declared.status] += 1
    statuses = {rule: entry.status for rule, entry in entries.items()}
    integ = Integration(path, options, statuses)
    outcome.failures.extend(("python", error) for error in integ.parse_errors)
    failed_rules = {rule for rule, _ in problems}
    for rule in ALL_RULES:
        entry = entries.get(rule)
        if entry is not None and not _run_rule(outcome, integ, rule, entry):
            failed_rules.add(rule)
    for tier, rules in TIERS.items():
        if all(
            rule in entries and entries[rule].status != "todo" and rule not in failed_rules
            for rule in rules
        ):
            outcome.tier = tier
        else:
            break
    return outcome
