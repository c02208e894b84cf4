"""What the programme team and the jury do after applicants submit, one module per concern.

stats (dashboard), listing and search (dossier list), instruction (transitions from the back-office),
assignments and scoring (jury), ranking, decisions, sending (decisions in batches), agreements
(conventions), exports and archive (CSV, XLSX, ZIP of PDFs), mailbox (kept and failed messages), cli.
Functions flush, never commit: the request (or the CLI command) commits.
"""
