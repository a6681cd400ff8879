"""Avro schema compatibility, decided by really decoding sample records.

Confluent Schema Registry checks a new schema version against the
subject's history with a compatibility level:

* ``BACKWARD``: the new schema can read data written with the previous
  one (upgrade consumers first);
* ``FORWARD``: the previous schema can read data written with the new one
  (upgrade producers first);
* ``FULL``: both;
* ``*_TRANSITIVE``: the same against every earlier version, not only the
  last one;
* ``NONE``: no check.

Instead of a table of rules, this module generates sample records for the
writer schema (every enum symbol, every union branch, fields left at their
defaults) and runs Avro schema resolution on each of them with fastavro:
write with the writer schema, read with ``reader_schema``. A schema pair is
compatible when no sample fails. This finds what Avro really does, at the
price of being only as good as the samples: the generator aims to visit
every branch, but a value-dependent failure it never produces stays
hidden.
"""

from __future__ import annotations

import io
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, cast

import fastavro
from fastavro.read import SchemaResolutionError

# fastavro ships without complete type hints: everything crossing into it
# goes through these Any-typed aliases.
_fa = cast(Any, fastavro)

PRIMITIVES = frozenset(
    {"null", "boolean", "int", "long", "float", "double", "bytes", "string"}
)
_INTS = (0, 1, -1, 2**31 - 1, -(2**31))
_LONGS = (0, 1, -1, 2**63 - 1, -(2**63))
_FLOATS = (0.0, 1.5, -2.25)
_DOUBLES = (0.0, 0.1, -1e300)
_STRINGS = ("", "a", "\u00e9t\u00e9", "key-7")
_BYTES = (b"", b"\x00\xff", b"abc")
_MAX_DEPTH = 6
_COMPLEX = frozenset({"record", "error", "enum", "fixed", "array", "map"})


class Compatibility(StrEnum):
    """Schema Registry compatibility levels."""

    BACKWARD = "BACKWARD"
    BACKWARD_TRANSITIVE = "BACKWARD_TRANSITIVE"
    FORWARD = "FORWARD"
    FORWARD_TRANSITIVE = "FORWARD_TRANSITIVE"
    FULL = "FULL"
    FULL_TRANSITIVE = "FULL_TRANSITIVE"
    NONE = "NONE"


@dataclass(frozen=True, slots=True)
class Failure:
    """One sample that a reader schema could not decode.

    Versions are 1-based positions in the history, the new schema last.
    """

    writer_version: int
    reader_version: int
    record: Any
    reason: str


@dataclass(frozen=True, slots=True)
class Verdict:
    """Result of a compatibility check: the failures, if any."""

    level: Compatibility
    failures: tuple[Failure, ...]

    @property
    def compatible(self) -> bool:
        """True when no sample failed."""
        return not self.failures


class _Generator:
    """Builds values for a schema, one choice function per record."""

    def __init__(self, schema: Any) -> None:
        self.names: dict[str, Any] = {}
        self.most = max(len(_INTS), len(_LONGS), len(_STRINGS), 2)
        self._collect(schema, None)

    def _collect(self, schema: Any, namespace: str | None) -> None:
        if isinstance(schema, list):
            self.most = max(self.most, len(schema))
            for branch in schema:
                self._collect(branch, namespace)
        elif isinstance(schema, dict):
            kind = schema["type"]
            if kind == "enum":
                self.most = max(self.most, len(schema["symbols"]))
            if kind in ("record", "error", "enum", "fixed"):
                namespace = schema.get("namespace", namespace)
                name = schema["name"]
                self.names[name] = schema
                if namespace and "." not in name:
                    self.names[f"{namespace}.{name}"] = schema
            if kind in ("record", "error"):
                for field in schema["fields"]:
                    self._collect(field["type"], namespace)
            elif kind == "array":
                self._collect(schema["items"], namespace)
            elif kind == "map":
                self._collect(schema["values"], namespace)
            elif not isinstance(kind, str) or kind not in PRIMITIVES:
                self._collect(kind, namespace)

    def cardinality(self) -> int:
        """Largest number of alternatives at any choice point. O(1)."""
        return self.most

    def value(self, schema: Any, pick: _Pick, depth: int = 0) -> Any:
        """One value of ``schema``; choices come from ``pick``."""
        if isinstance(schema, list):
            branches = schema
            if depth >= _MAX_DEPTH and "null" in branches:
                return None
            return self.value(branches[pick(len(branches))], pick, depth + 1)
        if isinstance(schema, str):
            if schema in PRIMITIVES:
                return _primitive(schema, pick)
            return self.value(self.names[schema], pick, depth)
        kind = schema["type"]
        if kind in ("record", "error"):
            record = {}
            for field in schema["fields"]:
                if "default" in field and pick(2) == 0:
                    record[field["name"]] = _default(
                        field["type"], field["default"], self.names
                    )
                else:
                    record[field["name"]] = self.value(
                        field["type"], pick, depth + 1
                    )
            return record
        if kind == "enum":
            return schema["symbols"][pick(len(schema["symbols"]))]
        if kind == "fixed":
            return bytes([pick(256)]) * schema["size"]
        if kind in ("array", "map"):
            size = 0 if depth >= _MAX_DEPTH else pick(3)
            inner = schema["items" if kind == "array" else "values"]
            items = [self.value(inner, pick, depth + 1) for _ in range(size)]
            if kind == "array":
                return items
            return {f"k{i}": item for i, item in enumerate(items)}
        return _primitive(kind, pick)  # {"type": "long", "logicalType": ...}


class _Pick:
    """A choice function: ``pick(n)`` returns an index in ``range(n)``."""

    def __init__(self, k: int, rng: random.Random | None) -> None:
        self._k = k
        self._rng = rng

    def __call__(self, n: int) -> int:
        if self._rng is None:
            return self._k % n
        return self._rng.randrange(n)


def _primitive(kind: str, pick: _Pick) -> Any:
    if kind == "null":
        return None
    if kind == "boolean":
        return pick(2) == 1
    table: dict[str, Sequence[Any]] = {
        "int": _INTS,
        "long": _LONGS,
        "float": _FLOATS,
        "double": _DOUBLES,
        "string": _STRINGS,
        "bytes": _BYTES,
    }
    options = table[kind]
    return options[pick(len(options))]


def _default(schema: Any, value: Any, names: dict[str, Any]) -> Any:
    """Turn a JSON default into the value a writer takes.

    Defaults of bytes and fixed are JSON strings of code points 0-255; a
    union's default belongs to its first branch.
    """
    if isinstance(schema, list):
        return _default(schema[0], value, names)
    if isinstance(schema, str) and schema in names:
        return _default(names[schema], value, names)
    if isinstance(schema, dict) and schema["type"] not in _COMPLEX:
        return _default(schema["type"], value, names)
    kind = schema if isinstance(schema, str) else schema["type"]
    if kind in ("bytes", "fixed"):
        return str(value).encode("latin-1")
    if kind in ("record", "error"):
        return {
            f["name"]: _default(f["type"], value[f["name"]], names)
            if f["name"] in value
            else _default(f["type"], f["default"], names)
            for f in schema["fields"]
        }
    if kind == "array":
        return [_default(schema["items"], v, names) for v in value]
    if kind == "map":
        return {
            k: _default(schema["values"], v, names) for k, v in value.items()
        }
    return value


# --8<-- [start:samples]
def sample_records(
    schema: Any, *, random_records: int = 32, seed: int = 0
) -> list[Any]:
    """Generate records of ``schema`` that exercise its choice points.

    A deterministic round of ``c`` records (``c`` the largest number of
    alternatives anywhere: enum symbols, union branches, sample values)
    takes alternative ``k mod n`` at every choice point of record ``k``, so
    each enum symbol, each union branch and each field default shows up at
    least once at the top level; ``random_records`` more, drawn with a
    seeded generator, mix choices in nested positions.

    Args:
        schema: an Avro schema as parsed JSON (dict, list or str).
        random_records: number of extra seeded random records.
        seed: seed of the random records.

    Returns:
        ``c + random_records`` records, each valid for ``schema``.

    Complexity: O((c + r) * s) time and space for ``r`` random records and
    a schema of size ``s`` (nesting is cut off at a fixed depth).
    """
    gen = _Generator(schema)
    rng = random.Random(seed)
    rounds = gen.cardinality()
    picks = [_Pick(k, None) for k in range(rounds)]
    picks += [_Pick(0, rng) for _ in range(random_records)]
    return [gen.value(schema, pick) for pick in picks]


# --8<-- [end:samples]


# --8<-- [start:resolve]
def resolve(writer: Any, reader: Any, record: Any) -> Any:
    """Encode ``record`` with ``writer`` and decode it with ``reader``.

    This is Avro schema resolution as a consumer does it: the bytes carry
    no schema, the consumer knows the writer's (from the registry) and
    projects the data onto its own. O(size of the record).

    Raises:
        SchemaResolutionError: if ``reader`` cannot read ``writer``'s data.
    """
    return _resolve(_fa.parse_schema(writer), _fa.parse_schema(reader), record)


def _resolve(writer: Any, reader: Any, record: Any) -> Any:
    buffer = io.BytesIO()
    _fa.schemaless_writer(buffer, writer, record)
    buffer.seek(0)
    return _fa.schemaless_reader(buffer, writer, reader)


def can_read(
    reader: Any, writer: Any, records: Iterable[Any] | None = None
) -> tuple[Any, str] | None:
    """Find a record written with ``writer`` that ``reader`` cannot read.

    Args:
        reader: the consumer's schema.
        writer: the producer's schema.
        records: records of ``writer`` to try; by default
            ``sample_records(writer)``.

    Returns:
        ``None`` if every record decodes, else the first failing record
        and fastavro's reason. Bytes that are not UTF-8 count as a
        failure when read as a string: the Avro specification allows the
        bytes-to-string promotion, and Schema Registry accepts it, but
        such data cannot be decoded.

    Complexity: O(n * s) time for ``n`` records of size ``s``; O(s) space.
    """
    samples = sample_records(writer) if records is None else records
    parsed_writer = _fa.parse_schema(writer)
    parsed_reader = _fa.parse_schema(reader)
    for record in samples:
        try:
            _resolve(parsed_writer, parsed_reader, record)
        except (SchemaResolutionError, UnicodeDecodeError) as error:
            return record, str(error)
    return None


# --8<-- [end:resolve]


# --8<-- [start:check]
def check_compatibility(
    new: Any, history: Sequence[Any], level: Compatibility
) -> Verdict:
    """Check ``new`` against the subject's ``history`` like a registry.

    Non-transitive levels compare with the latest version only,
    transitive ones with every version. BACKWARD tries the new schema as
    reader of old data, FORWARD each old schema as reader of new data,
    FULL both.

    Args:
        new: the schema about to be registered.
        history: the registered versions, oldest first (version 1).
        level: the subject's compatibility level.

    Returns:
        A verdict listing every (writer, reader) pair that failed, with
        one failing record each.

    Complexity: O(v * n * s) time for ``v`` versions compared, ``n``
    samples per schema and records of size ``s``.
    """
    failures: list[Failure] = []
    if level is Compatibility.NONE or not history:
        return Verdict(level, ())
    new_version = len(history) + 1
    if level.name.endswith("_TRANSITIVE"):
        olds = list(enumerate(history, start=1))
    else:
        olds = [(len(history), history[-1])]
    backward = level.name.startswith(("BACKWARD", "FULL"))
    forward = level.name.startswith(("FORWARD", "FULL"))
    for version, old in olds:
        pairs = []
        if backward:  # new consumers, old data
            pairs.append((version, old, new_version, new))
        if forward:  # old consumers, new data
            pairs.append((new_version, new, version, old))
        for w_version, writer, r_version, reader in pairs:
            found = can_read(reader, writer)
            if found is not None:
                record, reason = found
                failures.append(Failure(w_version, r_version, record, reason))
    return Verdict(level, tuple(failures))


# --8<-- [end:check]
