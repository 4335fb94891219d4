import type { Mechanism } from 'kafkajs';
// kafkajs' own protocol encoder (kafkajs 2.2.4 is pinned): the SASL bytes are framed as its built-in mechanisms frame them.
import Encoder from 'kafkajs/src/protocol/encoder.js';
import { gssapiExchange } from '../kerberos/gssapiMechanism';
import type { KerberosIdentity } from '../kerberos/kerberosIdentity';
import type { SaslTokenExchange } from './types';

/**
 * A token exchange as a kafkajs custom mechanism. kafkajs calls it for every new broker connection
 * and again when the broker's connections.max.reauth.ms asks for a re-authentication.
 */
export function tokenMechanism(exchange: SaslTokenExchange): Mechanism {
  return {
    mechanism: exchange.mechanism,
    authenticationProvider: ({ host, saslAuthenticate }) => ({
      authenticate: () =>
        exchange.authenticate(host, async (token) => {
          const reply = await saslAuthenticate<Buffer>({
            request: { encode: async () => new Encoder().writeBytes(token).buffer },
            // the reply is Kafka BYTES: an int32 length, then the broker's token (empty at the end)
            response: { decode: async (raw: Buffer) => raw, parse: (raw: Buffer) => unframe(raw) },
          });
          return reply ?? Buffer.alloc(0);
        }),
    }),
  };
}

/** SASL/GSSAPI (Kerberos), which kafkajs has none of built in. */
export const gssapiMechanism = (identity: KerberosIdentity, serviceName: string): Mechanism =>
  tokenMechanism(gssapiExchange(identity, serviceName));

/** Kafka BYTES → the bytes: an int32 length, then that many bytes (none when the length is 0 or -1). */
export function unframe(raw: Buffer): Buffer {
  if (!raw || raw.length < 4) return Buffer.alloc(0);
  const length = raw.readInt32BE(0);
  return length <= 0 ? Buffer.alloc(0) : raw.subarray(4, 4 + length);
}
