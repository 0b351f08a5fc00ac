import { environmentOf, logGroupOf, SECRET_PARAMETER_VARIABLE } from '../function-config';
import { surveyProcessors } from '../processors';
import { isObject, numberOf, refTo, resourceOf, type Template } from '../template';

export const RUNTIME = 'nodejs24.x';
export const HANDLER = 'index.handler';
/** Packaging names each zip's key parameter `<Worker>CodeKey` (thumbnail-worker → ThumbnailWorkerCodeKey). */
export const CODE_KEY_SUFFIX = 'CodeKey';

/**
 * Every function runs the packaged zip on Node 24 (`index.handler`, x86_64 for sharp's
 * binaries in the sharp layer), its code from the artifact bucket under a key given as a
 * parameter (a new key is new code), and its environment names the secret, never holds it.
 */
export function checkFunctions(template: Template): string[] {
  const problems: string[] = [];
  const survey = surveyProcessors(template);
  problems.push(...survey.problems);
  const parameters = template.Parameters ?? {};
  const isParameter = (name: string | undefined) => name !== undefined && name in parameters;
  const codeKeys = new Map<string, string>();
  const logGroups = new Map<string, string>();

  for (const { fn, deadLetterQueue } of survey.processors) {
    const at = fn.id;
    const properties = fn.properties;
    if (properties['Runtime'] !== RUNTIME) {
      problems.push(`${at}: Runtime is ${String(properties['Runtime'])}, expected ${RUNTIME}`);
    }
    if (properties['Handler'] !== HANDLER) {
      problems.push(`${at}: Handler is ${String(properties['Handler'])}, expected ${HANDLER}`);
    }
    if (JSON.stringify(properties['Architectures']) !== JSON.stringify(['x86_64'])) {
      problems.push(
        `${at}: Architectures is not [x86_64], the platform of sharp's binaries in the sharp layer`,
      );
    }
    const timeout = numberOf(properties['Timeout']);
    if (timeout === undefined || timeout > 900) {
      problems.push(`${at}: Timeout is not set to at most 900 s`);
    }

    const code = isObject(properties['Code']) ? properties['Code'] : {};
    if (!isParameter(refTo(code['S3Bucket']))) {
      problems.push(`${at}: Code.S3Bucket is not !Ref <parameter>`);
    }
    const codeKey = refTo(code['S3Key']);
    if (!isParameter(codeKey) || !codeKey?.endsWith(CODE_KEY_SUFFIX)) {
      problems.push(`${at}: Code.S3Key is not !Ref <parameter named *${CODE_KEY_SUFFIX}>`);
    } else if (codeKeys.has(codeKey)) {
      problems.push(`${at}: Code.S3Key ${codeKey} is ${codeKeys.get(codeKey)}'s too`);
    } else {
      codeKeys.set(codeKey, at);
    }

    const environment = environmentOf(properties);
    if (!isParameter(refTo(environment['API_URL']))) {
      problems.push(`${at}: API_URL is not !Ref <parameter>`);
    }
    if (!resourceOf(template, refTo(environment['S3_BUCKET']), 'AWS::S3::Bucket')) {
      problems.push(`${at}: S3_BUCKET is not !Ref <a bucket of this template>`);
    }
    if (!deadLetterQueue || refTo(environment['DLQ_URL']) !== deadLetterQueue.id) {
      problems.push(`${at}: DLQ_URL is not !Ref <its own queue's dead-letter queue>`);
    }
    if (!isParameter(refTo(environment[SECRET_PARAMETER_VARIABLE]))) {
      problems.push(`${at}: ${SECRET_PARAMETER_VARIABLE} is not !Ref <parameter>`);
    }
    if ('CALLBACK_SECRET' in environment) {
      problems.push(`${at}: CALLBACK_SECRET is in the environment; name the secret instead`);
    }
    if (!('LOG_LEVEL' in environment)) problems.push(`${at}: LOG_LEVEL is not set`);

    const logGroup = resourceOf(template, logGroupOf(properties), 'AWS::Logs::LogGroup');
    if (!logGroup) {
      problems.push(`${at}: LoggingConfig.LogGroup is not !Ref <a log group of this template>`);
    } else {
      if (numberOf(logGroup.properties['RetentionInDays']) === undefined) {
        problems.push(`${logGroup.id}: RetentionInDays is not set, logs would be kept forever`);
      }
      if (logGroups.has(logGroup.id)) {
        problems.push(`${at}: log group ${logGroup.id} is ${logGroups.get(logGroup.id)}'s too`);
      }
      logGroups.set(logGroup.id, at);
    }
  }
  return problems;
}
