import { describe, expect, it } from 'vitest';
import { methodsServed, pathMatcher } from '../../functions/core/routing/path-template.js';

describe('route path templates', () => {
  it.each([
    [
      '/v1/inspections/{partnerId}/{parcelId}/claim',
      '/v1/inspections/pex/P%201/claim',
      { partnerId: 'pex', parcelId: 'P 1' },
    ],
    ['/v1/inspections/{partnerId}/{parcelId}/claim', '/v1/inspections/pex/claim', undefined],
    ['/v1/manifests/{manifestId}', '/v1/manifests/a/b', undefined],
    ['/v1/manifests/{manifestId}', '/v1/manifests/%E0%A4%A', undefined],
    ['/console', '/console', {}],
    ['/v1/manifests/{manifestId}', '/api/v1/manifests/M-1', undefined],
  ])('matches %s against %s', (template, path, expected) => {
    // Act / Assess
    expect(pathMatcher(template)(path)).toEqual(expected);
  });

  it('lists the methods served at a path, sorted', () => {
    // Prepare
    const routes = [
      { method: 'POST', path: '/v1/manifests' },
      { method: 'GET', path: '/v1/manifests/{manifestId}' },
      { method: 'DELETE', path: '/v1/manifests/{manifestId}' },
    ];

    // Act / Assess
    const allowedMethods = methodsServed(routes);
    expect(allowedMethods('/v1/manifests/M-1')).toEqual(['DELETE', 'GET']);
    expect(allowedMethods('/v1/elsewhere')).toEqual([]);
  });

  it('lists a method once when several routes of that method match the path', () => {
    // Prepare
    const routes = [
      { method: 'GET', path: '/v1/manifests/{manifestId}' },
      { method: 'GET', path: '/v1/manifests/latest' },
    ];

    // Act
    const methods = methodsServed(routes)('/v1/manifests/latest');

    // Assess
    expect(methods).toEqual(['GET']);
  });
});
