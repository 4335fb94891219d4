/**
 * kafkajs' protocol encoder (internal, kafkajs 2.2.4 pinned): used to frame custom SASL messages and
 * the request bodies of the APIs kafkajs lacks (./protocol).
 */
declare module 'kafkajs/src/protocol/encoder.js' {
  export default class Encoder {
    writeInt8(value: number): Encoder;
    writeInt16(value: number): Encoder;
    writeInt32(value: number): Encoder;
    writeBoolean(value: boolean): Encoder;
    writeBuffer(value: Buffer): Encoder;
    writeBytes(value: Buffer): Encoder;
    size(): number;
    buffer: Buffer;
  }
}

/** kafkajs' table of Kafka error codes (internal, kafkajs 2.2.4 pinned): the broker's codes as its errors. */
declare module 'kafkajs/src/protocol/error.js' {
  const errors: {
    createErrorFromCode(code: number): Error & { type: string; code: number; retriable: boolean };
  };
  export default errors;
}
