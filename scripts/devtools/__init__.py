"""Tools of scripts/develop: run with the development venv's Python (.venv-ha).

Modules:
    common        logging, the error type, process and polling helpers
    requirements  the Python requirements of the integrations Home Assistant loads
    simulator     the banner the DepotFinity simulator prints at start
    hass_api      a small client of Home Assistant's REST and WebSocket APIs
    onboarding    onboarding, the owner user and logging in
    integration   the DepotFinity config flow (subentries) and options
    check         the verification of ``scripts/develop --check``
    bootstrap     the whole bootstrap of the development instance
"""
