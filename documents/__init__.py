"""Documents filled from Word templates: the dossier, the convention de financement, the cahier des charges."""

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
