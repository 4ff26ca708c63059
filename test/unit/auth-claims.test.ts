import { describe, expect, it } from 'vitest';
import { listClaim } from '../../functions/platform/staff-auth.js';

describe('list claims', () => {
  it.each([
    ['API Gateway’s rendering of an array', '[officer admin]', ['officer', 'admin']],
    ['a one-element array rendering', '[officer]', ['officer']],
    ['a decoded array', ['officer', 'analyst'], ['officer', 'analyst']],
    ['a comma-separated custom attribute', 'wuzhou-customs, nanning', ['wuzhou-customs', 'nanning']],
    ['a single value', 'wuzhou-customs', ['wuzhou-customs']],
    ['an empty string', '', []],
    ['no claim', undefined, []],
  ])('reads %s', (_name, value, expected) => {
    expect(listClaim(value)).toEqual(expected);
  });
});
