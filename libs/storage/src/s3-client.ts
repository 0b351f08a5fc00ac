import { S3Client } from '@aws-sdk/client-s3';
import type { S3ClientConfig } from '@aws-sdk/client-s3';

export interface S3ClientOptions {
  /** An S3-compatible server; unset for AWS. */
  endpoint?: string;
  /** Unset: the SDK's own lookup (AWS_REGION in Lambda). */
  region?: string;
  forcePathStyle?: boolean;
  credentials?: S3ClientConfig['credentials'];
}

export function createS3Client({
  endpoint,
  region,
  forcePathStyle,
  credentials,
}: S3ClientOptions = {}): S3Client {
  return new S3Client({
    ...(endpoint !== undefined && { endpoint }),
    ...(region !== undefined && { region }),
    ...(forcePathStyle !== undefined && { forcePathStyle }),
    ...(credentials !== undefined && { credentials }),
    // Default checksums send streamed bodies with aws-chunked framing, which S3-compatible
    // servers may store verbatim; checksum only where the API requires one.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}
