# How the records' data classes are pickled: into the build cache (cache.py), and from the
# load stage's worker processes back to the build (load.py). Both pickle a class as a call of
# it with its fields. The dataclass default for a slotted class sets each field in a Python
# loop (`_dataclass_setstate`, which also works out the fields again for every object): a
# third of the time of reading 20,000 records back from the cache, and at 20,000 decisions
# 1.1 s of the build process's and 2.3 s of the load workers' time. A call runs the class's
# own __init__, so a record made so is made exactly as load.py makes one.
from __future__ import annotations

import operator
import sys
from collections.abc import Callable
from dataclasses import fields, is_dataclass
from functools import lru_cache
from multiprocessing.reduction import ForkingPickler
from typing import Any

# The modules whose classes records are made of (and the build cache may name: cache.py).
DATA_MODULES = frozenset({
    "generator.model", "generator.problems", "generator.yamlsource", "generator.callin.rule",
    "generator.callin.status", "generator.redact",
    "datetime", "decimal", "zoneinfo", "collections",
})

Reducer = Callable[[Any], tuple[Any, ...]]


def reducers() -> dict[type, Reducer]:
    """A reducer for each slotted data class of DATA_MODULES imported so far whose fields are
    all arguments of its __init__."""
    table: dict[type, Reducer] = {}
    for name in sorted(DATA_MODULES):
        module = sys.modules.get(name)
        for cls in vars(module).values() if module is not None else ():
            if (isinstance(cls, type) and is_dataclass(cls) and cls.__module__ == name
                    and not cls.__name__.startswith("_") and "__slots__" in vars(cls)
                    and all(f.init for f in fields(cls))):
                table[cls] = _reducer(cls)
    return table


def _reducer(cls: type) -> Reducer:
    get = field_values(cls)
    return lambda obj: (cls, get(obj))


@lru_cache(maxsize=None)
def field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


@lru_cache(maxsize=None)
def field_values(cls: type) -> Callable[[Any], tuple[Any, ...]]:
    """A function giving a data class object's field values, as a tuple: attrgetter's, which
    gives a tuple for two names or more, without a Python frame (`dataclasses.fields` is slow
    to call once per object)."""
    names = field_names(cls)
    if not names:
        return lambda obj: ()
    get = operator.attrgetter(*names)
    return get if len(names) > 1 else lambda obj: (get(obj),)


def use_between_processes() -> None:
    """From now on, have multiprocessing pickle the data classes as calls in everything it
    sends, from this process and from the workers it forks."""
    for cls, reduce in reducers().items():
        ForkingPickler.register(cls, reduce)  # again for a class already done: the same
