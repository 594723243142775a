"""Tests for the DepotFinity simulator."""
