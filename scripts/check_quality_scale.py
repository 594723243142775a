"""Check an integration's quality_scale.yaml against the Integration Quality Scale.

hassfest skips quality_scale.yaml for custom integrations, so this script is the
gate instead. It validates the file (all 54 rules, known ids, a comment on every
exempt rule) and, for every rule marked ``done`` that can be checked from the
source, checks the code with ``ast`` (the integration is never imported). Rules
without a code check are reported as "manual". The work is done by the
``quality_scale`` package next to this script.

Usage:
    check_quality_scale.py [--integration DIR] [--readme FILE] [--skip-mypy] [-v]

Output: one ``FAIL <rule>: <reason>`` line per problem, per-rule detail with
``-v``, then ``tier: <tier>`` and ``IQS: <done> done, <exempt> exempt, <todo> todo
of 54``. Exit status 1 when the file is invalid or a ``done`` rule fails its
check, 0 otherwise (``todo`` rules are allowed), 2 on bad arguments.
"""

import sys

from quality_scale.cli import main

if __name__ == "__main__":
    sys.exit(main())
