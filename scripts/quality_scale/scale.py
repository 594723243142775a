"""Reading and validating quality_scale.yaml."""

from dataclasses import dataclass
from pathlib import Path

import yaml  # type: ignore[import-untyped]

from .rules import ALL_RULES, RULE_TIER, STATUSES

type Problem = tuple[str, str]


class QualityScaleError(Exception):
    """quality_scale.yaml cannot be read at all."""


@dataclass(frozen=True)
class RuleEntry:
    """One rule as declared in quality_scale.yaml."""

    status: str
    comment: str | None = None


def _parse_entry(value: object) -> RuleEntry | str:
    """Return the entry declared for a rule, or the reason it is invalid."""
    if isinstance(value, str):
        entry = RuleEntry(value)
    elif isinstance(value, dict):
        extra = sorted(str(key) for key in value if key not in ("status", "comment"))
        if extra:
            return f"unexpected keys {', '.join(extra)}"
        comment = value.get("comment")
        if comment is not None and not isinstance(comment, str):
            return "comment must be a string"
        entry = RuleEntry(str(value.get("status")), comment)
    else:
        return "must be a status or a mapping with status and comment"
    if entry.status not in STATUSES:
        return f"invalid status {entry.status!r} (expected {', '.join(STATUSES)})"
    return entry


def load_quality_scale(path: Path) -> tuple[dict[str, RuleEntry], list[Problem]]:
    """Parse and validate quality_scale.yaml.

    Returns the valid rule entries and a list of (rule, reason) problems. Raises
    QualityScaleError when the file cannot be used at all.
    """
    if not path.is_file():
        raise QualityScaleError(f"{path.name} not found in {path.parent}")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        raise QualityScaleError(f"{path.name} is not valid YAML: {err}") from err
    if not isinstance(data, dict) or not isinstance(data.get("rules"), dict):
        raise QualityScaleError(f"{path.name} must be a mapping with a 'rules' mapping")
    problems: list[Problem] = [
        ("quality_scale.yaml", f"unexpected top-level key {key!r}")
        for key in data
        if key != "rules"
    ]
    entries: dict[str, RuleEntry] = {}
    for raw_rule, value in data["rules"].items():
        rule = str(raw_rule)
        if rule not in RULE_TIER:
            problems.append((rule, "unknown rule id"))
            continue
        entry = _parse_entry(value)
        if isinstance(entry, str):
            problems.append((rule, entry))
            continue
        if entry.status == "exempt" and not (entry.comment or "").strip():
            problems.append((rule, "exempt without a comment explaining why"))
        entries[rule] = entry
    problems.extend(
        (rule, "missing from quality_scale.yaml")
        for rule in ALL_RULES
        if rule not in entries and rule not in dict(problems)
    )
    return entries, problems
