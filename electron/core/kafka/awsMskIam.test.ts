import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CoreError } from '../coreError';
import { mskIamTokenProvider } from './awsMskIam';

/**
 * The MSK IAM token cannot be checked against a real MSK cluster here; what can be checked is that it
 * is the SigV4-presigned kafka-cluster:Connect request MSK expects (AWS's documented format).
 */
describe('AWS MSK IAM token', () => {
  it('is a base64url SigV4-presigned kafka-cluster:Connect URL for the region, signed with the given key', async () => {
    const provider = mskIamTokenProvider({
      region: 'eu-west-1',
      credentials: 'keys',
      profile: '',
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    });
    const { value } = await provider();
    expect(value).toMatch(/^[A-Za-z0-9_-]+$/);
    const url = new URL(Buffer.from(value, 'base64url').toString('utf8'));
    expect(url.protocol).toBe('https:');
    expect(url.host).toBe('kafka.eu-west-1.amazonaws.com');
    expect(url.searchParams.get('Action')).toBe('kafka-cluster:Connect');
    expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(
      /^AKIAIOSFODNN7EXAMPLE\/\d{8}\/eu-west-1\/kafka-cluster\/aws4_request$/,
    );
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(Number(url.searchParams.get('X-Amz-Expires'))).toBeGreaterThan(0);
    // reused until close to expiry
    expect((await provider()).value).toBe(value);
  });

  it('a missing AWS profile is named, not a stack trace', async () => {
    const home = await mkdtemp(path.join(tmpdir(), 'kafka-desk-aws-'));
    process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(home, 'credentials');
    process.env.AWS_CONFIG_FILE = path.join(home, 'config');
    try {
      const provider = mskIamTokenProvider({
        region: 'eu-west-1',
        credentials: 'profile',
        profile: 'no-such-profile',
        accessKeyId: '',
        secretAccessKey: '',
      });
      const e = await provider().catch((x: unknown) => x);
      expect(e).toBeInstanceOf(CoreError);
      expect(e).toMatchObject({
        code: 'AUTH_FAILED',
        message: "No AWS credentials could be had from the AWS profile 'no-such-profile' to sign the MSK IAM token.",
      });
    } finally {
      delete process.env.AWS_SHARED_CREDENTIALS_FILE;
      delete process.env.AWS_CONFIG_FILE;
    }
  });
});
