"""Fault matrix: each fault injected into a running integration, and what it measured."""
