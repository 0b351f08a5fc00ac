import { describeStatement, isWildcardAction, policyDocuments, statementsOf } from '../policy';
import type { Template } from '../template';

/**
 * No policy anywhere in the template allows a wildcard action (`*`, `s3:*`, `s3:Get*`) or
 * everything-but (`NotAction`). A Deny may use one: it only takes permissions away.
 */
export function checkNoWildcardActions(template: Template): string[] {
  const problems: string[] = [];
  for (const { where, document } of policyDocuments(template)) {
    for (const statement of statementsOf(document)) {
      if (statement.effect !== 'Allow') continue;
      const at = describeStatement(where, statement);
      for (const action of statement.actions) {
        if (isWildcardAction(action)) {
          problems.push(`${at}: allows the wildcard action ${JSON.stringify(action)}`);
        }
      }
      if (statement.notActions.length > 0) {
        problems.push(`${at}: allows with NotAction, which means every other action`);
      }
      if (statement.actions.length === 0 && statement.notActions.length === 0) {
        problems.push(`${at}: allows no named action`);
      }
    }
  }
  return problems;
}
