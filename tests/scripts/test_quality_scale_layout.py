"""The checks follow code that moves between modules and packages.

The fake integration is laid out like the refactored one: typed runtime data in
runtime.py, actions in a ``services/`` package, entity descriptions in a platform
helper module, functions Home Assistant looks up re-exported from elsewhere.
"""

from .conftest import RunChecker
from .fake_layout import layout
from .fake_sources import COORDINATOR
from .fakes import combine, replace, set_file


def test_new_layout_passes(run_checker: RunChecker) -> None:
    code, out = run_checker(layout(), "-v")
    assert code == 0, out
    assert "config entry alias: FakeConfigEntry" in out
    assert out.splitlines()[-2:] == ["tier: platinum", "IQS: 50 done, 4 exempt, 0 todo of 54"]


def test_setup_exception_in_renamed_coordinator_module(run_checker: RunChecker) -> None:
    """Without a first refresh, a coordinator raising a setup error satisfies the rule."""
    edits = combine(
        replace("__init__.py", "await coordinator.async_config_entry_first_refresh()", ""),
        set_file("coordinator.py", "from .hub import FakeCoordinator\n"),
        set_file("hub.py", COORDINATOR),
    )
    code, out = run_checker(layout(edits), "-v")
    assert code == 0, out
    assert "hub.py:14" in out
    assert out.splitlines()[-2] == "tier: platinum"
    code, out = run_checker(
        layout(edits, replace("hub.py", "raise ConfigEntryAuthFailed(", "raise UpdateFailed("))
    )
    assert code == 1
    assert "FAIL test-before-setup: async_setup_entry neither calls" in out


def test_import_cycles_end(run_checker: RunChecker) -> None:
    """Names imported back and forth between two modules do not loop forever."""
    cycle = combine(
        set_file("cycle_a.py", "from .cycle_b import helper\n"),
        set_file("cycle_b.py", "from .cycle_a import helper\n"),
        replace(
            "__init__.py",
            "    entry.runtime_data = FakeRuntimeData(",
            "    from .cycle_a import helper\n\n"
            "    helper()\n    entry.runtime_data = FakeRuntimeData(",
        ),
    )
    code, out = run_checker(layout(cycle))
    assert code == 0, out
