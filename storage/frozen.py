"""Frozen dataclasses that are quick to build.

A frozen dataclass's ``__init__`` sets each field through ``object.__setattr__`` (its own
``__setattr__`` refuses), which on Python 3.11 costs about 0.3 µs a field, four times a
plain class: 11% of every message's instructions in the pipeline, measured. :func:`quick_init`
swaps in an ``__init__`` that writes the slots through their member descriptors, which the
frozen ``__setattr__`` does not guard; everyone else still gets ``FrozenInstanceError``.
"""

from __future__ import annotations

import dataclasses
import types
from typing import Any, TypeVar

T = TypeVar("T")


def quick_init(cls: type[T]) -> type[T]:
    """Gives a ``@dataclass(frozen=True, slots=True)`` class the same ``__init__``, made fast."""
    params = getattr(cls, "__dataclass_params__", None)
    if params is None or not params.frozen or "__slots__" not in cls.__dict__:
        raise TypeError(f"{cls.__name__}: quick_init needs @dataclass(frozen=True, slots=True) beneath it")
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__}: quick_init does not run __post_init__")
    all_fields = getattr(cls, "__dataclass_fields__", {})
    if any(f._field_type is not dataclasses._FIELD for f in all_fields.values()):  # type: ignore[attr-defined]
        raise TypeError(f"{cls.__name__}: quick_init does not take InitVar or ClassVar fields")
    namespace: dict[str, Any] = {"_FACTORY": _FACTORY}
    positional: list[str] = []
    keyword_only: list[str] = []
    body: list[str] = []
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if not f.init:
            raise TypeError(f"{cls.__name__}.{f.name}: quick_init needs every field in __init__")
        slot = getattr(cls, f.name)
        if not isinstance(slot, types.MemberDescriptorType):
            raise TypeError(f"{cls.__name__}.{f.name} is not a slot")
        namespace[f"_set_{f.name}"] = slot.__set__
        if f.default is not dataclasses.MISSING:
            namespace[f"_default_{f.name}"] = f.default
            parameter = f"{f.name}=_default_{f.name}"
        elif f.default_factory is not dataclasses.MISSING:
            namespace[f"_factory_{f.name}"] = f.default_factory
            parameter = f"{f.name}=_FACTORY"
            body.append(f" if {f.name} is _FACTORY: {f.name} = _factory_{f.name}()")
        else:
            parameter = f.name
        (keyword_only if f.kw_only else positional).append(parameter)
        body.append(f" _set_{f.name}(self, {f.name})")
    signature = ", ".join(["self", *positional, *(["*", *keyword_only] if keyword_only else [])])
    source = f"def __init__({signature}):\n" + ("\n".join(body) or " pass") + "\n"
    exec(source, namespace)  # generated from the class's own field names, as dataclasses does
    init = namespace["__init__"]
    original = cls.__init__
    init.__qualname__ = original.__qualname__
    init.__annotations__ = dict(original.__annotations__)
    init.__doc__ = original.__doc__
    init.__module__ = cls.__module__
    init.quick = True  # what tests look for
    cls.__init__ = init  # type: ignore[method-assign]
    return cls


class _Factory:
    """Marks an argument left to its field's default_factory."""

    def __repr__(self) -> str:
        return "<factory>"


_FACTORY = _Factory()
