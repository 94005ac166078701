"""quick_init builds frozen dataclasses exactly as dataclasses would, only faster."""

from __future__ import annotations

import copy
import dataclasses
import importlib
import inspect
import pickle
import pkgutil
from dataclasses import FrozenInstanceError, InitVar, dataclass, field

import pytest

from storage.frozen import quick_init


def _model(name: str) -> type:
    """The same frozen model each call: one stays as dataclasses builds it, one gets quick_init."""

    @dataclass(frozen=True, slots=True)
    class Model:
        name: str
        count: int = 0
        tags: tuple[str, ...] = ()
        notes: list[str] = field(default_factory=list)
        loud: bool = field(default=False, kw_only=True)

    Model.__name__ = Model.__qualname__ = name  # found by pickle as this module's global
    return Model


Plain = _model("Plain")
Quick = quick_init(_model("Quick"))


@quick_init
@dataclass(frozen=True, slots=True)
class Point:
    x: int
    y: int = 0


def _as_tuple(value: object) -> tuple[object, ...]:
    return dataclasses.astuple(value)


def test_same_signature_values_and_defaults() -> None:
    assert str(inspect.signature(Quick)) == str(inspect.signature(Plain))
    calls = [(("a",), {}), (("b", 2, ("x",)), {"loud": True}), ((), {"name": "c", "notes": ["n"]})]
    for args, kwargs in calls:
        assert _as_tuple(Quick(*args, **kwargs)) == _as_tuple(Plain(*args, **kwargs))
    assert Quick("a").notes is not Quick("a").notes  # a fresh list from the factory each time
    with pytest.raises(TypeError):
        Quick()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Quick("a", 1, (), [], True)  # type: ignore[misc]  # kw_only stays keyword-only


def test_still_frozen_hashable_and_copyable() -> None:
    quick = Quick("a", 1, ("x",))
    with pytest.raises(FrozenInstanceError):
        quick.count = 2  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        del quick.name  # type: ignore[misc]
    assert quick == Quick("a", 1, ("x",))
    assert {Point(1)} == {Point(1, 0)}  # hashable like any frozen dataclass
    assert dataclasses.replace(quick, count=5) == Quick("a", 5, ("x",))
    assert pickle.loads(pickle.dumps(quick)) == quick
    assert copy.deepcopy(quick) == quick
    assert repr(quick) == "Quick(name='a', count=1, tags=('x',), notes=[], loud=False)"


def test_refuses_what_it_cannot_build() -> None:
    @dataclass(slots=True)
    class Mutable:
        x: int

    @dataclass(frozen=True)
    class NoSlots:
        x: int

    @dataclass(frozen=True, slots=True)
    class AfterInit:
        x: int

        def __post_init__(self) -> None:
            pass

    @dataclass(frozen=True, slots=True)
    class WithInitVar:
        x: int
        seed: InitVar[int] = 0

    @dataclass(frozen=True, slots=True)
    class NotInInit:
        x: int
        y: int = field(default=0, init=False)

    for cls in (Mutable, NoSlots, AfterInit, WithInitVar, NotInInit):
        with pytest.raises(TypeError):
            quick_init(cls)


def test_every_frozen_slotted_model_of_ours_is_quick() -> None:
    """A model added without @quick_init would cost four times as much to build."""
    slow = []
    for package in ("storage", "handlers", "bot"):
        root = importlib.import_module(package)
        for info in pkgutil.walk_packages(root.__path__, f"{package}."):
            module = importlib.import_module(info.name)
            for value in vars(module).values():
                if not (inspect.isclass(value) and value.__module__ == info.name):
                    continue
                params = getattr(value, "__dataclass_params__", None)
                frozen_slotted = params and params.frozen and "__slots__" in value.__dict__
                if frozen_slotted and not getattr(value.__init__, "quick", False):
                    slow.append(f"{info.name}.{value.__qualname__}")
    assert slow == []
