"""Where file bytes live (uploads, generated documents), behind one small interface."""

from storage.files import FileStore, StorageUnavailable, file_store

__all__ = ["FileStore", "StorageUnavailable", "file_store"]
