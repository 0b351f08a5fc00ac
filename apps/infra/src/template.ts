/** A parsed CloudFormation template, intrinsic functions in their long form. */

export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

export interface Resource {
  Type: string;
  Properties?: JsonObject;
  Condition?: string;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

export interface Parameter {
  Type: string;
  Default?: Json;
  AllowedPattern?: string;
  AllowedValues?: Json[];
  Description?: string;
}

export interface Output {
  Value: Json;
  Description?: string;
}

export interface Template {
  Parameters?: Record<string, Parameter>;
  Conditions?: JsonObject;
  Resources: Record<string, Resource>;
  Outputs?: Record<string, Output>;
}

export interface FoundResource {
  id: string;
  resource: Resource;
  properties: JsonObject;
}

export function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every resource of one type, in template order. */
export function resourcesOfType(template: Template, type: string): FoundResource[] {
  return Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === type)
    .map(([id, resource]) => ({ id, resource, properties: resource.Properties ?? {} }));
}

/** The resource `id` if it exists with that type. */
export function resourceOf(
  template: Template,
  id: string | undefined,
  type: string,
): FoundResource | undefined {
  const resource = id === undefined ? undefined : template.Resources[id];
  if (id === undefined || resource?.Type !== type) return undefined;
  return { id, resource, properties: resource.Properties ?? {} };
}

/** `X` for `{ Ref: X }`, else undefined. */
export function refTo(value: Json | undefined): string | undefined {
  return isObject(value) && typeof value['Ref'] === 'string' ? value['Ref'] : undefined;
}

/** `X` for `{ 'Fn::GetAtt': [X, attribute] }`, else undefined. */
export function getAttOf(value: Json | undefined, attribute: string): string | undefined {
  if (!isObject(value)) return undefined;
  const args = value['Fn::GetAtt'];
  return Array.isArray(args) && args[1] === attribute && typeof args[0] === 'string'
    ? args[0]
    : undefined;
}

/** A value or a list of values as a list (IAM's `Action: x` means `Action: [x]`). */
export function asList(value: Json | undefined): Json[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * A value as the text CloudFormation would make of it, references left as `${Name}` and
 * `${Name.Attribute}`: `!Sub '${Bucket.Arn}/x'` and `!Join ['', [!GetAtt Bucket.Arn, '/x']]`
 * both render as `${Bucket.Arn}/x`, so policies compare as plain strings.
 */
export function render(value: Json | undefined): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'object') return String(value);
  if (isObject(value)) {
    const ref = refTo(value);
    if (ref !== undefined) return `\${${ref}}`;
    const getAtt = value['Fn::GetAtt'];
    if (Array.isArray(getAtt)) return `\${${getAtt.map(render).join('.')}}`;
    const sub = value['Fn::Sub'];
    if (typeof sub === 'string') return sub;
    if (Array.isArray(sub) && typeof sub[0] === 'string' && isObject(sub[1])) {
      const variables = sub[1];
      return sub[0].replace(/\$\{([^}!]+)\}/g, (whole, name: string) =>
        name in variables ? render(variables[name]) : whole,
      );
    }
    const join = value['Fn::Join'];
    if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
      return join[1].map(render).join(join[0]);
    }
  }
  return JSON.stringify(value);
}

/** A number, or a numeric string (CloudFormation accepts both), else undefined. */
export function numberOf(value: Json | undefined): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) {
    return Number(value);
  }
  return undefined;
}

/** `true` or `"true"`. */
export function isTrue(value: Json | undefined): boolean {
  return value === true || value === 'true';
}
