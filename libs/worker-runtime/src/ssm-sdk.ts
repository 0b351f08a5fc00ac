// The part of the SDK's SSM module a worker uses, loaded with import() only when a secret is
// read from SSM: named, so that the bundle keeps only these.
export { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
