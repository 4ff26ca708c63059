import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { UnauthorizedError } from '../../functions/platform/errors.js';
import { groupsClaim, officesClaim, staffPrincipalOf } from '../../functions/platform/staff-auth.js';

describe('staff claims', () => {
  it.each([
    ['API Gateway’s rendering of an array', '[officer admin]', ['officer', 'admin']],
    ['a one-element array rendering', '[officer]', ['officer']],
    ['a decoded array', ['officer', 'analyst'], ['officer', 'analyst']],
    ['a single group as a string', 'officer', ['officer']],
    ['one group whose name ends in a bracket', 'xadmin]', ['xadmin]']],
    ['one group whose name holds a comma', 'analyst,admin', ['analyst,admin']],
    ['a rendered array of one group whose name holds a comma', '[analyst,admin]', ['analyst,admin']],
    ['an empty string', '', []],
    ['no claim', undefined, []],
  ])('reads groups from %s', (_name, value, expected) => {
    expect(groupsClaim(value)).toEqual(expected);
  });

  it.each([
    ['a comma-separated custom attribute', 'wuzhou-customs, nanning', ['wuzhou-customs', 'nanning']],
    ['a single value', 'wuzhou-customs', ['wuzhou-customs']],
    ['a decoded array', ['wuzhou-customs'], ['wuzhou-customs']],
    ['an empty string', '', []],
    ['no claim', undefined, []],
  ])('reads offices from %s', (_name, value, expected) => {
    expect(officesClaim(value)).toEqual(expected);
  });

  it.each([
    ['a string', 'analyst,admin'],
    ['API Gateway’s rendering of an array', '[analyst,admin]'],
  ])('grants no role for a group named analyst,admin in %s', (_name, groups) => {
    // Prepare: the claims as the gateway puts them
    const event = {
      requestContext: {
        authorizer: { jwt: { claims: { sub: 'u-1', token_use: 'id', 'cognito:groups': groups } } },
      },
    } as unknown as APIGatewayProxyEventV2;

    // Act
    const principal = staffPrincipalOf(event);

    // Assess
    expect(principal.roles).toEqual([]);
  });

  it.each([
    [
      'a token of no declared use',
      { sub: 'u-1', 'cognito:groups': '[admin]', 'custom:offices': 'yunnan-guangxi' },
    ],
    [
      'an empty subject',
      { sub: '', token_use: 'id', 'cognito:groups': '[admin]', 'custom:offices': 'yunnan-guangxi' },
    ],
  ])('refuses %s with 401', (_name, claims) => {
    // Prepare
    const event = {
      requestContext: { authorizer: { jwt: { claims } } },
    } as unknown as APIGatewayProxyEventV2;

    // Act / Assess
    expect(() => staffPrincipalOf(event)).toThrow(UnauthorizedError);
  });
});
