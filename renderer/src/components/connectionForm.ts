import { DEFAULT_RECONNECT, saslInputOf } from '../../../electron/contract';
import type {
  ColorTag,
  Connection,
  ConnectionInput,
  Environment,
  KerberosCredentials,
  KeytabUpload,
  Krb5ConfUpload,
  PemUpload,
  Reconnect,
  Pkcs12Upload,
  SaslMechanism,
} from '../../../electron/contract';

/**
 * The connection editor's values and how they map to and from the contract: which SASL block goes with
 * which mechanism is the contract's rule (`saslInputOf`), not the form's. Files are `undefined` while the
 * form keeps the stored one, null when the user removed it.
 */
export interface ConnectionForm {
  name: string;
  color: ColorTag;
  environment: Environment;
  readOnly: boolean;
  bootstrap: string;
  clientId: string;
  mechanism: SaslMechanism;
  username: string;
  password: string;
  tokenEndpoint: string;
  oauthClientId: string;
  scope: string;
  /** An http:// token endpoint: the user accepted sending the client secret over it. */
  oauthAllowPlainHttp: boolean;
  awsRegion: string;
  awsCredentials: 'default' | 'profile' | 'keys';
  awsProfile: string;
  awsAccessKeyId: string;
  krbPrincipal: string;
  krbService: string;
  krbCredentials: KerberosCredentials;
  keytab: KeytabUpload | null | undefined;
  /** The chosen file; whether it may load code is `krb5AllowCode`, sent with it. */
  krb5Conf: Omit<Krb5ConfUpload, 'allowCodeLoading'> | null | undefined;
  krb5AllowCode: boolean;
  ticketCache: string;
  tls: boolean;
  verify: boolean;
  ca: PemUpload | null | undefined;
  clientCert: PemUpload | null | undefined;
  clientKey: PemUpload | null | undefined;
  pkcs12: Pkcs12Upload | null | undefined;
  pkcs12Password: string;
  verifyHostname: boolean;
  connectionMs: number;
  /** the connection's reconnection settings (contract Reconnect) */
  reconnect: Reconnect;
  requestMs: number;
  authenticationMs: number;
  maxMessageMiB: number;
}

const MIB = 1048576;
const DEFAULT_MAX_MESSAGE_BYTES = 10 * MIB;

/** The form for a saved connection (its secrets empty: a stored one is kept while its field stays empty), or a new one. */
export function formFromConnection(c: Connection | null): ConnectionForm {
  return {
    name: c?.name ?? '',
    color: c?.color ?? 'none',
    environment: c?.environment ?? 'none',
    readOnly: c?.readOnly ?? false,
    bootstrap: c?.bootstrapServers.join(', ') ?? '',
    clientId: c?.clientId ?? 'kafka-desk',
    mechanism: c?.sasl.mechanism ?? 'none',
    username: c?.sasl.username ?? '',
    password: '',
    tokenEndpoint: c?.sasl.oauth?.tokenEndpoint ?? '',
    oauthClientId: c?.sasl.oauth?.clientId ?? '',
    scope: c?.sasl.oauth?.scope ?? '',
    oauthAllowPlainHttp: c?.sasl.oauth?.allowPlainHttp ?? false,
    awsRegion: c?.sasl.aws?.region ?? '',
    awsCredentials: c?.sasl.aws?.credentials ?? 'default',
    awsProfile: c?.sasl.aws?.profile ?? '',
    awsAccessKeyId: c?.sasl.aws?.accessKeyId ?? '',
    krbPrincipal: c?.sasl.kerberos?.principal ?? '',
    krbService: c?.sasl.kerberos?.serviceName ?? 'kafka',
    krbCredentials: c?.sasl.kerberos?.credentials ?? 'keytab',
    keytab: undefined,
    krb5Conf: undefined,
    krb5AllowCode: false,
    ticketCache: c?.sasl.kerberos?.ticketCache ?? '',
    tls: c?.tls.enabled ?? false,
    verify: c?.tls.verify ?? true,
    ca: undefined,
    clientCert: undefined,
    clientKey: undefined,
    pkcs12: undefined,
    pkcs12Password: '',
    verifyHostname: c?.tls.verifyHostname ?? true,
    connectionMs: c?.timeouts.connectionMs ?? 10_000,
    requestMs: c?.timeouts.requestMs ?? 30_000,
    authenticationMs: c?.timeouts.authenticationMs ?? 10_000,
    reconnect: { ...(c?.reconnect ?? DEFAULT_RECONNECT) },
    maxMessageMiB: (c?.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES) / MIB,
  };
}

/** Fills the form from a template or an imported file (files the import names are chosen by the user, not here). */
export function fillForm(form: ConnectionForm, input: ConnectionInput): void {
  form.name = input.name;
  form.color = input.color ?? 'none';
  form.environment = input.environment ?? 'none';
  form.readOnly = input.readOnly ?? false;
  form.bootstrap = input.bootstrapServers.join(', ');
  form.clientId = input.clientId ?? 'kafka-desk';
  form.mechanism = input.sasl.mechanism;
  form.username = input.sasl.username ?? '';
  form.password = input.sasl.password ?? '';
  form.tokenEndpoint = input.sasl.oauth?.tokenEndpoint ?? '';
  form.oauthClientId = input.sasl.oauth?.clientId ?? '';
  form.scope = input.sasl.oauth?.scope ?? '';
  // an import or a template never accepts plain HTTP for the user
  form.oauthAllowPlainHttp = false;
  form.awsRegion = input.sasl.aws?.region ?? '';
  form.awsCredentials = input.sasl.aws?.credentials ?? 'default';
  form.awsProfile = input.sasl.aws?.profile ?? '';
  form.awsAccessKeyId = input.sasl.aws?.accessKeyId ?? '';
  form.krbPrincipal = input.sasl.kerberos?.principal ?? '';
  form.krbService = input.sasl.kerberos?.serviceName ?? 'kafka';
  form.krbCredentials = input.sasl.kerberos?.credentials ?? 'keytab';
  form.ticketCache = input.sasl.kerberos?.ticketCache ?? '';
  form.tls = input.tls.enabled;
  form.verify = input.tls.verify ?? true;
  form.verifyHostname = input.tls.verifyHostname ?? true;
  form.ca = input.tls.ca ?? undefined;
  form.clientCert = input.tls.clientCert ?? undefined;
  form.clientKey = input.tls.clientKey ?? undefined;
  form.connectionMs = input.timeouts?.connectionMs ?? 10_000;
  form.requestMs = input.timeouts?.requestMs ?? 30_000;
  form.authenticationMs = input.timeouts?.authenticationMs ?? 10_000;
  form.reconnect = { ...DEFAULT_RECONNECT, ...input.reconnect };
  form.maxMessageMiB = (input.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES) / MIB;
}

/** The token endpoint is plain http://: the client secret would cross the network unencrypted. */
export const isPlainHttpEndpoint = (tokenEndpoint: string): boolean => /^http:\/\//i.test(tokenEndpoint.trim());

/**
 * What the form sends to save, test or check the connection. `saved`: the connection being edited —
 * an empty password field then keeps its stored password instead of clearing it.
 */
export function formToInput(form: ConnectionForm, saved: Connection | null): ConnectionInput {
  const keepPassword = form.password === '' && saved?.sasl.passwordSet === true;
  const input: ConnectionInput = {
    name: form.name.trim(),
    color: form.color,
    environment: form.environment,
    readOnly: form.readOnly,
    bootstrapServers: form.bootstrap.split(/[\s,]+/).filter(Boolean),
    clientId: form.clientId.trim() || 'kafka-desk',
    sasl: saslInputOf(
      form.mechanism,
      { username: form.username, ...(keepPassword ? {} : { password: form.password }) },
      {
        aws: () => ({
          region: form.awsRegion.trim(),
          credentials: form.awsCredentials,
          profile: form.awsProfile.trim(),
          accessKeyId: form.awsAccessKeyId.trim(),
        }),
        kerberos: () => ({
          principal: form.krbPrincipal.trim(),
          serviceName: form.krbService.trim() || 'kafka',
          credentials: form.krbCredentials,
          ticketCache: form.ticketCache.trim(),
          ...(form.keytab !== undefined ? { keytab: form.keytab } : {}),
          ...(form.krb5Conf !== undefined
            ? { krb5Conf: form.krb5Conf && { ...form.krb5Conf, allowCodeLoading: form.krb5AllowCode } }
            : {}),
        }),
        oauth: () => ({
          tokenEndpoint: form.tokenEndpoint.trim(),
          clientId: form.oauthClientId.trim(),
          scope: form.scope.trim(),
          allowPlainHttp: isPlainHttpEndpoint(form.tokenEndpoint) && form.oauthAllowPlainHttp,
        }),
      },
    ),
    tls: { enabled: form.tls, verify: form.verify, verifyHostname: form.verifyHostname },
    timeouts: { connectionMs: form.connectionMs, requestMs: form.requestMs, authenticationMs: form.authenticationMs },
    reconnect: { ...form.reconnect },
    maxMessageBytes: Math.round(form.maxMessageMiB * MIB),
  };
  if (saved) input.id = saved.id;
  if (form.ca !== undefined) input.tls.ca = form.ca;
  if (form.clientCert !== undefined) input.tls.clientCert = form.clientCert;
  if (form.clientKey !== undefined) input.tls.clientKey = form.clientKey;
  if (form.pkcs12 !== undefined) input.tls.pkcs12 = form.pkcs12;
  if (form.pkcs12Password !== '' || !saved?.tls.pkcs12PasswordSet) input.tls.pkcs12Password = form.pkcs12Password;
  return input;
}
