// The part of the SDK's SQS module a dead-letter sink uses, loaded with import() only at the
// first dead letter: named, so that the bundle keeps only these.
export { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
