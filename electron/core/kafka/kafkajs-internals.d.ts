/** kafkajs' protocol encoder (internal, kafkajs 2.2.4 pinned): used to frame custom SASL messages. */
declare module 'kafkajs/src/protocol/encoder.js' {
  export default class Encoder {
    writeBytes(value: Buffer): Encoder;
    buffer: Buffer;
  }
}
