"""Planted violations of the metadata, README and quality_scale.yaml rules.

Each entry maps a case id to (rule, edit of the good fake integration, text expected
in the ``FAIL <rule>:`` line); ``test_quality_scale_violations`` runs them all.
"""

from .fakes import Violation, delete, edit_json, edit_strings, replace, set_file, set_rule, update

VIOLATIONS: dict[str, Violation] = {
    "config-flow-manifest": (
        "config-flow",
        edit_json("manifest.json", update(config_flow=False)),
        "config_flow: true",
    ),
    "config-flow-no-data-description": (
        "config-flow",
        edit_strings(delete("config", "step", "user", "data_description")),
        "config.step.user has no data_description",
    ),
    "config-flow-field-undescribed": (
        "config-flow",
        edit_strings(
            delete("config", "step", "reauth_confirm", "data_description", "client_secret")
        ),
        "config.step.reauth_confirm.data_description has no 'client_secret'",
    ),
    "strict-typing-no-py-typed": (
        "strict-typing",
        set_file("api/py.typed", None),
        "api/py.typed not found",
    ),
    "owner-missing": (
        "integration-owner",
        edit_json("manifest.json", update(codeowners=[])),
        "no codeowners",
    ),
    "docs-troubleshooting-missing": (
        "docs-troubleshooting",
        replace("../../README.md", "## Troubleshooting\n\nDownload diagnostics.\n", ""),
        "README has no heading about troubleshoot",
    ),
    "docs-section-empty": (
        "docs-known-limitations",
        replace("../../README.md", "Rate limits.\n", ""),
        "README section 'Known limitations' is empty",
    ),
    "docs-action-not-described": (
        "docs-actions",
        replace("services.yaml", "set_limit:", "set_limit:\n  fields: {}\nclear_limit:"),
        "README does not mention the action fakefinity.clear_limit",
    ),
    "docs-description-without-link": (
        "docs-high-level-description",
        replace("../../README.md", "[Fakefinity](https://example.com)", "Fakefinity"),
        "no description with a product link",
    ),
    "yaml-unknown-rule": (
        "made-up-rule",
        set_rule("made-up-rule", "done"),
        "unknown rule id",
    ),
    "yaml-missing-rule": (
        "test-coverage",
        set_rule("test-coverage", None),
        "missing from quality_scale.yaml",
    ),
    "yaml-exempt-without-comment": (
        "discovery",
        set_rule("discovery", {"status": "exempt"}),
        "exempt without a comment",
    ),
    "yaml-exempt-blank-comment": (
        "discovery",
        set_rule("discovery", {"status": "exempt", "comment": "  "}),
        "exempt without a comment",
    ),
    "yaml-invalid-status": (
        "devices",
        set_rule("devices", "finished"),
        "invalid status 'finished'",
    ),
    "yaml-extra-key": (
        "devices",
        set_rule("devices", {"status": "done", "note": "x"}),
        "unexpected keys note",
    ),
    "yaml-bad-value": (
        "devices",
        set_rule("devices", ["done"]),
        "must be a status or a mapping",
    ),
    "yaml-comment-not-string": (
        "devices",
        set_rule("devices", {"status": "done", "comment": 3}),
        "comment must be a string",
    ),
    "python-syntax-error": (
        "python",
        set_file("broken.py", "def broken(:\n"),
        "broken.py:1:",
    ),
}
