/**
 * The docs that are generated, wholly or in blocks, from the code that is their source. Run
 * `npm run docs` after changing that code; `test/unit/docs/generated-docs.test.ts` fails while a
 * doc is stale.
 *
 * A doc with blocks keeps its prose; each `<!-- generated:NAME -->…<!-- /generated:NAME -->`
 * block is replaced by the current rendering of NAME.
 */
import { IAM_SNAPSHOT_SCHEMA } from '../../src/adapters/snapshot/snapshot-schema.js';
import { causesDocBlocks } from './causes.js';

const BLOCK = /<!-- generated:([\w-]+) -->\n[\s\S]*?<!-- \/generated:\1 -->/g;

/**
 * `doc` with every generated block replaced.
 *
 * @throws when the doc names a block that `blocks` lacks
 */
export function withGeneratedBlocks(
  path: string,
  doc: string,
  blocks: Readonly<Record<string, string>>
): string {
  return doc.replace(BLOCK, (_all, name: string) => {
    const body = blocks[name];
    if (body === undefined) throw new Error(`${path} names an unknown generated block "${name}"`);
    return `<!-- generated:${name} -->\n${body}\n<!-- /generated:${name} -->`;
  });
}

const schemaJson = `${JSON.stringify(IAM_SNAPSHOT_SCHEMA, null, 2)}\n`;

/** A generated doc: its path and what it must hold, given what it holds now. */
export interface GeneratedDoc {
  readonly path: string;
  readonly render: (current: string) => string;
}

/** Every generated doc. */
export const GENERATED_DOCS: readonly GeneratedDoc[] = [
  {
    path: 'docs/causes.md',
    render: (current) => withGeneratedBlocks('docs/causes.md', current, causesDocBlocks()),
  },
  {
    path: 'docs/iam-snapshot.md',
    render: (current) =>
      withGeneratedBlocks('docs/iam-snapshot.md', current, {
        schema: `\`\`\`json\n${schemaJson}\`\`\``,
      }),
  },
  { path: 'docs/iam-snapshot.schema.json', render: () => schemaJson },
];
