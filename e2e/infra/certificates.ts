/**
 * The TLS material of a run, made with `openssl` in .dev-kafka/certs/: a test CA, the broker's and
 * a client's certificates signed by it, and an unrelated CA to play the untrusted one.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { errMsg, execFileAsync } from './processes.js';

export interface TlsFiles {
  ca: string;
  caKey: string;
  brokerKeystore: string;
  clientCert: string;
  clientKey: string;
  otherCa: string;
}

async function openssl(args: string[], cwd: string): Promise<void> {
  try {
    await execFileAsync('openssl', args, { cwd });
  } catch (e) {
    const err = e as { stderr?: string; code?: string };
    if (err.code === 'ENOENT')
      throw new Error('`openssl` is required to generate test certificates but was not found on PATH');
    throw new Error(`openssl ${args.join(' ')} failed:\n${err.stderr ?? errMsg(e)}`);
  }
}

export async function generateCerts(dir: string): Promise<TlsFiles> {
  await mkdir(dir, { recursive: true });
  const days = '3650';
  const newKey = (out: string) =>
    openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', out], dir);
  const newCa = async (key: string, cert: string, cn: string) => {
    await newKey(key);
    await openssl(
      [
        'req',
        '-x509',
        '-new',
        '-key',
        key,
        '-sha256',
        '-days',
        days,
        '-subj',
        `/O=Kafka Desk/CN=${cn}`,
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,keyCertSign,cRLSign',
        '-addext',
        'subjectKeyIdentifier=hash',
        '-out',
        cert,
      ],
      dir,
    );
  };
  const newLeaf = async (name: string, cn: string, ext: string) => {
    await newKey(`${name}-key.pem`);
    await openssl(
      ['req', '-new', '-key', `${name}-key.pem`, '-subj', `/O=Kafka Desk/CN=${cn}`, '-out', `${name}.csr`],
      dir,
    );
    await writeFile(path.join(dir, `${name}.ext`), ext);
    await openssl(
      [
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        'ca.pem',
        '-CAkey',
        'ca-key.pem',
        '-set_serial',
        `0x${randomBytes(8).toString('hex')}`,
        '-days',
        days,
        '-sha256',
        '-extfile',
        `${name}.ext`,
        '-out',
        `${name}.pem`,
      ],
      dir,
    );
    await rm(path.join(dir, `${name}.csr`), { force: true });
    await rm(path.join(dir, `${name}.ext`), { force: true });
  };

  await newCa('ca-key.pem', 'ca.pem', 'Kafka Desk Test CA');
  await newCa('other-ca-key.pem', 'other-ca.pem', 'Kafka Desk Untrusted CA');
  await newLeaf(
    'broker',
    'localhost',
    [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth,clientAuth',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      'authorityKeyIdentifier=keyid',
      '',
    ].join('\n'),
  );
  await newLeaf(
    'client',
    'kafka-desk-client',
    [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=clientAuth',
      'authorityKeyIdentifier=keyid',
      '',
    ].join('\n'),
  );

  // Kafka PEM key store: unencrypted PKCS#8 key followed by the cert chain.
  // Kafka 4.1 accepts an unencrypted key without ssl.key.password. The chain is
  // just the leaf (like most real brokers, the root is not sent), so a client
  // with the wrong CA gets "unable to verify the first certificate" rather than
  // "self-signed certificate in certificate chain".
  const keystore = path.join(dir, 'broker-keystore.pem');
  const [brokerKey, brokerCert] = await Promise.all(
    ['broker-key.pem', 'broker.pem'].map((f) => readFile(path.join(dir, f), 'utf8')),
  );
  await writeFile(keystore, `${brokerKey!.trim()}\n${brokerCert!.trim()}\n`, {
    mode: 0o600,
  });

  return {
    ca: path.join(dir, 'ca.pem'),
    caKey: path.join(dir, 'ca-key.pem'),
    brokerKeystore: keystore,
    clientCert: path.join(dir, 'client.pem'),
    clientKey: path.join(dir, 'client-key.pem'),
    otherCa: path.join(dir, 'other-ca.pem'),
  };
}
