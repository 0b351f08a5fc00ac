import { parseDocument, type CollectionTag, type ScalarTag } from 'yaml';
import type { Template } from './template';

export class TemplateParseError extends Error {
  override name = 'TemplateParseError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Every short-form intrinsic function CloudFormation accepts in YAML. */
const INTRINSICS = [
  'And',
  'Base64',
  'Cidr',
  'Condition',
  'Equals',
  'FindInMap',
  'GetAtt',
  'GetAZs',
  'If',
  'ImportValue',
  'Join',
  'Not',
  'Or',
  'Ref',
  'Select',
  'Split',
  'Sub',
  'Transform',
] as const;

/** The long form a short tag stands for: `!Ref X` is `{ Ref: X }`, `!Sub s` is `{ 'Fn::Sub': s }`. */
function longForm(name: (typeof INTRINSICS)[number]): string {
  return name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
}

/** `!GetAtt A.B` is `['A', 'B']`; only the first dot splits (`A.B.C` → `['A', 'B.C']`). */
function getAttArgs(text: string): string[] {
  const dot = text.indexOf('.');
  return dot < 0 ? [text] : [text.slice(0, dot), text.slice(dot + 1)];
}

const cloudFormationTags = INTRINSICS.flatMap((name): (ScalarTag | CollectionTag)[] => {
  const key = longForm(name);
  const tag = `!${name}`;
  const toLongForm: CollectionTag['resolve'] = (node) => ({ [key]: node.toJSON() });
  return [
    {
      tag,
      resolve: (text: string) => ({ [key]: name === 'GetAtt' ? getAttArgs(text) : text }),
    },
    { tag, collection: 'seq', resolve: toLongForm },
    { tag, collection: 'map', resolve: toLongForm },
  ];
});

/**
 * A CloudFormation YAML template as the long-form JSON CloudFormation itself sees, every short
 * tag turned into its `Ref` / `Fn::*` object. YAML 1.1, as CloudFormation reads it; an unknown
 * tag is an error rather than silently a plain string.
 */
export function parseTemplate(text: string): Template {
  const document = parseDocument(text, { version: '1.1', customTags: cloudFormationTags });
  const problems = [...document.errors, ...document.warnings];
  if (problems.length > 0) {
    throw new TemplateParseError(`not a valid template: ${problems[0].message}`, {
      cause: problems[0],
    });
  }
  const template = document.toJS() as Template | null;
  if (template === null || typeof template !== 'object' || typeof template.Resources !== 'object') {
    throw new TemplateParseError('not a valid template: it has no Resources');
  }
  return template;
}
