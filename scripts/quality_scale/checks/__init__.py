"""The code checks; importing this package registers every one of them."""

from . import client, docs, entities, errors, flow, lifecycle

__all__ = ["client", "docs", "entities", "errors", "flow", "lifecycle"]
