"""Tests of the DepotFinity API client."""
