"""Names whose module loads on first use, for modules on the window's start path.

The window has to paint within a fraction of a second; the HTTP client (httpx pulls rich and pygments), the S3
client (minio pulls urllib3, pycryptodome, argon2) and the JWT library cost more than that to import, and nothing
on the start path calls them before the first paint. A module that needs such a name at run time (not only in
annotations, which go under ``TYPE_CHECKING``) binds a :class:`LazyName` instead: calling it, reading an attribute
or ``isinstance`` against it imports the module then, once. ``tests/core/test_start_imports.py`` checks the start
path stays free of them.
"""

from __future__ import annotations

import importlib
import threading
from typing import Any

_LOCK = threading.Lock()


class LazyName:
    """Stands for ``module.name`` (or the module itself, with no name) until used; then is a thin forwarder to it
    (calls, attributes, isinstance)."""

    __slots__ = ("_module", "_name", "_target")

    def __init__(self, module: str, name: str = "") -> None:
        self._module = module
        self._name = name
        self._target: Any = None

    def resolve(self) -> Any:
        target = self._target
        if target is None:
            with _LOCK:  # two worker threads may ask at once; the import lock makes the import itself safe
                if self._target is None:
                    module = importlib.import_module(self._module)
                    self._target = getattr(module, self._name) if self._name else module
                target = self._target
        return target

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.resolve()(*args, **kwargs)

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self.resolve(), attribute)

    def __instancecheck__(self, instance: Any) -> bool:
        return isinstance(instance, self.resolve())

    def __repr__(self) -> str:
        return f"<lazy {self._module}{'.' if self._name else ''}{self._name}>"


def lazy(module: str, *names: str) -> tuple[LazyName, ...]:
    """``a, b = lazy("pkg.mod", "a", "b")``: one :class:`LazyName` per name, in order."""
    return tuple(LazyName(module, name) for name in names)


def package_getattr(package: str, homes: dict[str, str]) -> Any:
    """A package's module ``__getattr__`` (PEP 562) that imports ``homes[name]`` (a submodule of ``package``) the
    first time ``name`` is asked for, and keeps it in the package's namespace: the package's short names without
    importing every submodule with the package."""
    import sys

    def __getattr__(name: str) -> Any:  # noqa: N807 - the module attribute hook's own name
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{home}"), name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__
