"""Checks of the computer SafeSpace runs on: what it shares, runs and records, its names, its network."""
