import { statementsOf } from '../policy';
import { surveyProcessors, type Processor } from '../processors';
import { asList, isObject, numberOf, type Template } from '../template';

/** SQS event source mappings accept a MaximumConcurrency from 2 to 1000. */
export const MIN_CONCURRENCY = 2;
export const MAX_CONCURRENCY = 1000;

/**
 * Calls to Rekognition's DetectLabels in flight at once, at most: invocations × records per
 * batch (records run in parallel). 20 calls of 0.4 s or more stay within the default 50 TPS.
 */
export const DETECT_LABELS_MAX_IN_FLIGHT = 20;

/**
 * Every mapping reports partial batch failures (only failed records come back), sets its batch
 * size, a batching window of at most 1 s and a maximum concurrency; a processor calling
 * DetectLabels keeps its calls in flight within Rekognition's rate.
 */
export function checkMappings(template: Template): string[] {
  const problems: string[] = [];
  for (const processor of surveyProcessors(template).processors) {
    const { id, properties } = processor.mapping;
    if (!asList(properties['FunctionResponseTypes']).includes('ReportBatchItemFailures')) {
      problems.push(`${id}: FunctionResponseTypes lacks ReportBatchItemFailures`);
    }
    if (properties['Enabled'] === false || properties['Enabled'] === 'false') {
      problems.push(`${id}: is disabled`);
    }
    const batchSize = numberOf(properties['BatchSize']);
    if (
      batchSize === undefined ||
      !Number.isInteger(batchSize) ||
      batchSize < 1 ||
      batchSize > 10
    ) {
      problems.push(`${id}: BatchSize is not set between 1 and 10`);
    }
    const window = numberOf(properties['MaximumBatchingWindowInSeconds']);
    if (window === undefined || window < 0 || window > 1) {
      problems.push(`${id}: MaximumBatchingWindowInSeconds is not set to 0 or 1`);
    }
    const scaling = properties['ScalingConfig'];
    const concurrency = isObject(scaling) ? numberOf(scaling['MaximumConcurrency']) : undefined;
    if (
      concurrency === undefined ||
      !Number.isInteger(concurrency) ||
      concurrency < MIN_CONCURRENCY ||
      concurrency > MAX_CONCURRENCY
    ) {
      problems.push(
        `${id}: ScalingConfig.MaximumConcurrency is not set between ${MIN_CONCURRENCY} and ${MAX_CONCURRENCY}`,
      );
      continue;
    }
    const inFlight = concurrency * (batchSize ?? 10);
    if (callsDetectLabels(processor) && inFlight > DETECT_LABELS_MAX_IN_FLIGHT) {
      problems.push(
        `${id}: ${concurrency} × ${batchSize ?? 10} = ${inFlight} DetectLabels calls in flight, ` +
          `more than ${DETECT_LABELS_MAX_IN_FLIGHT}`,
      );
    }
  }
  return problems;
}

function callsDetectLabels({ role }: Processor): boolean {
  return asList(role.properties['Policies']).some((policy) =>
    statementsOf(isObject(policy) ? policy['PolicyDocument'] : undefined).some(
      (statement) =>
        statement.effect === 'Allow' && statement.actions.includes('rekognition:DetectLabels'),
    ),
  );
}
