"""Checks of the README: one section per documentation rule, a product description."""

from dataclasses import dataclass, field
import re
from typing import Final

import yaml  # type: ignore[import-untyped]

from quality_scale.integration import Integration
from quality_scale.registry import CHECKS, check

# README topics: a docs rule passes when a heading contains one of its keywords
# (case-insensitive) and the section under it is not empty.
DOC_TOPICS: Final[dict[str, tuple[str, ...]]] = {
    "docs-actions": ("action", "service"),
    "docs-conditions": ("condition",),
    "docs-triggers": ("trigger",),
    "docs-installation-instructions": ("install",),
    "docs-removal-instructions": ("remov", "uninstall"),
    "docs-installation-parameters": (
        "installation parameter",
        "setup parameter",
        "set up",
        "setup",
        "configuration",
    ),
    "docs-configuration-parameters": ("option", "configuration parameter", "reconfigur"),
    "docs-data-update": ("data update", "update interval", "polling", "refresh", "how data"),
    "docs-examples": ("example", "blueprint"),
    "docs-known-limitations": ("limitation",),
    "docs-supported-devices": (
        "supported device",
        "supported hardware",
        "supported charger",
        "compatib",
    ),
    "docs-supported-functions": ("supported function", "entities", "entity", "platform", "feature"),
    "docs-troubleshooting": ("troubleshoot",),
    "docs-use-cases": ("use case",),
}
DESCRIPTION_HEADINGS: Final = ("about", "overview", "description", "what is")
URL_RE: Final = re.compile(r"https?://\S+")
ATX_HEADING_RE: Final = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
SETEXT_UNDERLINE_RE: Final = re.compile(r"=+|-+")


@dataclass
class Section:
    """A README heading with the text below it (subsections included)."""

    level: int
    title: str
    body: list[str] = field(default_factory=list)

    def matches(self, keywords: tuple[str, ...]) -> bool:
        """Return True when the title contains one of the keywords (case-insensitive)."""
        return any(keyword in self.title.lower() for keyword in keywords)


@dataclass
class Readme:
    """A parsed README: its text, the intro before the first section and the sections."""

    text: str
    intro: list[str]
    sections: list[Section]


def _heading(lines: list[str], index: int) -> tuple[int, str, int] | None:
    """Return (level, title, lines used) when ``lines[index]`` starts a heading."""
    line = lines[index]
    stripped = line.strip()
    following = lines[index + 1].strip() if index + 1 < len(lines) else ""
    if match := ATX_HEADING_RE.match(line):
        return len(match.group(1)), match.group(2), 1
    if (
        stripped
        and not stripped.startswith(("-", "*", ">", "|"))
        and (setext := SETEXT_UNDERLINE_RE.fullmatch(following))
    ):
        return (1 if setext.group(0).startswith("=") else 2), stripped, 2
    return None


def parse_markdown(text: str) -> tuple[list[str], list[Section]]:
    """Split markdown into the intro (before the first section) and sections.

    A leading level-1 heading is the title, not a section. ATX (``## x``) and
    setext (underlined) headings are recognised; fenced code is skipped.
    """
    intro: list[str] = []
    sections: list[Section] = []
    open_sections: list[Section] = []
    lines = text.splitlines()
    in_fence = False
    index = 0
    while index < len(lines):
        line = lines[index]
        heading = None
        if line.strip().startswith(("```", "~~~")):
            in_fence = not in_fence
        elif not in_fence:
            heading = _heading(lines, index)
        index += heading[2] if heading else 1
        if heading is None:
            for section in open_sections:
                section.body.append(line)
            if not sections:
                intro.append(line)
            continue
        level, title, _used = heading
        if level == 1 and not sections and not any(s.strip() for s in intro):
            continue  # the document title
        while open_sections and open_sections[-1].level >= level:
            open_sections.pop()
        for section in open_sections:
            section.body.append(line)
        section = Section(level, title)
        sections.append(section)
        open_sections.append(section)
    return intro, sections


def _readme(integ: Integration) -> Readme | str:
    """Return the parsed README, or the reason it cannot be read."""
    if not integ.readme.is_file():
        return f"{integ.readme.name} not found"
    text = integ.readme.read_text(encoding="utf-8")
    return Readme(text, *parse_markdown(text))


def _doc_check(rule: str, keywords: tuple[str, ...]) -> None:
    """Register the check of a README section about one topic."""

    def run(integ: Integration) -> list[str]:
        readme = _readme(integ)
        if isinstance(readme, str):
            return [readme]
        matching = [s for s in readme.sections if s.matches(keywords)]
        if not matching:
            return [f"README has no heading about {' / '.join(keywords)}"]
        if not any(line.strip() for s in matching for line in s.body):
            return [f"README section {matching[0].title!r} is empty"]
        integ.note(rule, f"section {matching[0].title!r}")
        if rule == "docs-actions":
            return _undocumented_actions(integ, readme.text)
        return []

    run.__doc__ = f"README has a section about {keywords[0]}."
    CHECKS[rule] = run


def _undocumented_actions(integ: Integration, text: str) -> list[str]:
    """Return a reason for every action of services.yaml the README does not name."""
    file = integ.path / "services.yaml"
    if not file.is_file():
        return []
    try:
        services = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError:
        return ["services.yaml is not valid YAML"]
    if not isinstance(services, dict):
        return ["services.yaml is not a mapping"]
    return [
        f"README does not mention the action {integ.path.name}.{name}"
        for name in services
        if not re.search(rf"(?<!\w){re.escape(str(name))}(?!\w)", text)
    ]


for _rule, _keywords in DOC_TOPICS.items():
    _doc_check(_rule, _keywords)


@check("docs-high-level-description")
def check_docs_description(integ: Integration) -> list[str]:
    """README opens with a description of the product and a link to it."""
    readme = _readme(integ)
    if isinstance(readme, str):
        return [readme]
    candidates = [readme.intro] + [
        s.body for s in readme.sections if s.matches(DESCRIPTION_HEADINGS)
    ]
    for lines in candidates:
        if any(line.strip() for line in lines) and URL_RE.search("\n".join(lines)):
            return []
    return ["README intro (or an About/Overview section) has no description with a product link"]
