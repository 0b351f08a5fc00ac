import { asList, isObject, render, type Json, type Template } from './template';

/** One IAM statement, its lists normalised and its resources rendered (see `render`). */
export interface Statement {
  sid: string | undefined;
  effect: Json | undefined;
  actions: Json[];
  notActions: Json[];
  resources: string[];
  principal: Json | undefined;
  condition: Json | undefined;
}

export function statementsOf(document: Json | undefined): Statement[] {
  if (!isObject(document)) return [];
  return asList(document['Statement']).map((statement) => {
    const fields = isObject(statement) ? statement : {};
    return {
      sid: typeof fields['Sid'] === 'string' ? fields['Sid'] : undefined,
      effect: fields['Effect'],
      actions: asList(fields['Action']),
      notActions: asList(fields['NotAction']),
      resources: asList(fields['Resource']).map(render),
      principal: fields['Principal'],
      condition: fields['Condition'],
    };
  });
}

export interface PlacedDocument {
  /** The resource's logical id, and where in it: `WorkerRole.Policies[0]`. */
  where: string;
  document: Json;
}

/** Every policy document in the template: role policies, trust policies, resource policies. */
export function policyDocuments(template: Template): PlacedDocument[] {
  const found: PlacedDocument[] = [];
  const visit = (value: Json | undefined, where: string) => {
    if (Array.isArray(value)) {
      value.forEach((item, index) => visit(item, `${where}[${index}]`));
    } else if (isObject(value)) {
      for (const [key, child] of Object.entries(value)) {
        if (key === 'PolicyDocument' || key === 'AssumeRolePolicyDocument') {
          found.push({
            where: key === 'PolicyDocument' ? where : `${where}.${key}`,
            document: child,
          });
        } else {
          visit(child, `${where}.${key}`);
        }
      }
    }
  };
  for (const [id, resource] of Object.entries(template.Resources)) {
    visit(resource.Properties ?? {}, id);
  }
  return found;
}

/** `s3:*`, `*`, `s3:Get*`, `s3:?etObject`: anything but one named action. */
export function isWildcardAction(action: Json): boolean {
  return typeof action !== 'string' || /[*?]/.test(action);
}

export const describeStatement = (where: string, statement: Statement) =>
  statement.sid === undefined ? where : `${where} ${statement.sid}`;
