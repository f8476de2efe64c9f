/**
 * The docs a newcomer reads live in the repository and tell them only commands that work: every
 * relative link resolves to a file of the repository, nothing points at design notes outside it,
 * no doc or message tells anyone to run `npx oidcwatch` (the name is not ours on the registry),
 * and every `uses:` of the doctor Action is pinned to a full commit SHA.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const DOCS = [
  'README.md',
  ...readdirSync('docs')
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []
  );
}

describe('docs in the repository', () => {
  it.each(DOCS)('%s: every relative link resolves to a file of the repository', (doc) => {
    // Prepare
    const text = readFileSync(doc, 'utf8');

    // Act
    const broken = [...text.matchAll(/\]\(([^)\s]+)\)/g)]
      .map((m) => m[1] as string)
      .filter((link) => !/^[a-z]+:/.test(link) && !link.startsWith('#'))
      .map((link) => join(dirname(doc), link.split('#')[0] as string))
      .filter((path) => !existsSync(path));

    // Assess
    expect(broken).toEqual([]);
  });

  it('nothing points at design notes outside the repository', () => {
    // Prepare
    const files = [
      ...DOCS,
      'action.yml',
      ...sources('src'),
      ...sources('scripts'),
      ...sources('test'),
    ];

    // Act
    const outside = files.filter((f) =>
      /DESIGN\.md|shared\/reference|\.\.\/\.\.\/shared\//.test(readFileSync(f, 'utf8'))
    );

    // Assess
    expect(outside.filter((f) => f !== 'test/unit/docs/docs-in-repository.test.ts')).toEqual([]);
  });

  it('no doc or message tells anyone to run `npx oidcwatch`, and every uses: is pinned by SHA', () => {
    // Prepare
    const files = [...DOCS, 'action.yml', ...sources('src')];

    // Act
    const npx = files.filter((f) =>
      /(run:\s*|^\s*\$?\s*)npx (--yes |-y )?(github:\S+\/)?oidcwatch\b/m.test(
        readFileSync(f, 'utf8')
      )
    );
    const uses = files.flatMap((f) =>
      [
        ...readFileSync(f, 'utf8').matchAll(
          /uses:\s*([\w<>.-]+\/oidcwatch@(?:<full commit SHA>|\S+))/g
        ),
      ].map((m) => m[1])
    );

    // Assess
    expect(npx).toEqual([]);
    expect(uses.length).toBeGreaterThan(2);
    for (const ref of uses) expect(ref).toMatch(/@([0-9a-f]{40}|<full commit SHA>)$/);
  });
});
