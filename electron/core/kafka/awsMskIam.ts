import { generateAuthToken, generateAuthTokenFromCredentialsProvider } from 'aws-msk-iam-sasl-signer-js';
import { CoreError, describeCause } from '../coreError';

export interface MskIamSettings {
  region: string;
  credentials: 'default' | 'profile' | 'keys';
  profile: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/**
 * Amazon MSK IAM over SASL/OAUTHBEARER: the token is a SigV4-presigned `kafka-cluster:Connect`
 * request made by AWS's own signer library (aws-msk-iam-sasl-signer-js), from the default
 * credential chain, a named profile, or an access key. Tokens are reused until shortly before expiry.
 */
export function mskIamTokenProvider(s: MskIamSettings): () => Promise<{ value: string }> {
  let cached: { value: string; expiresAt: number } | null = null;
  return async () => {
    if (cached && cached.expiresAt - 60_000 > Date.now()) return { value: cached.value };
    try {
      const r =
        s.credentials === 'keys'
          ? await generateAuthTokenFromCredentialsProvider({
              region: s.region,
              awsCredentialsProvider: async () => ({ accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey }),
            })
          : s.credentials === 'profile'
            ? await generateAuthToken({ region: s.region, awsProfileName: s.profile })
            : await generateAuthToken({ region: s.region });
      cached = { value: r.token, expiresAt: r.expiryTime };
      return { value: r.token };
    } catch (e) {
      const where =
        s.credentials === 'profile'
          ? `the AWS profile '${s.profile}'`
          : s.credentials === 'keys'
            ? 'the access key'
            : 'the AWS default credential chain (environment, ~/.aws, SSO, instance role)';
      throw new CoreError(
        'AUTH_FAILED',
        `No AWS credentials could be had from ${where} to sign the MSK IAM token.`,
        describeCause(e),
      );
    }
  };
}
