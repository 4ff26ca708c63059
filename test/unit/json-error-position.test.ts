import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseJsonText } from '../../events/input-issues.js';
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
    ['a trailing comma after tab-indented members', '{\n\t"a": 1,\n}'],
    ['a trailing comma in a body with CRLF line ends', '{\r\n  "a": 1,\r\n}'],
    ['a bad last digit of a \\u escape', '{"a":"\\u123g"}'],
    ['a trailing comma after escaped slashes', '{"a":"http:\\/\\/x",}'],
    ['a trailing comma after escaped quotes', '{"a":"say \\"hi\\"",}'],
    ['a trailing comma after a capital-E exponent', '{"a":1E5,}'],
    ['a trailing comma after a negative exponent', '{"a":1e-5,}'],
    ['a trailing comma after a number with zeros', '{"a":100,}'],
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

/** The 400's detail for text that is not JSON. */
const detailOf = (text: string): string => {
  try {
    parseJsonText(text);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the text parsed as JSON');
};

/** A sample manifest as a partner sends it, cut off in transfer just before `marker`, or just after it. */
const SAMPLE = readFileSync(
  resolve(import.meta.dirname, '../../events/samples/manifests/pearl-express-shenzhen-nanning.json'),
  'utf8',
);
const cutBefore = (marker: string) => SAMPLE.slice(0, SAMPLE.indexOf(marker));
const cutAfter = (marker: string) => SAMPLE.slice(0, SAMPLE.indexOf(marker) + marker.length);

describe('parseJsonText on a body cut off in transfer', () => {
  it.each([
    // V8 words each of these differently, and only the first as "Unexpected end of JSON input"
    ['after a member name and colon', '{"manifestId": ', 15, 1, 16],
    ['after a number in an array', '{"manifestId":"M","parcels":[1', 30, 1, 31],
    ['after a number member', '{"a":1', 6, 1, 7],
    ['after a member name', '{"a"', 4, 1, 5],
    ['after an array element', '[1,2', 4, 1, 5],
    ['inside a string', '{"a":"x', 7, 1, 8],
    ['after a minus sign', '-', 1, 1, 2],
    ['after spaces following a member', '{"a":1  \n', 9, 2, 1],
    ['inside an escape', '{"a":"\\u00', 10, 1, 11],
    ['inside a literal', '{"a":tr', 7, 1, 8],
    [
      'a manifest inside a postcode string',
      `${cutBefore('"518000"')}"51`,
      cutBefore('"518000"').length + 3,
      20,
      26,
    ],
    [
      'a manifest after a complete member',
      cutAfter('"postcode": "518000"'),
      cutAfter('"postcode": "518000"').length,
      20,
      31,
    ],
  ])('says it ends too soon, and where: %s', (_name, text, length, line, column) => {
    // Prepare: the scanner agrees the text is JSON up to its end
    expect(jsonErrorOffset(text)).toBe(text.length);
    // Act
    const detail = detailOf(text);
    // Assess
    expect(detail).toBe(
      `request body is not valid JSON: it ends (after ${length} character${length === 1 ? '' : 's'}) before the JSON value is complete, at line ${line}, column ${column}`,
    );
  });

  it.each([
    ['a missing colon', '{"manifestId" "M"}', ' at line 1, column 15'],
    ['NaN', '{"a": NaN}', ' at line 1, column 7'],
    ['text after the value', '{"a":1}x', ' at line 1, column 8'],
    ['a second line', '{\n  "a": tru}', ' at line 2, column 11'],
    ['an empty body', ' \n', ': the body is empty'],
    ['a byte order mark', '\uFEFF{}', ': it starts with a byte order mark (U+FEFF); send UTF-8 without one'],
    [
      'a byte order mark alone',
      '\uFEFF',
      ': it starts with a byte order mark (U+FEFF); send UTF-8 without one',
    ],
    ['no-break spaces alone', '\u00A0\u00A0', ' at line 1, column 1'],
  ])('still says where other malformed bodies fail: %s', (_name, text, where) => {
    // Act
    const detail = detailOf(text);
    // Assess
    expect(detail).toBe(`request body is not valid JSON${where}`);
  });
});
