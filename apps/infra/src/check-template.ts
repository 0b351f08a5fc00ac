import { checkNoWildcardActions } from './checks/actions';
import { checkAlarms } from './checks/alarms';
import { checkBuckets } from './checks/bucket';
import { checkFunctions } from './checks/functions';
import { checkLayers } from './checks/layers';
import { checkMappings } from './checks/mappings';
import { checkOutputs } from './checks/outputs';
import { checkQueuePolicies } from './checks/queue-policies';
import { checkQueues } from './checks/queues';
import { checkRoles } from './checks/roles';
import { checkSubscriptions } from './checks/subscriptions';
import type { Template } from './template';

export type TemplateCheck = (template: Template) => string[];

/** Each invariant of the stack, by name: each returns what breaks it, nothing when it holds. */
export const TEMPLATE_CHECKS = {
  buckets: checkBuckets,
  queues: checkQueues,
  subscriptions: checkSubscriptions,
  queuePolicies: checkQueuePolicies,
  wildcardActions: checkNoWildcardActions,
  roles: checkRoles,
  functions: checkFunctions,
  layers: checkLayers,
  mappings: checkMappings,
  alarms: checkAlarms,
  outputs: checkOutputs,
} satisfies Record<string, TemplateCheck>;

/** Every broken invariant of the template; empty when all hold. */
export function checkTemplate(template: Template): string[] {
  return Object.values(TEMPLATE_CHECKS).flatMap((check) => check(template));
}
