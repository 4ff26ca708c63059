import { describe, expect, it } from 'vitest';
import { jsonErrorOffset, lineAndColumnOf } from '../../events/json-error-position.js';

/** V8's own offset, where its message gives one. */
const v8Offset = (text: string): number | undefined => {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    const at = /at position (\d+)/.exec((error as Error).message);
    return at === null ? -1 : Number(at[1]);
  }
};

describe('jsonErrorOffset', () => {
  it.each([
    ['an object', '{"a":1}'],
    ['nested containers and an escape', ' {"a":[1,{"b":null}],"c":"x\\u00e9","d":-0.5e+3} '],
    ['empty containers with spaces', '{"a" :1 , "b":[ ] , "c":{ }}'],
    ['a scalar', '"text"'],
  ])('finds nothing wrong in %s', (_name, text) => {
    expect(jsonErrorOffset(text)).toBeUndefined();
  });

  it.each([
    ['a trailing comma in an object', '{"a":1,}'],
    ['a missing colon', '{"manifestId" "M"}'],
    ['a single-quoted name', "{'a':1}"],
    ['a bad escape', '{"a":"\\x"}'],
    ['a bad \\u escape', '{"a":"\\u12g4"}'],
    ['a leading zero', '{"a":01}'],
    ['a fraction without digits', '{"a":1.}'],
    ['a minus alone', '{"a":-}'],
    ['a second value', '1 2'],
    ['an unterminated string', '"abc'],
    ['a line break in a string', '{"a":"b\nc"}'],
    ['a missing comma', '[1 2]'],
    ['an exponent without digits', '{"a":1e+}'],
  ])('finds %s where V8 does', (_name, text) => {
    expect(jsonErrorOffset(text)).toBe(v8Offset(text));
  });

  it.each([
    // V8 names no position for these
    ['NaN', '{"a": NaN}', 6],
    ['Infinity', '{"a":Infinity}', 5],
    ['a literal cut short', '{"a": tru}', 9],
    ['a trailing comma in an array', '[1,2,]', 5],
  ])('finds %s, where V8 gives no position', (_name, text, offset) => {
    expect(v8Offset(text)).toBe(-1);
    expect(jsonErrorOffset(text)).toBe(offset);
  });

  it('survives nesting deeper than the call stack', () => {
    expect(jsonErrorOffset(`${'['.repeat(200_000)}x`)).toBe(200_000);
  });

  it('gives a 1-based line and column', () => {
    expect(lineAndColumnOf('{\n  "a": NaN\n}', 9)).toEqual({ line: 2, column: 8 });
  });
});
