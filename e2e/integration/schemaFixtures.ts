/**
 * Schemas and values the cross-checks with Confluent's serializers share (confluentPeer.test.ts: the
 * peer alone; schemaCrossCheck.test.ts: the peer against Kafka Desk), in the readable JSON form both
 * sides write and read (the convention is in e2e/peers/confluent_peer.py's header).
 */

/** Every Avro logical type, a union, an enum, a map, an array of records, fixed and bytes. */
export const avroSchema = {
  type: 'record',
  name: 'Order',
  namespace: 'peer.avro',
  fields: [
    { name: 'id', type: { type: 'string', logicalType: 'uuid' } },
    { name: 'amount', type: { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 } },
    {
      name: 'fixedAmount',
      type: { type: 'fixed', name: 'Amount', size: 8, logicalType: 'decimal', precision: 12, scale: 3 },
    },
    { name: 'day', type: { type: 'int', logicalType: 'date' } },
    { name: 'timeMillis', type: { type: 'int', logicalType: 'time-millis' } },
    { name: 'timeMicros', type: { type: 'long', logicalType: 'time-micros' } },
    { name: 'tsMillis', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'tsMicros', type: { type: 'long', logicalType: 'timestamp-micros' } },
    { name: 'localMillis', type: { type: 'long', logicalType: 'local-timestamp-millis' } },
    { name: 'localMicros', type: { type: 'long', logicalType: 'local-timestamp-micros' } },
    { name: 'big', type: 'long' },
    { name: 'ratio', type: 'double' },
    { name: 'paid', type: 'boolean' },
    { name: 'note', type: ['null', 'string'], default: null },
    { name: 'status', type: { type: 'enum', name: 'Status', symbols: ['NEW', 'PAID', 'SHIPPED'] } },
    { name: 'previous', type: ['null', 'Status'], default: null },
    { name: 'tags', type: { type: 'map', values: 'int' } },
    {
      name: 'lines',
      type: {
        type: 'array',
        items: {
          type: 'record',
          name: 'Line',
          fields: [
            { name: 'sku', type: 'string' },
            { name: 'qty', type: 'int' },
          ],
        },
      },
    },
    { name: 'hash', type: { type: 'fixed', name: 'Hash', size: 4 } },
    { name: 'raw', type: 'bytes' },
  ],
};

export const avroValues = [
  {
    id: '6f1c8e3a-2b4d-4c5e-9f7a-1b2c3d4e5f60',
    amount: '12.34',
    fixedAmount: '-1.500',
    day: '2024-02-29',
    timeMillis: '13:14:15.123',
    timeMicros: '13:14:15.123456',
    tsMillis: '2024-02-29T13:14:15.123Z',
    tsMicros: '1969-12-31T23:59:59.999999Z',
    localMillis: '2024-02-29T13:14:15.123',
    localMicros: '2024-02-29T13:14:15.123456',
    big: '9223372036854775807',
    ratio: 0.25,
    paid: true,
    note: 'leave at the door',
    status: 'PAID',
    previous: 'NEW',
    tags: { gift: 1, rush: -2 },
    lines: [
      { sku: 'A-1', qty: 2 },
      { sku: 'B-2', qty: 1 },
    ],
    hash: { base64: '3q2+7w==' },
    raw: { base64: 'AQID' },
  },
  {
    id: '00000000-0000-0000-0000-000000000000',
    amount: '0.00',
    fixedAmount: '0.000',
    day: '1970-01-01',
    timeMillis: '00:00:00.000',
    timeMicros: '23:59:59.999999',
    tsMillis: '1970-01-01T00:00:00.000Z',
    tsMicros: '2024-01-01T00:00:00.000001Z',
    localMillis: '1970-01-01T00:00:00.000',
    localMicros: '1970-01-01T00:00:00.000000',
    big: -42,
    ratio: -1.5,
    paid: false,
    note: null,
    status: 'SHIPPED',
    previous: null,
    tags: {},
    lines: [],
    hash: { base64: 'AAAAAA==' },
    raw: { base64: '' },
  },
];

export const jsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Customer',
  type: 'object',
  properties: {
    id: { type: 'integer' },
    name: { type: 'string' },
    email: { type: ['string', 'null'] },
    tags: { type: 'array', items: { type: 'string' } },
    address: {
      type: 'object',
      properties: { city: { type: 'string' }, zip: { type: 'string' } },
      required: ['city'],
    },
  },
  required: ['id', 'name'],
  additionalProperties: false,
};

export const jsonValues = [
  { id: 1, name: 'Ada', email: 'ada@example.com', tags: ['vip'], address: { city: 'London', zip: 'N1' } },
  { id: 2, name: 'Linus', email: null, tags: [] },
];

/** Protobuf: an imported file, and one that imports it and Google's well-known types, with a nested type. */
export const money = [
  'syntax = "proto3";',
  'package peer.common;',
  '',
  'message Money {',
  '  string currency = 1;',
  '  int64 units = 2;',
  '  int32 nanos = 3;',
  '}',
  '',
].join('\n');

export const shop = [
  'syntax = "proto3";',
  'package peer.shop;',
  '',
  'import "peer/common/money.proto";',
  'import "google/protobuf/timestamp.proto";',
  'import "google/protobuf/duration.proto";',
  '',
  'message Header {',
  '  string trace = 1;',
  '}',
  '',
  'message Order {',
  '  enum Status {',
  '    STATUS_UNSPECIFIED = 0;',
  '    PAID = 1;',
  '  }',
  '  message Line {',
  '    string sku = 1;',
  '    peer.common.Money price = 2;',
  '    uint32 qty = 3;',
  '  }',
  '  string id = 1;',
  '  Status status = 2;',
  '  repeated Line lines = 3;',
  '  google.protobuf.Timestamp placed_at = 4;',
  '  google.protobuf.Duration ttl = 5;',
  '  bytes signature = 6;',
  '  int64 big = 7;',
  '  map<string, int32> counts = 8;',
  '}',
  '',
].join('\n');
