"""Laureates' reports on their project after the signature: defined in the YAML (`reports`), filled step by step
like the dossier, reviewed by staff (accepté / à compléter), reminded before they are due."""
