"""Integration Quality Scale checker for a Home Assistant integration.

The integration is read with ``ast`` and never imported. Modules:

* ``rules``: the 54 rules and their tiers, Home Assistant platform names;
* ``scale``: reading and validating ``quality_scale.yaml``;
* ``astutil``: small helpers over ``ast`` nodes;
* ``source``: parsed modules, import resolution, call graph and class index;
* ``integration``: the integration directory (files, manifest, strings, notes);
* ``registry``: the table of code checks;
* ``checks``: the code checks, one module per concern;
* ``report``: running every check; ``cli``: the command line.
"""
