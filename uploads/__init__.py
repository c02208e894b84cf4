"""Checks on files people upload before anything keeps them."""
