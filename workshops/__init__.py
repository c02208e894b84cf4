"""Workshops and information sessions of an edition: registration, capacity, waiting list."""
