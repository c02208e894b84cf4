"""Documents filled from Word templates: the dossier, the convention de financement, the cahier des charges."""
