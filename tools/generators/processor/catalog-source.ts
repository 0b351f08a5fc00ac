import type { Tree } from '@nx/devkit';
import type { ProcessorEntry } from '@gallery/processors';
import ts from 'typescript';

/*
 * The catalog as the tree holds it: libs/processors/src/catalog.ts is plain data, read by
 * transpiling it, and both it and results.ts gain a processor by an insertion at the end of
 * their one list.
 */

export const CATALOG_FILE = 'libs/processors/src/catalog.ts';
export const RESULTS_FILE = 'libs/processors/src/results.ts';

/** The catalog's entries as `catalog.ts` in the tree declares them. */
export function readCatalog(tree: Tree): ProcessorEntry[] {
  const source = readText(tree, CATALOG_FILE);
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  });
  const module = { exports: {} as { CATALOG?: ProcessorEntry[] } };
  new Function('module', 'exports', outputText)(module, module.exports);
  if (!Array.isArray(module.exports.CATALOG)) {
    throw new Error(`${CATALOG_FILE} declares no CATALOG array`);
  }
  return module.exports.CATALOG;
}

/** Adds `text` as the last element of the array literal `CATALOG` in catalog.ts. */
export function appendToCatalog(tree: Tree, text: string): void {
  insertAtEnd(tree, CATALOG_FILE, 'CATALOG', ts.SyntaxKind.ArrayLiteralExpression, text);
}

/** Adds `text` as the last property of the object literal `RESULTS` in results.ts. */
export function appendToResults(tree: Tree, text: string): void {
  insertAtEnd(tree, RESULTS_FILE, 'RESULTS', ts.SyntaxKind.ObjectLiteralExpression, text);
}

function readText(tree: Tree, file: string): string {
  const text = tree.read(file, 'utf-8');
  if (text === null) throw new Error(`${file} is missing: this is not the Gallery workspace`);
  return text;
}

/** Inserts `text` (ending with its comma) before the closing bracket of the literal of `name`. */
function insertAtEnd(
  tree: Tree,
  file: string,
  name: string,
  kind: ts.SyntaxKind.ArrayLiteralExpression | ts.SyntaxKind.ObjectLiteralExpression,
  text: string,
): void {
  const source = readText(tree, file);
  const literal = findLiteral(
    ts.createSourceFile(file, source, ts.ScriptTarget.Latest),
    name,
    kind,
  );
  if (!literal) throw new Error(`${file}: no ${name} literal to add the processor to`);
  const elements = ts.isArrayLiteralExpression(literal) ? literal.elements : literal.properties;
  const close = literal.getEnd() - 1;
  const last = elements.at(-1);
  const head =
    last && !elements.hasTrailingComma
      ? `${source.slice(0, last.getEnd())},${source.slice(last.getEnd(), close)}`
      : source.slice(0, close);
  tree.write(file, `${head.trimEnd()}\n${text}\n${source.slice(close)}`);
}

function findLiteral(
  node: ts.Node,
  name: string,
  kind: ts.SyntaxKind,
): ts.ArrayLiteralExpression | ts.ObjectLiteralExpression | undefined {
  if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === name) {
    let value = node.initializer;
    while (value && (ts.isAsExpression(value) || ts.isSatisfiesExpression(value))) {
      value = value.expression;
    }
    return value?.kind === kind
      ? (value as ts.ArrayLiteralExpression | ts.ObjectLiteralExpression)
      : undefined;
  }
  return ts.forEachChild(node, (child) => findLiteral(child, name, kind));
}
