/**
 * Renders docs/spec-reference.md from seqlab.schema.json, so the reference, the editor hovers and
 * the validator can never disagree. Run: `node --import tsx scripts/gen-spec-docs.ts`.
 * A unit test fails when the committed file is stale.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deref, describeBounds, describeType, layerBranch, layerKinds, SPEC_SCHEMA, type JsonSchema } from '../src/language/schema';

export const REFERENCE_PATH = join(__dirname, '..', 'docs', 'spec-reference.md');

export function renderSpecReference(): string {
  const root = SPEC_SCHEMA;
  const sections = Object.entries(root.properties ?? {});
  const out: string[] = [
    '# Spec reference (`*.seqlab.yaml`)',
    '',
    '<!-- Generated from src/language/seqlab.schema.json by scripts/gen-spec-docs.ts; do not edit by hand. -->',
    '',
    root.description ?? '',
    '',
    `Required sections: ${(root.required ?? []).map((name) => `\`${name}\``).join(', ')}. Unknown keys are errors (with a "did you mean" suggestion).`,
    '',
    '## Top level',
    '',
    ...table(sections.map(([name, schema]) => [name, schema, root.required?.includes(name) ?? false])),
  ];
  for (const [name, schema] of sections) {
    const resolved = deref(schema);
    if (resolved.type !== 'object' && !resolved.anyOf) continue;
    out.push(...objectSection(name, resolved, 2));
  }
  const layer = SPEC_SCHEMA.definitions?.layer;
  if (layer) {
    out.push('## Layers (`model` items)', '', layer.description ?? '', '');
    for (const kind of layerKinds(layer)) {
      const branch = layerBranch(layer, kind)!;
      out.push(`### \`${kind}\``, '', branch.description ?? '', '', ...table(fields(branch)));
    }
  }
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

type Row = [name: string, schema: JsonSchema, required: boolean];

function fields(schema: JsonSchema): Row[] {
  return Object.entries(schema.properties ?? {}).map(([name, property]) => [name, property, schema.required?.includes(name) ?? false]);
}

function objectSection(path: string, schema: JsonSchema, depth: number): string[] {
  const out = [`${'#'.repeat(Math.min(depth, 4))} \`${path}\``, '', schema.description ?? '', '', ...table(fields(schema))];
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const resolved = deref(property);
    if (resolved.type === 'object' && resolved.properties) out.push(...objectSection(`${path}.${name}`, resolved, depth + 1));
    for (const [index, branch] of (resolved.anyOf ?? []).entries()) {
      if (branch.type === 'object' && branch.properties) out.push(...objectSection(`${path}.${name} (form ${index + 1})`, branch, depth + 1));
    }
  }
  return out;
}

function table(rows: Row[]): string[] {
  return [
    '| Key | Type | Description |',
    '| --- | --- | --- |',
    ...rows.map(([name, schema, required]) => {
      const resolved = deref(schema);
      const bounds = describeBounds(resolved);
      const kind = resolved.allOf ? 'a layer mapping' : resolved.type === 'array' && resolved.items ? listOf(resolved.items) : describeType(resolved);
      const cells = [`\`${name}\`${required ? ' (required)' : ''}`, `${kind}${bounds ? `, ${bounds}` : ''}`, resolved.description ?? ''];
      return `| ${cells.map((cell) => cell.replace(/\|/g, '\\|').replace(/\n/g, ' ')).join(' | ')} |`;
    }),
    '',
  ];
}

function listOf(items: JsonSchema): string {
  const resolved = deref(items);
  if (resolved.allOf) return 'a list of layers';
  if (resolved.enum) return `a list, each ${describeType(resolved)}`;
  return 'a list of mappings';
}

if (require.main === module) {
  writeFileSync(REFERENCE_PATH, renderSpecReference());
  console.log(`wrote ${REFERENCE_PATH}`);
}
