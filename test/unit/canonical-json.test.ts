import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../functions/core/canonical-json.js';

class Tag {
  name = 'x';
}

describe('canonical JSON', () => {
  it.each([
    [
      'sorted keys at every depth',
      { b: 1, a: { d: [1, { f: 2, e: 3 }] } },
      '{"a":{"d":[1,{"e":3,"f":2}]},"b":1}',
    ],
    ['undefined members dropped', { a: undefined, b: 'x' }, '{"b":"x"}'],
    ['undefined in a list as null, as JSON writes it', [1, undefined], '[1,null]'],
    ['an object without a prototype', Object.assign(Object.create(null), { b: 2, a: 1 }), '{"a":1,"b":2}'],
    ['text escaped as JSON escapes it', { 'k"': 'line\nbreak' }, '{"k\\"":"line\\nbreak"}'],
    ['negative zero as 0', { a: -0 }, '{"a":0}'],
  ])('writes %s', (_name, value, text) => {
    expect(canonicalJson(value)).toBe(text);
  });

  it.each([
    ['NaN', { a: [1, Number.NaN] }, '$.a[1] is NaN'],
    ['Infinity', { a: Number.POSITIVE_INFINITY }, '$.a is Infinity'],
    ['-Infinity', [Number.NEGATIVE_INFINITY], '$[0] is -Infinity'],
    ['a function', { f: () => 1 }, '$.f is a function'],
    ['a symbol', { s: Symbol('s') }, '$.s is a symbol'],
    ['a bigint', { n: 1n }, '$.n is a bigint'],
    ['a Date', { at: new Date(0) }, '$.at is a Date'],
    ['a Map', { m: new Map([['a', 1]]) }, '$.m is a Map'],
    ['a Set', { s: new Set(['a']) }, '$.s is a Set'],
    ['a class instance', { t: new Tag() }, '$.t is a Tag'],
  ])('refuses %s, naming where it is', (_name, value, message) => {
    expect(() => canonicalJson(value)).toThrow(TypeError);
    expect(() => canonicalJson(value)).toThrow(message);
  });

  it('never gives two different contents one text', () => {
    // JSON.stringify writes both of each pair the same way: a version or hash chain would not see the change.
    const pairs: [unknown, unknown][] = [
      [{ a: Number.NaN }, { a: null }],
      [{ at: new Date(0) }, { at: {} }],
      [{ s: new Set(['x']) }, { s: {} }],
    ];
    for (const [one, other] of pairs) {
      let first: string | undefined;
      try {
        first = canonicalJson(one);
      } catch {
        first = undefined;
      }
      expect(first).not.toBe(canonicalJson(other));
    }
  });
});
