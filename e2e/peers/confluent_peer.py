"""An independent peer for Kafka Desk's Schema Registry tests: Confluent's own serializers.

Reads ONE JSON request on stdin, writes ONE JSON answer on stdout (librdkafka's and Python's
diagnostics go to stderr; a failed request exits with status 1 and a traceback on stderr).

Requests
--------
Common fields: "bootstrap" ("host:port"), "registry" (URL), "registryAuth" ({"username",
"password"}, optional: HTTP basic auth), "topic", "format" ("avro" | "protobuf" | "json").
Value subjects follow Confluent's TopicNameStrategy: "<topic>-value".

{"op": "produce", ..., "schema": "<schema text>", "values": [<readable values>],
 "keys": [<string or null>, ...] (optional, same length as values),
 "references": [{"name", "subject", "version"?, "schema"}] (optional),
 "protoMessage": "pkg.Outer.Inner" (optional, protobuf: default the first message of the file)}
  -> {"produced": n, "schemaId": id}
  References are registered first, each under its subject with the request's format (Avro named
  types, JSON Schema "$ref" targets, Protobuf imports: "name" is the import path).
  Avro and JSON Schema: Confluent's serializer auto-registers the schema.
  Protobuf: the registry here takes only ".proto" text, so the schema is registered as text first
  and ProtobufSerializer runs with auto.register.schemas False and use.latest.version True; the
  message class comes from `protoc --descriptor_set_out --include_imports` (no generated code).
  A nested message type ("pkg.Outer.Inner") is framed with Confluent's helpers instead
  (`_create_index_array`, `prefix_schema_id_serializer`): ProtobufSerializer 2.16.1 cannot
  serialize nested types with use.latest.version.

{"op": "consume", ..., "count": n, "timeoutMs": 30000 (optional),
 protobuf only: "schema", "references", "protoMessage" as for produce (the class to decode into)}
  -> {"values": [...], "keys": [<string or null>], "schemaIds": [...]}
  Reads every partition from the beginning (no consumer group commits) until n messages came.

{"op": "bench-consume", "bootstrap", "registry", "topic", "count"? (default: all to the end)}
  -> {"count": n, "seconds": s}   Avro only; AvroDeserializer on every value, no conversion.

Readable value convention (what Kafka Desk's decoder shows; both directions)
----------------------------------------------------------------------------
Avro:
  null/boolean/string/float/double   as JSON
  int, long                          JSON numbers; a long outside +-(2^53-1) is a decimal string
                                     (a string is accepted for any long on input)
  bytes, fixed                       {"base64": "..."}
  enum                               its symbol
  array, map, record                 JSON array, JSON object, JSON object by field name
  union                              the plain value (no {"type": value} wrapper); on input the
                                     first branch the value fits is taken
  decimal (bytes/fixed)              decimal string with exactly `scale` fraction digits, "12.34"
  uuid                               its string
  date                               "YYYY-MM-DD"
  time-millis / time-micros          "HH:MM:SS.mmm" / "HH:MM:SS.uuuuuu"
  timestamp-millis / -micros         "YYYY-MM-DDTHH:MM:SS.mmmZ" / "YYYY-MM-DDTHH:MM:SS.uuuuuuZ" (UTC)
  local-timestamp-millis / -micros   the same without "Z"
Protobuf: Protobuf's JSON mapping with the .proto field names (not camelCase), fields at their
  default value included, int64/uint64 as strings, enums by name, bytes as base64,
  google.protobuf.Timestamp as RFC 3339 "...Z", Duration as "1.5s".
JSON Schema: the JSON document itself.
"""

import base64
import datetime as dt
import decimal
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import uuid

from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaException, Producer, TopicPartition
from confluent_kafka.schema_registry import (
    Schema,
    SchemaReference,
    SchemaRegistryClient,
    prefix_schema_id_serializer,
)
from confluent_kafka.schema_registry.common.protobuf import PROTOBUF_TYPE, _create_index_array
from confluent_kafka.schema_registry.common.serde import SchemaId
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.schema_registry.json_schema import JSONDeserializer, JSONSerializer
from confluent_kafka.schema_registry.protobuf import ProtobufDeserializer, ProtobufSerializer
from confluent_kafka.serialization import MessageField, SerializationContext
from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory

SAFE_INTEGER = 2**53 - 1
SCHEMA_TYPES = {"avro": "AVRO", "protobuf": "PROTOBUF", "json": "JSON"}


def registry_client(req):
    conf = {"url": req["registry"]}
    auth = req.get("registryAuth")
    if auth:
        conf["basic.auth.user.info"] = f"{auth['username']}:{auth['password']}"
    return SchemaRegistryClient(conf)


def value_subject(topic):
    return f"{topic}-value"


def schema_id_of(framed):
    """The id in Confluent's wire format: magic byte 0, then a 4-byte big-endian schema id."""
    if not framed or framed[0] != 0 or len(framed) < 5:
        return None
    return int.from_bytes(framed[1:5], "big")


def register_references(client, req):
    """Registers each reference under its subject; returns SchemaReference objects with versions."""
    refs = []
    for ref in req.get("references") or []:
        schema = Schema(ref["schema"], SCHEMA_TYPES[req["format"]])
        client.register_schema(ref["subject"], schema)
        version = ref.get("version") or client.lookup_schema(ref["subject"], schema).version
        refs.append(SchemaReference(ref["name"], ref["subject"], version))
    return refs


# --- Avro: readable JSON <-> the Python objects fastavro reads and writes -----------------------

PRIMITIVES = {"null", "boolean", "int", "long", "float", "double", "bytes", "string"}
NAMED_KINDS = {"record", "enum", "fixed", "error"}


class Mismatch(ValueError):
    """The value does not fit the schema (for unions: try the next branch)."""


class AvroTypes:
    """Named types (records, enums, fixed) by full name, so references like "Money" resolve."""

    def __init__(self):
        self.named = {}

    def collect(self, schema, ns=""):
        if isinstance(schema, list):
            for branch in schema:
                self.collect(branch, ns)
        elif isinstance(schema, dict):
            kind = schema.get("type")
            if kind in NAMED_KINDS:
                full, ns = self.full_name(schema, ns)
                self.named[full] = (schema, ns)
                for field in schema.get("fields", []):
                    self.collect(field["type"], ns)
            elif kind == "array":
                self.collect(schema["items"], ns)
            elif kind == "map":
                self.collect(schema["values"], ns)
            elif isinstance(kind, (dict, list)):
                self.collect(kind, ns)

    @staticmethod
    def full_name(schema, ns):
        name = schema["name"]
        if "." in name:
            return name, name.rsplit(".", 1)[0]
        ns = schema.get("namespace", ns) or ""
        return (f"{ns}.{name}" if ns else name), ns

    def resolve(self, schema, ns):
        """(schema node, its namespace) with names looked up; primitives become {"type": name}."""
        if isinstance(schema, str):
            if schema in PRIMITIVES:
                return {"type": schema}, ns
            for candidate in (f"{ns}.{schema}" if ns and "." not in schema else None, schema):
                if candidate and candidate in self.named:
                    return self.named[candidate]
            raise ValueError(f"unknown Avro type {schema!r}")
        if isinstance(schema, dict):
            kind = schema.get("type")
            if kind in NAMED_KINDS:
                return schema, self.full_name(schema, ns)[1]
            if isinstance(kind, (dict, list)) or (isinstance(kind, str) and kind not in PRIMITIVES | {"array", "map"}):
                inner, inner_ns = self.resolve(kind, ns)
                return ({**inner, "logicalType": schema["logicalType"]} if "logicalType" in schema else inner), inner_ns
        return schema, ns


def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def expect(ok, what, v):
    if not ok:
        raise Mismatch(f"expected {what}, got {json.dumps(v, default=str)[:80]}")


def parse_base64(v):
    expect(isinstance(v, dict) and set(v) == {"base64"} and isinstance(v["base64"], str), '{"base64": ...}', v)
    return base64.b64decode(v["base64"], validate=True)


def parse_time(v, digits):
    expect(isinstance(v, str) and re.fullmatch(rf"\d\d:\d\d:\d\d\.\d{{{digits}}}", v), f"HH:MM:SS.{'f' * digits}", v)
    return dt.time.fromisoformat(v)


def parse_timestamp(v, digits, utc):
    suffix = "Z" if utc else ""
    pattern = rf"\d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{{{digits}}}{suffix}"
    expect(isinstance(v, str) and re.fullmatch(pattern, v), f"YYYY-MM-DDTHH:MM:SS.{'f' * digits}{suffix}", v)
    parsed = dt.datetime.fromisoformat(v[:-1] if utc else v)
    return parsed.replace(tzinfo=dt.timezone.utc) if utc else parsed


def to_avro(types, schema, v, ns=""):
    """Readable JSON value -> what fastavro writes for `schema`; raises Mismatch if it does not fit."""
    if isinstance(schema, list):
        errors = []
        for branch in schema:
            try:
                return to_avro(types, branch, v, ns)
            except Mismatch as e:
                errors.append(str(e))
        raise Mismatch(f"no union branch fits ({'; '.join(errors)})")
    node, ns = types.resolve(schema, ns)
    kind, logical = node["type"], node.get("logicalType")
    if kind == "null":
        expect(v is None, "null", v)
        return None
    if kind == "boolean":
        expect(isinstance(v, bool), "a boolean", v)
        return v
    if kind in ("int", "long"):
        if logical == "date":
            expect(isinstance(v, str) and re.fullmatch(r"\d{4}-\d\d-\d\d", v), "YYYY-MM-DD", v)
            return dt.date.fromisoformat(v)
        if logical in ("time-millis", "time-micros"):
            return parse_time(v, 3 if logical == "time-millis" else 6)
        if logical in ("timestamp-millis", "timestamp-micros", "local-timestamp-millis", "local-timestamp-micros"):
            return parse_timestamp(v, 3 if logical.endswith("millis") else 6, not logical.startswith("local"))
        if kind == "long" and isinstance(v, str):
            expect(re.fullmatch(r"-?\d+", v), "an integer", v)
            return int(v)
        expect(is_int(v), "an integer", v)
        return v
    if kind in ("float", "double"):
        expect(isinstance(v, (int, float)) and not isinstance(v, bool), "a number", v)
        return float(v)
    if kind == "string":
        expect(isinstance(v, str), "a string", v)
        if logical == "uuid":
            try:
                return uuid.UUID(v)
            except ValueError as e:
                raise Mismatch(f"expected a UUID, got {v!r}") from e
        return v
    if kind in ("bytes", "fixed"):
        if logical == "decimal":
            expect(isinstance(v, str) and re.fullmatch(r"-?\d+(\.\d+)?", v), "a decimal string", v)
            return decimal.Decimal(v)
        raw = parse_base64(v)
        if kind == "fixed":
            expect(len(raw) == node["size"], f"{node['size']} bytes", v)
        return raw
    if kind == "enum":
        expect(isinstance(v, str) and v in node["symbols"], f"one of {node['symbols']}", v)
        return v
    if kind == "array":
        expect(isinstance(v, list), "an array", v)
        return [to_avro(types, node["items"], item, ns) for item in v]
    if kind == "map":
        expect(isinstance(v, dict), "an object", v)
        return {k: to_avro(types, node["values"], item, ns) for k, item in v.items()}
    if kind in ("record", "error"):
        expect(isinstance(v, dict), "an object", v)
        names = {f["name"] for f in node["fields"]}
        expect(set(v) <= names, f"only the fields {sorted(names)}", v)
        out = {}
        for field in node["fields"]:
            if field["name"] in v:
                out[field["name"]] = to_avro(types, field["type"], v[field["name"]], ns)
            else:
                expect("default" in field, f"the field {field['name']!r}", v)
        return out
    raise ValueError(f"unsupported Avro type {kind!r}")


def fits(types, schema, v, ns):
    """Does a value fastavro read belong to this union branch?"""
    node, ns = types.resolve(schema, ns)
    kind, logical = node["type"], node.get("logicalType")
    if kind == "null":
        return v is None
    if kind == "boolean":
        return isinstance(v, bool)
    if kind in ("int", "long"):
        if logical == "date":
            return type(v) is dt.date
        if logical in ("time-millis", "time-micros"):
            return isinstance(v, dt.time)
        if logical in ("timestamp-millis", "timestamp-micros"):
            return isinstance(v, dt.datetime) and v.tzinfo is not None
        if logical in ("local-timestamp-millis", "local-timestamp-micros"):
            return isinstance(v, dt.datetime) and v.tzinfo is None
        return is_int(v)
    if kind in ("float", "double"):
        return isinstance(v, float)
    if kind == "string":
        return isinstance(v, uuid.UUID) if logical == "uuid" else isinstance(v, str)
    if kind in ("bytes", "fixed"):
        return isinstance(v, decimal.Decimal) if logical == "decimal" else isinstance(v, bytes)
    if kind == "enum":
        return isinstance(v, str) and v in node["symbols"]
    if kind == "array":
        return isinstance(v, list)
    if kind == "map":
        return isinstance(v, dict)
    if kind in ("record", "error"):
        return isinstance(v, dict) and set(v) == {f["name"] for f in node["fields"]}
    return False


def clock(t, digits):
    fraction = f"{t.microsecond // 1000:03d}" if digits == 3 else f"{t.microsecond:06d}"
    return f"{t.hour:02d}:{t.minute:02d}:{t.second:02d}.{fraction}"


def from_avro(types, schema, v, ns=""):
    """A value fastavro read -> the readable JSON convention (see the header)."""
    if isinstance(schema, list):
        for branch in schema:
            if fits(types, branch, v, ns):
                return from_avro(types, branch, v, ns)
        raise ValueError(f"no union branch of {schema} fits {v!r}")
    node, ns = types.resolve(schema, ns)
    kind, logical = node["type"], node.get("logicalType")
    if kind in ("int", "long"):
        if logical == "date":
            return v.isoformat()
        if logical in ("time-millis", "time-micros"):
            return clock(v, 3 if logical == "time-millis" else 6)
        if logical and "timestamp" in logical:
            utc = not logical.startswith("local")
            if utc:
                v = v.astimezone(dt.timezone.utc)
            day = f"{v.year:04d}-{v.month:02d}-{v.day:02d}"
            return f"{day}T{clock(v, 3 if logical.endswith('millis') else 6)}{'Z' if utc else ''}"
        return v if abs(v) <= SAFE_INTEGER else str(v)
    if kind in ("float", "double"):
        if v != v or v in (float("inf"), float("-inf")):
            raise ValueError(f"{v} has no JSON form")
        return v
    if kind == "string":
        return str(v)
    if kind in ("bytes", "fixed"):
        if logical == "decimal":
            scale = node.get("scale", 0)
            return format(v.quantize(decimal.Decimal(1).scaleb(-scale)), "f")
        return {"base64": base64.b64encode(v).decode("ascii")}
    if kind == "array":
        return [from_avro(types, node["items"], item, ns) for item in v]
    if kind == "map":
        return {k: from_avro(types, node["values"], item, ns) for k, item in v.items()}
    if kind in ("record", "error"):
        return {f["name"]: from_avro(types, f["type"], v[f["name"]], ns) for f in node["fields"]}
    return v  # null, boolean, enum


def avro_types_for(client, schema, seen=None):
    """Named types of a registered schema and, recursively, of its references."""
    types = AvroTypes() if seen is None else seen
    for ref in schema.references or []:
        avro_types_for(client, client.get_version(ref.subject, ref.version).schema, types)
    types.collect(json.loads(schema.schema_str))
    return types


# --- Protobuf: a message class from .proto text, without generated code ------------------------


def proto_message_class(req, workdir):
    """Compiles the request's .proto files with protoc into a descriptor set; returns the message class."""
    files = {ref["name"]: ref["schema"] for ref in req.get("references") or []}
    main = "kafka_desk_peer_main.proto"
    files[main] = req["schema"]
    for name, text in files.items():
        target = os.path.join(workdir, name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "w", encoding="utf-8") as f:
            f.write(text)
    out = os.path.join(workdir, "descriptors.pb")
    try:
        subprocess.run(
            ["protoc", f"-I{workdir}", "--include_imports", f"--descriptor_set_out={out}", main],
            cwd=workdir,
            check=True,
            capture_output=True,
            text=True,
        )
    except FileNotFoundError as e:
        raise RuntimeError("protoc is not installed (Debian: protobuf-compiler)") from e
    except subprocess.CalledProcessError as e:
        raise RuntimeError(f"protoc failed: {e.stderr}") from e
    fds = descriptor_pb2.FileDescriptorSet()
    with open(out, "rb") as f:
        fds.ParseFromString(f.read())
    pool = descriptor_pool.DescriptorPool()
    for fdp in fds.file:  # --include_imports lists dependencies first
        pool.Add(fdp)
    name = req.get("protoMessage")
    if not name:
        main_fd = pool.FindFileByName(main)
        name = main_fd.message_types_by_name[list(main_fd.message_types_by_name)[0]].full_name
    return message_factory.GetMessageClass(pool.FindMessageTypeByName(name))


def proto_to_readable(msg):
    return json_format.MessageToDict(msg, preserving_proto_field_name=True, always_print_fields_with_no_presence=True)


# --- the requests -------------------------------------------------------------------------------


def produce(req):
    fmt, topic = req["format"], req["topic"]
    values = req["values"]
    keys = req.get("keys") or [None] * len(values)
    if len(keys) != len(values):
        raise ValueError("keys and values differ in length")
    # registration goes through its own client: a client that registered a .proto as text would
    # later hand its cached text to the serializer where it expects the registry's serialized form
    setup = registry_client(req)
    refs = register_references(setup, req)
    client = registry_client(req)
    ctx = SerializationContext(topic, MessageField.VALUE)
    workdir = tempfile.TemporaryDirectory(prefix="kafka-desk-peer-")
    if fmt == "avro":
        schema = Schema(req["schema"], "AVRO", refs)
        types = AvroTypes()
        for ref in req.get("references") or []:
            types.collect(json.loads(ref["schema"]))
        types.collect(json.loads(req["schema"]))
        serializer = AvroSerializer(schema_registry_client=client, schema_str=schema)
        encoded = [serializer(to_avro(types, json.loads(req["schema"]), v), ctx) for v in values]
    elif fmt == "json":
        serializer = JSONSerializer(schema_str=Schema(req["schema"], "JSON", refs), schema_registry_client=client)
        encoded = [serializer(v, ctx) for v in values]
    elif fmt == "protobuf":
        cls = proto_message_class(req, workdir.name)
        setup.register_schema(value_subject(topic), Schema(req["schema"], "PROTOBUF", refs))
        messages = [json_format.ParseDict(v, cls()) for v in values]
        if cls.DESCRIPTOR.containing_type is None:
            serializer = ProtobufSerializer(
                msg_type=cls,
                schema_registry_client=client,
                conf={"auto.register.schemas": False, "use.latest.version": True},
            )
            encoded = [serializer(m, ctx) for m in messages]
        else:
            # ProtobufSerializer looks a nested type up among the file's top-level messages and
            # fails (KeyError); Confluent's own framing helpers still write id and message indexes
            latest = client.get_latest_version(value_subject(topic))
            sid = SchemaId(PROTOBUF_TYPE, latest.schema_id, latest.guid, _create_index_array(cls.DESCRIPTOR))
            encoded = [prefix_schema_id_serializer(m.SerializeToString(), ctx, sid) for m in messages]
    else:
        raise ValueError(f"unknown format {fmt!r}")
    workdir.cleanup()

    failures = []
    producer = Producer({"bootstrap.servers": req["bootstrap"], "linger.ms": 5, "enable.idempotence": True})
    for key, value in zip(keys, encoded):
        producer.produce(
            topic,
            value=value,
            key=None if key is None else key.encode("utf-8"),
            on_delivery=lambda err, _msg: err and failures.append(str(err)),
        )
        producer.poll(0)
    remaining = producer.flush(30)
    if failures or remaining:
        raise RuntimeError(f"produce failed: {failures or f'{remaining} message(s) not delivered'}")
    return {"produced": len(encoded), "schemaId": schema_id_of(encoded[0]) if encoded else None}


def assigned_consumer(req):
    consumer = Consumer(
        {
            "bootstrap.servers": req["bootstrap"],
            "group.id": f"kafka-desk-peer-{uuid.uuid4()}",
            "enable.auto.commit": False,
            "auto.offset.reset": "earliest",
        }
    )
    topic = req["topic"]
    meta = consumer.list_topics(topic, timeout=10).topics[topic]
    if meta.error is not None:
        raise KafkaException(meta.error)
    partitions = [TopicPartition(topic, p, OFFSET_BEGINNING) for p in sorted(meta.partitions)]
    consumer.assign(partitions)
    return consumer, partitions


def consume(req):
    fmt, topic, count = req["format"], req["topic"], req["count"]
    client = registry_client(req)
    if fmt == "avro":
        deserializer = AvroDeserializer(schema_registry_client=client)
        types_by_id = {}

        def readable(raw, decoded):
            sid = schema_id_of(raw)
            if sid not in types_by_id:
                schema = client.get_schema(sid)
                types_by_id[sid] = (avro_types_for(client, schema), json.loads(schema.schema_str))
            types, schema = types_by_id[sid]
            return from_avro(types, schema, decoded)

    elif fmt == "json":
        deserializer = JSONDeserializer(schema_str=None, schema_registry_client=client)

        def readable(_raw, decoded):
            return decoded

    elif fmt == "protobuf":
        workdir = tempfile.TemporaryDirectory(prefix="kafka-desk-peer-")
        cls = proto_message_class(req, workdir.name)
        workdir.cleanup()
        deserializer = ProtobufDeserializer(message_type=cls, conf={}, schema_registry_client=client)

        def readable(_raw, decoded):
            return proto_to_readable(decoded)

    else:
        raise ValueError(f"unknown format {fmt!r}")

    consumer, _ = assigned_consumer(req)
    deadline = time.monotonic() + req.get("timeoutMs", 30_000) / 1000
    values, keys, ids = [], [], []
    try:
        while len(values) < count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"only {len(values)} of {count} messages arrived from {topic}")
            msg = consumer.poll(0.5)
            if msg is None:
                continue
            if msg.error():
                raise KafkaException(msg.error())
            raw = msg.value()
            ctx = SerializationContext(topic, MessageField.VALUE, msg.headers())
            values.append(readable(raw, deserializer(raw, ctx)))
            keys.append(None if msg.key() is None else msg.key().decode("utf-8", "replace"))
            ids.append(schema_id_of(raw))
    finally:
        consumer.close()
    return {"values": values, "keys": keys, "schemaIds": ids}


def bench_consume(req):
    topic = req["topic"]
    deserializer = AvroDeserializer(schema_registry_client=registry_client(req))
    consumer, partitions = assigned_consumer(req)
    ends = {}
    for tp in partitions:
        low, high = consumer.get_watermark_offsets(TopicPartition(topic, tp.partition), timeout=10)
        if high > low:
            ends[tp.partition] = high
    total = sum(ends.values())  # an upper bound; exact once low watermarks are 0
    limit = req.get("count") or total
    count = 0
    started = time.perf_counter()
    try:
        while count < limit and ends:
            for msg in consumer.consume(num_messages=1000, timeout=1.0):
                if msg.error():
                    raise KafkaException(msg.error())
                deserializer(msg.value(), SerializationContext(topic, MessageField.VALUE))
                count += 1
                if msg.offset() + 1 >= ends.get(msg.partition(), 0):
                    ends.pop(msg.partition(), None)
                if count >= limit:
                    break
    finally:
        seconds = time.perf_counter() - started
        consumer.close()
    return {"count": count, "seconds": seconds}


OPS = {"produce": produce, "consume": consume, "bench-consume": bench_consume}


def main():
    req = json.load(sys.stdin)
    op = OPS.get(req.get("op"))
    if op is None:
        raise ValueError(f"unknown op {req.get('op')!r}; one of {sorted(OPS)}")
    json.dump(op(req), sys.stdout, allow_nan=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
