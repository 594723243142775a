"""Tests for the DepotFinity integration, its API client and its simulator."""
