"""streamlab.schemas: known schema changes, transitivity, and properties."""

from __future__ import annotations

from typing import Any

import fastavro
import pytest
from fastavro.read import SchemaResolutionError
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlab.schemas import (
    Compatibility,
    Failure,
    Verdict,
    can_read,
    check_compatibility,
    resolve,
    sample_records,
)

B = Compatibility.BACKWARD
F = Compatibility.FORWARD
FULL = Compatibility.FULL


def user(*fields: dict[str, Any]) -> dict[str, Any]:
    return {"type": "record", "name": "User", "fields": list(fields)}


ID = {"name": "id", "type": "long"}
NAME = {"name": "name", "type": "string"}
EMAIL = {"name": "email", "type": ["null", "string"], "default": None}
AGE = {"name": "age", "type": "int"}
V1 = user(ID, NAME)


def verdicts(old: Any, new: Any) -> tuple[bool, bool]:
    """(backward, forward) of ``new`` after ``old``."""
    back = check_compatibility(new, [old], B).compatible
    fwd = check_compatibility(new, [old], F).compatible
    full = check_compatibility(new, [old], FULL).compatible
    assert full == (back and fwd)
    return back, fwd


E2 = {"type": "enum", "name": "Tier", "symbols": ["FREE", "PRO"]}
E3 = {"type": "enum", "name": "Tier", "symbols": ["FREE", "PRO", "TEAM"]}


@pytest.mark.parametrize(
    ("old", "new", "backward", "forward"),
    [
        pytest.param(V1, user(ID, NAME, EMAIL), True, True, id="add-default"),
        pytest.param(V1, user(ID, NAME, AGE), False, True, id="add-required"),
        pytest.param(
            user(ID, NAME, EMAIL), V1, True, True, id="remove-with-default"
        ),
        pytest.param(V1, user(ID), True, False, id="remove-required"),
        pytest.param(
            V1,
            user(
                ID, {"name": "full_name", "type": "string", "aliases": ["name"]}
            ),
            True,
            False,
            id="rename-with-alias",
        ),
        pytest.param(
            V1,
            user(ID, {"name": "full_name", "type": "string"}),
            False,
            False,
            id="rename-without-alias",
        ),
        pytest.param(
            user({"name": "id", "type": "int"}),
            user(ID),
            True,
            False,
            id="widen",
        ),
        pytest.param(
            user(ID),
            user({"name": "id", "type": "int"}),
            False,
            True,
            id="narrow",
        ),
        pytest.param(
            user({"name": "tier", "type": E2}),
            user({"name": "tier", "type": E3}),
            True,
            False,
            id="add-enum-symbol",
        ),
        pytest.param(
            user({"name": "tier", "type": dict(E2, default="FREE")}),
            user({"name": "tier", "type": dict(E3, default="FREE")}),
            True,
            True,
            id="add-symbol-reader-default",
        ),
        pytest.param(
            V1,
            user(ID, {"name": "name", "type": "int"}),
            False,
            False,
            id="type",
        ),
        pytest.param(
            V1,
            user(ID, {"name": "name", "type": "bytes"}),
            True,
            False,
            id="string-to-bytes",
        ),
        pytest.param(
            V1,
            user(ID, {"name": "name", "type": ["null", "string"]}),
            True,
            False,
            id="make-nullable",
        ),
    ],
)
def test_known_changes(
    old: Any, new: Any, backward: bool, forward: bool
) -> None:
    assert verdicts(old, new) == (backward, forward)


def test_a_failure_names_versions_and_a_record_that_really_fails() -> None:
    new = user(ID, NAME, AGE)
    verdict = check_compatibility(new, [V1], Compatibility.FULL)
    assert not verdict.compatible
    assert verdict.level is Compatibility.FULL
    [failure] = verdict.failures
    assert (failure.writer_version, failure.reader_version) == (1, 2)
    assert "age" in failure.reason
    with pytest.raises(SchemaResolutionError):
        resolve(V1, new, failure.record)


# A history where each step is backward compatible but the chain is not:
# v2 drops `name`, v3 brings it back as an int with a default.
HISTORY = [V1, user(ID)]
V3 = user(ID, {"name": "name", "type": "int", "default": 0})


def test_transitive_checks_every_version_not_just_the_last() -> None:
    assert check_compatibility(HISTORY[1], HISTORY[:1], B).compatible
    assert check_compatibility(V3, HISTORY, B).compatible
    verdict = check_compatibility(
        V3, HISTORY, Compatibility.BACKWARD_TRANSITIVE
    )
    assert [(f.writer_version, f.reader_version) for f in verdict.failures] == [
        (1, 3)
    ]
    full = check_compatibility(V3, HISTORY, Compatibility.FULL_TRANSITIVE)
    pairs = {(f.writer_version, f.reader_version) for f in full.failures}
    assert pairs == {(1, 3), (3, 1)}
    assert check_compatibility(V3, HISTORY, Compatibility.FULL).compatible


def test_forward_transitive() -> None:
    # v2 gives `score` a default, v3 drops it: v2 readers fill the default,
    # but v1 readers, with `score` required, cannot read v3 data.
    v1 = user(ID, {"name": "score", "type": "int"})
    v2 = user(ID, {"name": "score", "type": "int", "default": 0})
    v3 = user(ID)
    fwd = Compatibility.FORWARD
    assert check_compatibility(v3, [v1, v2], fwd).compatible
    verdict = check_compatibility(
        v3, [v1, v2], Compatibility.FORWARD_TRANSITIVE
    )
    assert [(f.writer_version, f.reader_version) for f in verdict.failures] == [
        (3, 1)
    ]


def test_none_and_empty_history_accept_anything() -> None:
    other = {"type": "string"}
    assert check_compatibility(other, [V1], Compatibility.NONE) == Verdict(
        Compatibility.NONE, ()
    )
    assert check_compatibility(other, [], Compatibility.FULL).compatible


def test_union_branch_only_fails_on_the_branch_it_misses() -> None:
    nullable = user({"name": "name", "type": ["null", "string"]})
    plain = user(NAME)
    assert can_read(plain, nullable, [{"name": "x"}]) is None
    found = can_read(plain, nullable)
    assert found is not None
    assert found[0] == {"name": None}


def test_samples_cover_symbols_branches_and_defaults() -> None:
    schema = {
        "type": "record",
        "name": "Event",
        "namespace": "shop",
        "fields": [
            {"name": "tier", "type": E3},
            {"name": "again", "type": "shop.Tier"},
            {"name": "note", "type": ["null", "string", "long"]},
            {"name": "blob", "type": "bytes", "default": "\u00ff"},
            {
                "name": "hash",
                "type": {"type": "fixed", "name": "H", "size": 2},
                "default": "ab",
            },
            {"name": "tags", "type": {"type": "array", "items": "string"}},
            {"name": "attrs", "type": {"type": "map", "values": "int"}},
            {"name": "at", "type": {"type": "long", "logicalType": "x"}},
            {"name": "ok", "type": "boolean"},
            {"name": "w", "type": "float"},
            {"name": "d", "type": "double"},
            {
                "name": "inner",
                "type": {
                    "type": "record",
                    "name": "Inner",
                    "fields": [
                        {
                            "name": "xs",
                            "type": {"type": "array", "items": "int"},
                        }
                    ],
                },
                "default": {"xs": [1]},
            },
            {
                "name": "m",
                "type": {"type": "map", "values": "bytes"},
                "default": {"a": "b"},
            },
            {"name": "u", "type": ["null", "Inner"], "default": None},
            {"name": "ref", "type": "shop.H", "default": "cd"},
            {"name": "ts", "type": {"type": "long"}, "default": 5},
        ],
    }
    records = sample_records(schema, random_records=8)
    parsed = fastavro.parse_schema(schema)
    for record in records:
        assert fastavro.validate(record, parsed)
    assert {r["tier"] for r in records} == set(E3["symbols"])
    assert {type(r["note"]) for r in records} == {type(None), str, int}
    assert b"\xff" in {r["blob"] for r in records}
    assert b"ab" in {r["hash"] for r in records}
    assert {"xs": [1]} in [r["inner"] for r in records]
    assert {"a": b"b"} in [r["m"] for r in records]
    assert {b"cd", b"\x01\x01"} <= {r["ref"] for r in records}
    assert any(r["tags"] for r in records)
    assert sample_records(schema, seed=3) == sample_records(schema, seed=3)


def test_recursive_schemas_terminate() -> None:
    node = {
        "type": "record",
        "name": "Node",
        "fields": [
            {"name": "next", "type": ["Node", "null"]},
            {"name": "kids", "type": {"type": "array", "items": "Node"}},
        ],
    }
    records = sample_records(node, random_records=20, seed=1)
    parsed = fastavro.parse_schema(node)
    assert all(fastavro.validate(r, parsed) for r in records)
    assert can_read(node, node) is None


def test_error_type_and_top_level_union() -> None:
    err = {"type": "error", "name": "Oops", "fields": [NAME]}
    union = ["null", err, E2]
    records = sample_records(union, random_records=0)
    kinds = {type(r).__name__ for r in records}
    assert kinds == {"NoneType", "dict", "str"}
    assert can_read(union, union) is None


# Properties: verdicts agree with a rule oracle from the Avro specification
# on flat records, and with decoding independently seeded records.

TYPES: dict[str, Any] = {
    "int": "int",
    "long": "long",
    "float": "float",
    "double": "double",
    "string": "string",
    "bytes": "bytes",
    "opt": ["null", "string"],
    "e2": E2,
    "e3": E3,
}
DEFAULTS = {
    "int": 0,
    "long": 0,
    "float": 0.0,
    "double": 0.0,
    "string": "",
    "bytes": "",
    "opt": None,
    "e2": "FREE",
    "e3": "FREE",
}
PROMOTIONS = {
    ("int", "long"),
    ("int", "float"),
    ("int", "double"),
    ("long", "float"),
    ("long", "double"),
    ("float", "double"),
    ("string", "bytes"),
    ("e2", "e3"),
    ("string", "opt"),
}
# bytes -> string is a legal promotion in the Avro specification, but
# bytes that are not UTF-8 cannot be read as a string: decoding says no.


def readable(writer_type: str, reader_type: str) -> bool:
    return (
        writer_type == reader_type or (writer_type, reader_type) in PROMOTIONS
    )


FIELD = st.tuples(st.sampled_from(sorted(TYPES)), st.booleans())
SCHEMA = st.dictionaries(st.sampled_from(["a", "b", "c"]), FIELD, max_size=3)


def build(fields: dict[str, tuple[str, bool]]) -> dict[str, Any]:
    out = []
    for name, (kind, has_default) in sorted(fields.items()):
        schema = TYPES[kind]
        if isinstance(schema, dict):  # one enum type per field
            schema = dict(schema, name=f"Tier_{name}")
        field: dict[str, Any] = {"name": name, "type": schema}
        if has_default:
            field["default"] = DEFAULTS[kind]
        out.append(field)
    return user(*out)


def oracle(
    writer: dict[str, tuple[str, bool]], reader: dict[str, tuple[str, bool]]
) -> bool:
    for name, (kind, has_default) in reader.items():
        if name in writer:
            if not readable(writer[name][0], kind):
                return False
        elif not has_default:
            return False
    return True


@settings(max_examples=200, deadline=None)
@given(SCHEMA, SCHEMA, st.integers(min_value=1, max_value=10**6))
def test_verdict_agrees_with_rules_and_with_decoding(
    writer: dict[str, tuple[str, bool]],
    reader: dict[str, tuple[str, bool]],
    seed: int,
) -> None:
    w, r = build(writer), build(reader)
    found = can_read(r, w)
    assert (found is None) == oracle(writer, reader)
    if found is None:
        for record in sample_records(w, random_records=8, seed=seed):
            resolve(w, r, record)
    else:
        with pytest.raises((SchemaResolutionError, UnicodeDecodeError)):
            resolve(w, r, found[0])
    verdict = check_compatibility(r, [w], B)
    assert verdict.compatible == (found is None)
    assert all(isinstance(f, Failure) for f in verdict.failures)
