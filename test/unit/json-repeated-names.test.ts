import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstRepeatedName } from '../../events/json-repeated-names.js';

describe('firstRepeatedName', () => {
  it.each([
    ['no object', '[1, "a", true, null]', undefined],
    ['distinct names', '{"a": 1, "b": {"a": 2}, "c": [{"a": 3}, {"a": 4}]}', undefined],
    ['a name at the top twice', '{"a": 1, "b": 2, "a": 3}', ['a']],
    [
      'a name twice in a nested object',
      '{"p": [{"x": 1}, {"x": 1, "y": {"z": 1, "z": 2}}]}',
      ['p', 1, 'y', 'z'],
    ],
    ['the same name written with an escape', '{"phone": "1", "ph\\u006fne": "2"}', ['phone']],
    ['names that differ only inside an escape', '{"a\\"b": 1, "a\\\\b": 2}', undefined],
    ['a value equal to a name', '{"a": "a", "b": "a"}', undefined],
    ['strings in an array after an empty object', '{"a": [{}, "a", "b"], "b": 1}', undefined],
    ['braces and commas inside strings', '{"a": "{\\"b\\": 1, \\"b\\": 2}", "c": ",{"}', undefined],
    ['an empty name twice', '{"": 1, "": 2}', ['']],
  ])('%s', (_name, text, path) => {
    JSON.parse(text);
    expect(firstRepeatedName(text)?.path).toEqual(path);
  });

  it('finds no repeated name in any JSON that JSON.stringify writes', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(firstRepeatedName(JSON.stringify(value))).toBeUndefined();
        expect(firstRepeatedName(JSON.stringify(value, null, 2))).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });

  it('finds a name repeated in any object of a JSON value, at its path', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.jsonValue(), { minKeys: 1 }),
        fc.array(fc.oneof(fc.string(), fc.nat({ max: 3 })), { maxLength: 3 }),
        (object, where) => {
          const [name] = Object.keys(object);
          const repeated = `${JSON.stringify(object).slice(0, -1)},${JSON.stringify(name)}:0}`;
          // Nested at `where`: an array holds the object at its index after that many nulls, an object under a name.
          let text = repeated;
          const path: (string | number)[] = [name!];
          for (const step of [...where].reverse()) {
            text =
              typeof step === 'number'
                ? `[${'null,'.repeat(step)}${text}]`
                : `{${JSON.stringify(step)}:${text}}`;
            path.unshift(step);
          }
          expect(firstRepeatedName(text)?.path).toEqual(path);
        },
      ),
      { numRuns: 500 },
    );
  });

  it.each<[string, string, (string | number)[] | undefined]>([
    [
      'passes over repeats it does not take, to the one it takes',
      '{"x": 1, "x": 2, "partnerId": "a", "partnerId": "b"}',
      ['partnerId'],
    ],
    ['finds none when only other names repeat', '{"partnerId": "a", "x": 1, "x": 2}', undefined],
    [
      'takes no nested partnerId for the top-level one',
      '{"partnerId": "a", "t": {"partnerId": "a", "partnerId": "b"}}',
      undefined,
    ],
    [
      'counts a name repeated three times once taken',
      '{"partnerId": "a", "partnerId": "b", "partnerId": "c"}',
      ['partnerId'],
    ],
  ])('with a filter, %s', (_name, text, path) => {
    // Act
    const found = firstRepeatedName(text, (at) => at.length === 1 && at[0] === 'partnerId');
    // Assess
    expect(found?.path).toEqual(path);
  });
});
