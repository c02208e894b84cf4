"""Field types of the YAML, one class per type, found by name in a registry (see docs/field-types.md)."""

from importlib import import_module

from forms.types.base import FieldType, clean_text, is_empty
from forms.types.registry import field_type, register, type_names, unregister

# The built-in types register on import, in the order the check's messages list them.
for _module in ("text", "numbers", "date", "choices", "file", "group", "prose"):
    import_module(f"forms.types.{_module}")

__all__ = ["FieldType", "clean_text", "field_type", "is_empty", "register", "type_names", "unregister"]
