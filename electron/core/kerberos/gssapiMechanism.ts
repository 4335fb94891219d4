import type { Mechanism } from 'kafkajs';
// kafkajs' own protocol encoder (kafkajs 2.2.4 is pinned): the SASL bytes are framed as its built-in mechanisms frame them.
import Encoder from 'kafkajs/src/protocol/encoder.js';
import type { KerberosIdentity } from './kerberosIdentity';

/**
 * SASL/GSSAPI (Kerberos) for kafkajs, which has none built in. The GSS work runs in the identity's
 * own process (kerberosIdentity.ts); this adapter only carries tokens to and from the broker.
 * kafkajs calls it for every new broker connection and again when the broker's
 * connections.max.reauth.ms asks for a re-authentication.
 */
export function gssapiMechanism(identity: KerberosIdentity, serviceName: string): Mechanism {
  return {
    mechanism: 'GSSAPI',
    authenticationProvider: ({ host, saslAuthenticate }) => ({
      authenticate: () =>
        identity.authenticate(host, serviceName, async (token) => {
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

function unframe(raw: Buffer): Buffer {
  if (!raw || raw.length < 4) return Buffer.alloc(0);
  const length = raw.readInt32BE(0);
  return length <= 0 ? Buffer.alloc(0) : raw.subarray(4, 4 + length);
}
