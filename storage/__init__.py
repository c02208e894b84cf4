"""Where file bytes live (uploads, generated documents), behind one small interface."""

from storage.files import FileStore, file_store

__all__ = ["FileStore", "file_store"]
