import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseTemplate } from '../src/cloudformation-yaml';
import { isObject, type JsonObject, type Template } from '../src/template';

export const TEMPLATE_PATH = path.join(__dirname, '..', 'template.yaml');

/** A fresh copy of the real template, to read or to break. */
export function loadTemplate(): Template {
  return parseTemplate(readFileSync(TEMPLATE_PATH, 'utf8'));
}

/** A resource's properties, to edit in place. */
export function propertiesOf(template: Template, id: string): JsonObject {
  const properties = template.Resources[id]?.Properties;
  if (!properties) throw new Error(`no resource ${id} with properties`);
  return properties;
}

/** The statement `sid` of a role's first inline policy, to edit in place. */
export function roleStatement(template: Template, roleId: string, sid: string): JsonObject {
  const statement = roleStatements(template, roleId).find((item) => item['Sid'] === sid);
  if (!statement) throw new Error(`${roleId} has no statement ${sid}`);
  return statement;
}

/** The statement list of a role's first inline policy, to edit in place. */
export function roleStatements(template: Template, roleId: string): JsonObject[] {
  const [policy] = propertiesOf(template, roleId)['Policies'] as JsonObject[];
  const document = policy['PolicyDocument'];
  if (!isObject(document)) throw new Error(`${roleId} has no policy document`);
  return document['Statement'] as JsonObject[];
}

/**
 * The template with a new processor `to` made like processor `from`: every parameter, resource
 * and output whose name starts with `from`, renamed (`Tags…` → `Faces…`, queue `-tags` →
 * `-faces`). The way a third processor is added by hand.
 */
export function withProcessorCopied(template: Template, from: string, to: string): Template {
  const rename = (text: string) =>
    text
      .replaceAll(from, to)
      .replaceAll(`-${from.toLowerCase()}`, `-${to.toLowerCase()}`)
      .replaceAll(`${from.toLowerCase()}-worker`, `${to.toLowerCase()}-worker`);
  const copyOf = <T>(section: Record<string, T> | undefined): Record<string, T> => {
    const copies = Object.entries(section ?? {})
      .filter(([name]) => name.startsWith(from))
      .map(([name, value]) => [rename(name), JSON.parse(rename(JSON.stringify(value)))]);
    return { ...section, ...Object.fromEntries(copies) };
  };
  return {
    ...template,
    Parameters: copyOf(template.Parameters),
    Resources: copyOf(template.Resources),
    Outputs: copyOf(template.Outputs),
  };
}
