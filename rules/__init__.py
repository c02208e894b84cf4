"""What the YAML computes and enforces on a dossier's answers: totals, cross-field rules, eligibility gates."""
