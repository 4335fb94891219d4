import type { Mechanism } from 'kafkajs';
// kafkajs' own protocol encoder (kafkajs 2.2.4 is pinned): the SASL bytes are framed as its built-in mechanisms frame them.
import Encoder from 'kafkajs/src/protocol/encoder.js';
import { CoreError } from '../coreError';
import { unframe } from './saslTokenMechanism';

const SOH = '\u0001';

/**
 * SASL/OAUTHBEARER (RFC 7628) as a kafkajs custom mechanism. kafkajs' built-in one ignores the
 * server's reply: when the broker rejects a token it answers with an error challenge and waits for
 * the client to end the exchange, which kafkajs reads as success and then fails obscurely on its next
 * request. This one answers the challenge with %x01, as RFC 7628 §3.2.3 asks, and reports the
 * broker's status ("invalid_token", ...) as an authentication failure.
 */
export function oauthBearerMechanism(
  tokenProvider: () => Promise<{ value: string }>,
  describe: (status: string) => string,
): Mechanism {
  return {
    mechanism: 'OAUTHBEARER',
    authenticationProvider: ({ saslAuthenticate }) => ({
      authenticate: async () => {
        const token = await tokenProvider();
        const message = `n,,${SOH}auth=Bearer ${token.value}${SOH}${SOH}`;
        const challenge = await saslAuthenticate<Buffer>({
          request: { encode: async () => new Encoder().writeBytes(Buffer.from(message)).buffer },
          // the reply is Kafka BYTES: an int32 length, then the server's message (empty on success)
          response: { decode: async (raw: Buffer) => raw, parse: (raw: Buffer) => unframe(raw) },
        });
        if (challenge && challenge.length > 0) {
          const text = challenge.toString('utf8');
          await saslAuthenticate({
            request: { encode: async () => new Encoder().writeBytes(Buffer.from(SOH)).buffer },
          }).catch(() => undefined);
          let status = text;
          try {
            status = (JSON.parse(text) as { status?: string }).status ?? text;
          } catch {
            // not JSON: keep the raw challenge
          }
          throw new CoreError('AUTH_FAILED', describe(status), `server challenge: ${text}`);
        }
      },
    }),
  };
}
