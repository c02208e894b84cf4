"""The public page of an edition's laureates, one module per concern.

summaries (the text each card shows, and the laureate's own version of it), laureates (what would be
published now: the selected dossiers, as the staff preview shows them), operations (publish, update,
withdraw, invite laureates to review: audited), formats (the JSON and CSV of the page).
Functions flush, never commit: the request commits.
"""
