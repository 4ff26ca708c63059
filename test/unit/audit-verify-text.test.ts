import { describe, expect, it } from 'vitest';
import { anchoredLine, chainLines, verifyPassedLine } from '../../functions/tools/audit-verify-text.js';

describe('the audit CLI lines', () => {
  it.each([
    [1, 'ok       wuzhou-customs: 1 entry, not anchored yet'],
    [2, 'ok       wuzhou-customs: 2 entries, not anchored yet'],
  ])('counts %i entries of an intact chain in the right number', (entries, line) => {
    // Act
    const lines = chainLines({ chain: 'wuzhou-customs', entries, ok: true });

    // Assess
    expect(lines).toEqual([line]);
  });

  it.each([
    [1, 'audit verify passed: 1 chain intact'],
    [2, 'audit verify passed: 2 chains intact'],
  ])('says %i chains passed in the right number', (chains, line) => {
    // Act, Assess
    expect(verifyPassedLine(chains)).toBe(line);
  });

  it('names one anchored chain as one', () => {
    // Act
    const one = anchoredLine([{ chain: 'rules', seq: 4 }], '2026-11-29T10:00:00.000Z');
    const two = anchoredLine(
      [
        { chain: 'rules', seq: 4 },
        { chain: 'wuzhou-customs', seq: 9 },
      ],
      '2026-11-29T10:00:00.000Z',
    );

    // Assess
    expect(one).toBe('anchored 1 chain at 2026-11-29T10:00:00.000Z: rules #4');
    expect(two).toBe('anchored 2 chains at 2026-11-29T10:00:00.000Z: rules #4, wuzhou-customs #9');
  });

  it('escapes a chain name that would move the terminal, as the verify lines do', () => {
    // Act
    const line = anchoredLine([{ chain: 'rules\u001b[2J\u202e', seq: 4 }], '2026-11-29T10:00:00.000Z');

    // Assess
    expect(line).toBe('anchored 1 chain at 2026-11-29T10:00:00.000Z: rules\\u{1b}[2J\\u{202e} #4');
  });
});
