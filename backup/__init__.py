"""Backup and restore of the database and the files folder together (`flask --app app backup|restore`)."""
