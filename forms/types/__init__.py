"""Field types of the YAML, one class per type, found by name in a registry (see docs/field-types.md)."""

import pkgutil
from importlib import import_module

from forms.types.base import FieldType, clean_text, is_empty
from forms.types.registry import field_type, register, type_names, unregister

# Every module of this package registers its types on import: the built-in ones first, in the order the
# check's messages list them, then any other module (a new type is one new module).
_BUILT_IN = ("text", "numbers", "date", "choices", "file", "group", "prose")
_OTHERS = sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name not in (*_BUILT_IN, "base", "registry"))
for _module in (*_BUILT_IN, *_OTHERS):
    import_module(f"{__name__}.{_module}")

__all__ = ["FieldType", "clean_text", "field_type", "is_empty", "register", "type_names", "unregister"]
