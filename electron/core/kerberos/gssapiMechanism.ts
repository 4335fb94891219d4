import type { SaslTokenExchange } from '../kafka/types';
import type { KerberosIdentity } from './kerberosIdentity';

/**
 * SASL/GSSAPI (Kerberos) as a token exchange. The GSS work runs in the identity's own process
 * (kerberosIdentity.ts); the exchange only carries tokens to and from the broker, framed for
 * kafkajs by core/kafka/saslTokenMechanism.ts.
 */
export function gssapiExchange(identity: KerberosIdentity, serviceName: string): SaslTokenExchange {
  return {
    mechanism: 'GSSAPI',
    authenticate: (host, send) => identity.authenticate(host, serviceName, send),
  };
}
