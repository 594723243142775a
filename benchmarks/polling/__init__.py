"""The polling benchmark's parts: fleet plans, Home Assistant probes, the two pollers."""
