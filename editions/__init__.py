"""Editions of a call: the YAML definitions, their schema, loading with positions, and the registry."""
