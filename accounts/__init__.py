"""Accounts: applicants sign in with one-time links, staff with a password."""
