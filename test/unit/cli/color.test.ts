/**
 * Colour, as well-kept CLIs decide it: on a terminal only, unless `NO_COLOR` (off) or
 * `FORCE_COLOR` (on, also into pipes and CI logs) says otherwise; `--color=always|never|auto` and
 * `--no-color` decide for one run.
 */
import { describe, expect, it } from 'vitest';
import { colorEnabled } from '../../../src/cli/common/style.js';
import { main } from '../../../src/cli/main.js';
import { fakeIo } from '../../helpers/fake-io.js';

const ESC = '\u001b[';
const CLASSIFY = ['classify', 'examples/events', '--iam-snapshot', 'examples/iam-snapshot.json'];

describe('colorEnabled', () => {
  it.each([
    ['a terminal', { isTTY: true }, {}, true],
    ['a pipe', { isTTY: false }, {}, false],
    ['a terminal with NO_COLOR=1', { isTTY: true }, { NO_COLOR: '1' }, false],
    ['a terminal with an empty NO_COLOR', { isTTY: true }, { NO_COLOR: '' }, true],
    ['a pipe with FORCE_COLOR=1', { isTTY: false }, { FORCE_COLOR: '1' }, true],
    ['a terminal with FORCE_COLOR=0', { isTTY: true }, { FORCE_COLOR: '0' }, false],
    [
      'a pipe with NO_COLOR and FORCE_COLOR',
      { isTTY: false },
      { NO_COLOR: '1', FORCE_COLOR: '1' },
      false,
    ],
    ['a dumb terminal', { isTTY: true }, { TERM: 'dumb' }, false],
  ])('%s → %s', (_what, stream, env, expected) => {
    // Act
    const on = colorEnabled(stream, env);

    // Assess
    expect(on).toBe(expected);
  });
});

describe('--color', () => {
  it('--color=always colours classify into a pipe; the default does not', async () => {
    // Prepare
    const forced = fakeIo();
    const plain = fakeIo();

    // Act
    const forcedCode = await main(['--color=always', ...CLASSIFY], forced);
    const plainCode = await main(CLASSIFY, plain);

    // Assess
    expect([forcedCode, plainCode]).toEqual([0, 0]);
    expect(forced.out()).toContain(ESC);
    expect(plain.out()).not.toContain(ESC);
    expect(
      forced
        .out()
        .split(ESC)
        .map((part, i) => (i === 0 ? part : part.replace(/^\d+m/, '')))
        .join('')
    ).toBe(plain.out());
  });

  it('--no-color and --color=never turn colour off on a terminal, even with FORCE_COLOR', async () => {
    // Prepare
    const never = fakeIo({ isTTY: true, env: { FORCE_COLOR: '1' } });
    const no = fakeIo({ isTTY: true });
    const tty = fakeIo({ isTTY: true });

    // Act
    await main([...CLASSIFY, '--color=never'], never);
    await main([...CLASSIFY, '--no-color'], no);
    await main(CLASSIFY, tty);

    // Assess
    expect(never.out()).not.toContain(ESC);
    expect(no.out()).not.toContain(ESC);
    expect(tty.out()).toContain(ESC);
  });

  it('rejects an unknown --color value with exit 1', async () => {
    // Prepare
    const io = fakeIo();

    // Act
    const code = await main(['--color=sometimes', ...CLASSIFY], io);

    // Assess
    expect(code).toBe(1);
    expect(io.err()).toBe('oidcwatch: --color must be always, never or auto, got "sometimes"\n');
    expect(io.out()).toBe('');
  });
});
