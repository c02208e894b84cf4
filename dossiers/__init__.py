"""The business rules of a dossier: deadline, permissions, lifecycle, navigation, operations."""
