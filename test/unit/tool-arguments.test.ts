import { describe, expect, it } from 'vitest';
import { parseToolArgs, positiveWholeNumber } from '../../functions/tools/arguments.js';

const OPTIONS = {
  'overlap-hours': { type: 'string' },
  tag: { type: 'string', multiple: true },
  json: { type: 'boolean', short: 'j' },
} as const;

const parse = (args: string[]) => parseToolArgs({ args, options: OPTIONS, allowPositionals: true });

describe('parseToolArgs', () => {
  it.each<[string, string[], string]>([
    ['a value option', ['--overlap-hours', '24', '--overlap-hours', '0'], '--overlap-hours is given 2 times'],
    [
      'a value option in = form',
      ['--overlap-hours=24', 'rotate', '--overlap-hours=0'],
      '--overlap-hours is given 2 times',
    ],
    ['a flag, once long and once short', ['--json', '-j'], '--json is given 2 times'],
  ])('refuses %s given twice, rather than keeping the last', (_name, args, message) => {
    // Act
    const thrown = (() => {
      try {
        parse(args);
      } catch (error) {
        return error as Error & { code?: string };
      }
    })();

    // Assess: as parseArgs throws, so each tool tells it as a usage error
    expect(thrown?.message).toBe(`${message}: give it once`);
    expect(thrown?.code).toMatch(/^ERR_PARSE_ARGS/);
  });

  it('takes an option declared multiple as often as given, and each other option once', () => {
    // Act
    const { values, positionals } = parse(['rotate', '--tag', 'a', '--tag', 'b', '--overlap-hours', '24']);

    // Assess
    expect(values).toEqual({ tag: ['a', 'b'], 'overlap-hours': '24' });
    expect(positionals).toEqual(['rotate']);
  });

  it('throws what parseArgs throws for an unknown option', () => {
    expect(() => parse(['--colour', 'red'])).toThrow(/Unknown option '--colour'/);
  });
});

describe('positiveWholeNumber', () => {
  it.each([
    ['16', 16],
    ['0x10', undefined],
    ['1e1', undefined],
    [' 8', undefined],
    ['0', undefined],
    ['9007199254740993', undefined],
  ])('reads %j as %j', (written, value) => {
    expect(positiveWholeNumber(written)).toBe(value);
  });
});
