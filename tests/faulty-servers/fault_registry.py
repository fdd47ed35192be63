"""The registry of faults in tests/faulty-servers/faulty_server.py, and the seams they replace.

A seam is a named attribute of the Python example (a function, a method, a constant). Each fault declares the
seams it replaces; replace_seam() refuses any other and never creates an attribute, and check_seams() lists
declared seams the example no longer has, so renaming a function in the example cannot silently disarm a fault.
"""

from __future__ import annotations

import contextlib
from typing import Any, Callable, Iterator


FAULTS: dict[str, Callable[[], None]] = {}
SEAMS: dict[str, tuple[str, ...]] = {}
_applying: list[str] = []
_example: list[Any] = []


def use_example(module: Any) -> None:
    """The imported example module whose seams the faults replace."""
    _example[:] = [module]


@contextlib.contextmanager
def applying(name: str) -> Iterator[None]:
    """While fault `name` is applied: replace_seam() accepts exactly its declared seams."""
    _applying.append(name)
    try:
        yield
    finally:
        _applying.pop()


class SeamMissing(Exception):
    """A fault names a seam the example does not have (renamed or removed): applied, it would be disarmed."""


def fault(name: str, seams: tuple[str, ...]) -> Callable[[Callable[[], None]], Callable[[], None]]:
    """Register a function that applies one fault to the imported example, replacing exactly `seams`."""
    def register(apply: Callable[[], None]) -> Callable[[], None]:
        FAULTS[name] = apply
        SEAMS[name] = seams
        return apply
    return register


def resolve_seam(path: str) -> tuple[Any, str]:
    """The object holding a seam ("Server._send" -> (cu.Server, "_send")); SeamMissing when any part is absent."""
    owner: Any = _example[0]
    *parents, leaf = path.split(".")
    for part in parents:
        if not hasattr(owner, part):
            raise SeamMissing(f"the example has no {path!r} ({part!r} is missing)")
        owner = getattr(owner, part)
    if not hasattr(owner, leaf):
        raise SeamMissing(f"the example has no {path!r}")
    return owner, leaf


def replace_seam(path: str, value: Any) -> None:
    """Replace one seam the running fault declared; never creates an attribute, so a rename fails loudly."""
    if not _applying or path not in SEAMS[_applying[-1]]:
        raise SeamMissing(f"fault {_applying[-1] if _applying else '?'} replaces {path!r} without declaring it")
    owner, leaf = resolve_seam(path)
    setattr(owner, leaf, value)


def check_seams() -> list[str]:
    """Every declared seam of every fault that the example lacks, as messages."""
    problems = []
    for name, seams in sorted(SEAMS.items()):
        for path in seams:
            try:
                resolve_seam(path)
            except SeamMissing as e:
                problems.append(f"fault {name}: {e}")
    return problems
