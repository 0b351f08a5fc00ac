// `npx nx run infra:template`: renders each processor's part of template.yaml from the catalog.
import { readFileSync, writeFileSync } from 'node:fs';
import { CATALOG } from '@gallery/processors';
import { renderTemplate } from '@gallery/stack-template';

const file = process.argv[2] ?? 'apps/infra/template.yaml';
const before = readFileSync(file, 'utf8');
const after = renderTemplate(before, CATALOG);
if (after !== before) writeFileSync(file, after);
console.log(`${file}: ${after === before ? 'up to date' : 'rendered from the catalog'}`);
