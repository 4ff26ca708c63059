import { describe, expect, it } from 'vitest';
import { type FactType, SCREENING_FACTS_TYPE } from '../../../functions/core/rules/fact-types.js';
import { FIELD_READERS } from '../../../functions/core/rules/field-readers.js';

const fieldNames = (type: FactType, names = new Set<string>()): Set<string> => {
  if (type.kind === 'object') {
    for (const [name, field] of Object.entries(type.fields)) {
      names.add(name);
      fieldNames(field, names);
    }
  } else if (type.kind === 'list') fieldNames(type.element, names);
  return names;
};

describe('field readers', () => {
  const names = [...fieldNames(SCREENING_FACTS_TYPE)].sort();

  it('has a reader for every field a fact path can name', () => {
    // Prepare / Act
    const without = names.filter((name) => FIELD_READERS[name] === undefined);

    // Assess
    expect(names.length).toBeGreaterThan(0);
    expect(without).toEqual([]);
  });

  it.each(names)('reads %s by its own name', (name) => {
    // Prepare
    const object = { [name]: `value of ${name}`, other: 1 };

    // Act
    const value = FIELD_READERS[name]?.(object);

    // Assess
    expect(value).toBe(`value of ${name}`);
  });
});
