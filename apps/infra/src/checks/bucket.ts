import { statementsOf } from '../policy';
import {
  asList,
  isObject,
  isTrue,
  numberOf,
  refTo,
  resourcesOfType,
  type Template,
} from '../template';

const PUBLIC_ACCESS_BLOCKS = [
  'BlockPublicAcls',
  'BlockPublicPolicy',
  'IgnorePublicAcls',
  'RestrictPublicBuckets',
];

/**
 * Every bucket is private, encrypted, unversioned, kept when the stack goes, rid of abandoned
 * multipart uploads after a day, and refuses requests not made over TLS.
 */
export function checkBuckets(template: Template): string[] {
  const problems: string[] = [];
  const policies = resourcesOfType(template, 'AWS::S3::BucketPolicy');
  for (const { id, resource, properties } of resourcesOfType(template, 'AWS::S3::Bucket')) {
    const block = properties['PublicAccessBlockConfiguration'];
    if (!isObject(block) || !PUBLIC_ACCESS_BLOCKS.every((key) => isTrue(block[key]))) {
      problems.push(`${id}: public access is not blocked in all four ways`);
    }
    if (!isObject(properties['BucketEncryption'])) {
      problems.push(`${id}: no BucketEncryption`);
    }
    const versioning = properties['VersioningConfiguration'];
    if (isObject(versioning) && versioning['Status'] === 'Enabled') {
      problems.push(`${id}: versioning would keep deleted images`);
    }
    if (resource.DeletionPolicy !== 'Retain' || resource.UpdateReplacePolicy !== 'Retain') {
      problems.push(`${id}: DeletionPolicy and UpdateReplacePolicy are not Retain`);
    }
    const lifecycle = properties['LifecycleConfiguration'];
    const rules = isObject(lifecycle) ? asList(lifecycle['Rules']) : [];
    const abortsUploads = rules.some((rule) => {
      if (!isObject(rule) || rule['Status'] !== 'Enabled') return false;
      const abort = rule['AbortIncompleteMultipartUpload'];
      return isObject(abort) && numberOf(abort['DaysAfterInitiation']) === 1;
    });
    if (!abortsUploads) {
      problems.push(`${id}: no enabled rule aborting incomplete multipart uploads after 1 day`);
    }

    const deniesPlainHttp = policies
      .filter(({ properties: policy }) => refTo(policy['Bucket']) === id)
      .flatMap(({ properties: policy }) => statementsOf(policy['PolicyDocument']))
      .some(
        (statement) =>
          statement.effect === 'Deny' &&
          statement.principal === '*' &&
          JSON.stringify(statement.actions) === JSON.stringify(['s3:*']) &&
          statement.resources.includes(`\${${id}.Arn}`) &&
          statement.resources.includes(`\${${id}.Arn}/*`) &&
          JSON.stringify(statement.condition) ===
            JSON.stringify({ Bool: { 'aws:SecureTransport': false } }),
      );
    if (!deniesPlainHttp) {
      problems.push(`${id}: no bucket policy denies every request made without TLS`);
    }
  }
  return problems;
}
