import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../functions/core/access/roles.js';
import { hashIndicator } from '../../functions/core/parties/party-keys.js';
import { findDevUser, mintDevToken } from '../../functions/local/dev-issuer.js';
import { type EmbeddedStack, startEmbeddedStack } from '../../functions/local/embedded-stack.js';
import { ROUTES } from '../../infra/definitions.js';
import { postAsPartner } from '../support/embedded.js';
import { RUILI_MANIFEST, readSample } from '../support/factories.js';
import { asStaff, partnerStatus } from '../support/staff.js';

/** A concrete request for every staff route, against the flagged Ruili parcel at wuzhou-customs. */
const PARCEL_PATH = '/v1/inspections/southwest-freight/SWF7781000123';
const PARTY_KEY = hashIndicator('phone', '+8613800000000', 'authorization-matrix-salt');
const REQUESTS: Record<string, { path: string; body?: unknown }> = {
  'GET /v1/inspections': { path: '/v1/inspections?office=wuzhou-customs' },
  'GET /v1/inspections/{partnerId}/{parcelId}': { path: PARCEL_PATH },
  'POST /v1/inspections/{partnerId}/{parcelId}/claim': { path: `${PARCEL_PATH}/claim` },
  'POST /v1/inspections/{partnerId}/{parcelId}/release': { path: `${PARCEL_PATH}/release` },
  'POST /v1/inspections/{partnerId}/{parcelId}/outcome': {
    path: `${PARCEL_PATH}/outcome`,
    body: { outcome: 'cleared' },
  },
  'POST /v1/inspections/{partnerId}/{parcelId}/correction': {
    path: `${PARCEL_PATH}/correction`,
    body: {
      finding: { outcome: 'documents-irregular' },
      reason: 'invoice found to be forged',
      corrections: 0,
    },
  },
  'GET /v1/rules/statistics': { path: '/v1/rules/statistics?region=yunnan-guangxi' },
  'GET /v1/offices': { path: '/v1/offices' },
  'GET /v1/parties/{key}/links': { path: `/v1/parties/${PARTY_KEY}/links?region=yunnan-guangxi` },
};

const STAFF_ROUTES = ROUTES.filter((route) => route.auth === 'staff').map((route) => ({
  routeKey: `${route.method} ${route.path}`,
  method: route.method,
  roles: route.roles as readonly string[],
}));
const USERS: Record<Role, [string, string]> = {
  partner: ['officer', 'wuzhou'], // a user whose only group is `partner` (see tokens below)
  officer: ['officer', 'wuzhou'],
  analyst: ['analyst', 'analyst'],
  admin: ['admin', 'admin'],
};

describe('authorization, route by route', () => {
  let stack: EmbeddedStack;
  const tokens = {} as Record<Role, string>;

  beforeAll(async () => {
    stack = await startEmbeddedStack({ visibilityTimeoutSeconds: 1 });
    for (const role of ROLES) {
      const [userRole, username] = USERS[role];
      const user = findDevUser(userRole, username);
      tokens[role] = await mintDevToken(
        user,
        role === 'partner' ? { claims: { 'cognito:groups': ['partner'] } } : {},
      );
    }
    expect(
      (await postAsPartner(stack, 'southwest-freight', JSON.stringify(readSample(RUILI_MANIFEST)))).status,
    ).toBe(202);
    await stack.waitForIdle();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('covers every staff route of ROUTES with a request', () => {
    expect(STAFF_ROUTES.map((route) => route.routeKey).sort()).toEqual(Object.keys(REQUESTS).sort());
  });

  const refused = STAFF_ROUTES.flatMap((route) =>
    ROLES.filter((role) => !route.roles.includes(role)).map((role) => ({ ...route, role })),
  );
  it.each(refused)('refuses $role on $routeKey with 403', async ({ routeKey, method, role }) => {
    // Act
    const response = await asStaff(
      stack.apiUrl,
      tokens[role],
      method,
      REQUESTS[routeKey]!.path,
      REQUESTS[routeKey]!.body,
    );
    // Assess
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ code: 'FORBIDDEN' });
  });

  it.each(STAFF_ROUTES)(
    'refuses anonymous and forged requests on $routeKey with 401',
    async ({ routeKey, method }) => {
      // Prepare
      const expired = await mintDevToken(findDevUser('admin'), {
        now: new Date(Date.now() - 10 * 3600_000),
        expiresInSeconds: 3600,
      });
      const forged = `${tokens.admin.slice(0, -4)}AAAA`;
      const foreignAudience = await mintDevToken(findDevUser('admin'), { claims: { aud: 'another-app' } });
      // Signed, in time and for this app, but an access token: it carries no offices
      const accessToken = await mintDevToken(findDevUser('admin'), { claims: { token_use: 'access' } });
      const { path, body } = REQUESTS[routeKey]!;
      // Act
      const responses = await Promise.all(
        [undefined, expired, forged, foreignAudience, accessToken].map((token) =>
          asStaff(stack.apiUrl, token, method, path, body),
        ),
      );
      // Assess
      expect(responses.map((response) => response.status)).toEqual([401, 401, 401, 401, 401]);
      expect(responses[4]!.body).toMatchObject({
        detail: 'an ID token is required; this bearer token is an access token',
      });
    },
  );

  it('lets every allowed role use its routes, in the order the workflow needs', async () => {
    // Act
    const results: [string, string, number, string | null][] = [];
    const call = async (role: Role, routeKey: string) => {
      const route = STAFF_ROUTES.find((candidate) => candidate.routeKey === routeKey)!;
      const response = await asStaff(
        stack.apiUrl,
        tokens[role],
        route.method,
        REQUESTS[routeKey]!.path,
        REQUESTS[routeKey]!.body,
      );
      results.push([role, routeKey, response.status, response.cacheControl]);
    };
    for (const role of ['officer', 'analyst', 'admin'] as const) await call(role, 'GET /v1/inspections');
    for (const role of ['officer', 'analyst', 'admin'] as const)
      await call(role, 'GET /v1/inspections/{partnerId}/{parcelId}');
    await call('officer', 'POST /v1/inspections/{partnerId}/{parcelId}/claim');
    await call('officer', 'POST /v1/inspections/{partnerId}/{parcelId}/release');
    await call('officer', 'POST /v1/inspections/{partnerId}/{parcelId}/claim');
    await call('officer', 'POST /v1/inspections/{partnerId}/{parcelId}/outcome');
    await call('admin', 'POST /v1/inspections/{partnerId}/{parcelId}/correction');
    for (const role of ['analyst', 'admin'] as const) await call(role, 'GET /v1/rules/statistics');
    for (const role of ['officer', 'analyst'] as const) await call(role, 'GET /v1/parties/{key}/links');
    for (const role of ['officer', 'analyst', 'admin'] as const) await call(role, 'GET /v1/offices');
    // Assess
    expect(results.filter(([, , status]) => status !== 200)).toEqual([]);
    // Answers carry parcels' personal data: no browser or proxy may keep one
    expect(results.filter(([, , , cacheControl]) => cacheControl !== 'no-store')).toEqual([]);
    const allowed = STAFF_ROUTES.flatMap((route) =>
      route.roles.map((role) => `${role} ${route.routeKey}`),
    ).sort();
    expect([...new Set(results.map(([role, routeKey]) => `${role} ${routeKey}`))].sort()).toEqual(allowed);
    // The workflow's end state: the parcel is closed with its corrected outcome, and counted in statistics
    const closed = await asStaff(
      stack.apiUrl,
      tokens.admin,
      'GET',
      '/v1/inspections?office=wuzhou-customs&status=closed',
    );
    expect(closed.body.items.map((item: { parcelId: string }) => item.parcelId)).toEqual(['SWF7781000123']);
    expect(closed.body.items[0].outcome).toMatchObject({ outcome: 'documents-irregular' });
    const statistics = await asStaff(
      stack.apiUrl,
      tokens.admin,
      'GET',
      '/v1/rules/statistics?region=yunnan-guangxi',
    );
    const rules = statistics.body.rules as {
      ruleId: string;
      hits: number;
      inspections: number;
      inRuleSet: boolean;
    }[];
    expect(rules.filter((rule) => rule.inspections > 0).length).toBeGreaterThan(0);
    // Rows for the deployed rule set's rules that never fired, and none for a rule it does not have
    expect(rules.filter((rule) => rule.hits === 0).length).toBeGreaterThan(0);
    expect(rules.filter((rule) => !rule.inRuleSet)).toEqual([]);
    for (const rule of rules.filter((candidate) => candidate.inspections > 0))
      expect(rule.hits).toBeGreaterThanOrEqual(1);
  });

  it("keeps rule statistics to the reader's regions: another region's are refused, and count none of these", async () => {
    // Prepare: the Ruili parcel was flagged and inspected in yunnan-guangxi (the test above)
    const guangdongAnalyst = await mintDevToken(findDevUser('analyst', 'analyst-guangdong'));
    const read = (token: string, query: string) =>
      asStaff(stack.apiUrl, token, 'GET', `/v1/rules/statistics${query}`);
    // Act
    const answers = {
      otherRegion: await read(guangdongAnalyst, '?region=yunnan-guangxi'),
      ownRegion: await read(guangdongAnalyst, ''),
      twoRegionsUnnamed: await read(tokens.analyst, ''),
      twoRegionsNamed: await read(tokens.analyst, '?region=yunnan-guangxi'),
      beforeToday: await read(tokens.analyst, '?region=yunnan-guangxi&until=2026-11-28'),
      backwards: await read(tokens.analyst, '?region=yunnan-guangxi&since=2026-11-29&until=2026-11-28'),
    };
    // Assess
    expect(answers.otherRegion.status).toBe(403);
    expect(answers.ownRegion).toMatchObject({ status: 200, body: { region: 'guangdong' } });
    // The sample manifest's Guangzhou parcel counts in guangdong; the Ruili parcel's inspection does not
    const inspectedIn = (answer: typeof answers.ownRegion) =>
      (answer.body.rules as { inspections: number }[]).filter((rule) => rule.inspections > 0);
    expect((answers.ownRegion.body.rules as { hits: number }[]).some((rule) => rule.hits > 0)).toBe(true);
    expect(inspectedIn(answers.ownRegion)).toEqual([]);
    expect(answers.twoRegionsUnnamed.status).toBe(422);
    expect(answers.twoRegionsUnnamed.body.errors).toEqual([expect.objectContaining({ path: 'region' })]);
    expect(answers.twoRegionsNamed).toMatchObject({ status: 200, body: { region: 'yunnan-guangxi' } });
    expect((answers.twoRegionsNamed.body.rules as { hits: number }[]).some((rule) => rule.hits > 0)).toBe(
      true,
    );
    // Everything here was decided today (the tests run as of 2026-11-29): before it, every rule of the
    // deployed rule set is listed, and none was counted
    expect(answers.beforeToday).toMatchObject({
      status: 200,
      body: { until: '2026-11-28', ruleSetId: 'default' },
    });
    const before = answers.beforeToday.body.rules as {
      hits: number;
      inspections: number;
      inRuleSet: boolean;
    }[];
    expect(before.length).toBeGreaterThan(0);
    expect(before.filter((rule) => rule.hits > 0 || rule.inspections > 0 || !rule.inRuleSet)).toEqual([]);
    expect(answers.backwards.status).toBe(422);
    expect(answers.backwards.body.errors).toEqual([
      { path: 'until', message: 'until is a day on or after since' },
    ]);
  });

  it.each([
    ['an officer of another office lists', 'nanning', 'GET', '/v1/inspections?office=wuzhou-customs', 403],
    ['an officer of another office claims', 'nanning', 'POST', `${PARCEL_PATH}/claim`, 404],
    [
      'a city supervisor lists an office below the city',
      'wuzhou-city',
      'GET',
      '/v1/inspections?office=wuzhou-customs',
      200,
    ],
    [
      'a county officer lists a sibling office',
      'wuzhou',
      'GET',
      '/v1/inspections?office=wuzhou-port-checkpoint',
      403,
    ],
    [
      'an officer reads party links in their own region',
      'wuzhou',
      'GET',
      `/v1/parties/${PARTY_KEY}/links`,
      200,
    ],
    [
      'an officer reads party links in another region',
      'wuzhou',
      'GET',
      `/v1/parties/${PARTY_KEY}/links?region=guangdong`,
      403,
    ],
    [
      'an officer names a city instead of an office',
      'wuzhou-city',
      'GET',
      '/v1/inspections?office=wuzhou',
      422,
    ],
  ])('scopes offices: %s (as %s, %s %s) → %i', async (_name, username, method, path, status) => {
    // Act
    const response = await asStaff(
      stack.apiUrl,
      await mintDevToken(findDevUser('officer', username)),
      method,
      path,
    );
    // Assess
    expect(response.status).toBe(status);
  });

  it('answers a flagged parcel of another office or region exactly as one that is not flagged', async () => {
    // Prepare: SWF7781000123 is flagged at wuzhou-customs (Yunnan–Guangxi); SWF7781000999 does not exist
    const askAs = async (username: string, parcelId: string) => {
      const response = await asStaff(
        stack.apiUrl,
        await mintDevToken(findDevUser('officer', username)),
        'POST',
        `/v1/inspections/southwest-freight/${parcelId}/claim`,
      );
      const { instance: _instance, ...problem } = response.body as Record<string, unknown>;
      return {
        status: response.status,
        ...problem,
        detail: String(problem.detail).replace(parcelId, '<id>'),
      };
    };
    // Act
    const answers = [
      await askAs('nanning', 'SWF7781000123'),
      await askAs('guangzhou', 'SWF7781000123'),
      await askAs('nanning', 'SWF7781000999'),
    ];
    // Assess
    expect(answers[0]).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
    expect(JSON.stringify(answers)).not.toContain('wuzhou');
  });

  it('answers input that no key could hold with 4xx problem+json, never a 500 from DynamoDB', async () => {
    // Prepare
    const long = 'x'.repeat(3_000);
    const handMadeCursor = Buffer.from(
      JSON.stringify({
        pk: 'southwest-freight#SWF7781000123',
        officeStatus: 'wuzhou-customs#open',
        priority: 7,
      }),
    ).toString('base64url');
    const seizure = (amount: number) => ({
      finding: {
        outcome: 'seized',
        seizure: { substance: 'heroin', quantity: { amount, unit: 'kg' }, concealment: 'panel' },
      },
    });
    const unsigned = (path: string, init: RequestInit) => fetch(`${stack.apiUrl}${path}`, init);
    const badSignature = { 'webhook-id': 'm', 'webhook-timestamp': '1', 'webhook-signature': 'v1,x' };

    // Act
    const answers = {
      emptyPartner: await unsigned('/v1/manifests', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...badSignature },
        body: JSON.stringify({ partnerId: '' }),
      }),
      longPartner: await unsigned('/v1/manifests', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...badSignature },
        body: JSON.stringify({ partnerId: long }),
      }),
      longStatusPartner: await unsigned('/v1/manifests/SWF-1', {
        headers: { 'partner-id': long, ...badSignature },
      }),
      longParcel: await asStaff(
        stack.apiUrl,
        tokens.officer,
        'POST',
        `/v1/inspections/southwest-freight/${long}/claim`,
      ),
      handMadeCursor: await asStaff(
        stack.apiUrl,
        tokens.officer,
        'GET',
        `/v1/inspections?office=wuzhou-customs&cursor=${handMadeCursor}`,
      ),
      hugeSeizure: await asStaff(
        stack.apiUrl,
        tokens.officer,
        'POST',
        `${PARCEL_PATH}/outcome`,
        seizure(1e200),
      ),
      subnormalSeizure: await asStaff(
        stack.apiUrl,
        tokens.officer,
        'POST',
        `${PARCEL_PATH}/outcome`,
        seizure(5e-324),
      ),
    };

    // Assess
    const statuses = Object.fromEntries(
      Object.entries(answers).map(([name, answer]) => [name, answer.status]),
    );
    expect(statuses).toEqual({
      emptyPartner: 401,
      longPartner: 401,
      longStatusPartner: 401,
      longParcel: 404,
      handMadeCursor: 422,
      hugeSeizure: 422,
      subnormalSeizure: 422,
    });
    for (const answer of [answers.emptyPartner, answers.longPartner, answers.longStatusPartner])
      expect(answer.headers.get('content-type')).toBe('application/problem+json');
  });

  it('answers a request no route serves with a problem document: 404, or 405 with allow', async () => {
    // Act
    const unknown = await fetch(`${stack.apiUrl}/v1/nothing`);
    const wrongMethod = await fetch(`${stack.apiUrl}/v1/manifests`);
    const badEscape = await fetch(`${stack.apiUrl}/v1/manifests/%E0%A4%A`);

    // Assess
    expect([unknown.status, wrongMethod.status, badEscape.status]).toEqual([404, 405, 404]);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
    for (const answer of [unknown, wrongMethod, badEscape])
      expect(answer.headers.get('content-type')).toBe('application/problem+json');
  });

  it.each([
    [
      'a repeated query parameter, read as API Gateway gives it: one office named with both values',
      '/v1/inspections?office=wuzhou-customs&office=nanning-customs',
      { code: 'VALIDATION_FAILED', errors: [{ path: 'office' }] },
    ],
    [
      'a queue cursor it did not issue',
      '/v1/inspections?office=wuzhou-customs&cursor=bm9wZQ',
      {
        code: 'VALIDATION_FAILED',
        errors: [{ path: 'cursor', message: 'not a cursor this queue issued for this office and status' }],
      },
    ],
  ])('refuses %s with 422, naming the parameter', async (_case, path, problem) => {
    // Act
    const answer = await asStaff(stack.apiUrl, tokens.admin, 'GET', path);
    // Assess
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject(problem);
  });

  it.each([
    ['its own manifest with a valid signature', 'southwest-freight', {}, 200],
    ['another partner’s manifest', 'pearl-express', {}, 404],
    [
      'a signature made with another secret',
      'southwest-freight',
      { secret: 'whsec_NObSePDGxVRp+16NYwZg7NSTGnkpNzGX' },
      401,
    ],
    ['a partner id that does not exist', 'southwest-freight', { asPartner: 'nobody' }, 401],
  ])('answers a partner reading %s with %i', async (_name, partnerId, options, status) => {
    expect((await partnerStatus(stack, partnerId, 'SWF-20261127-0041', options)).status).toBe(status);
  });

  // ---- GET /v1/offices (the console's office choices) --------------------------------------------
  it('answers GET /v1/offices with the inspection offices each role’s grants cover, and refuses the rest', async () => {
    // Prepare
    const cityOfficer = await mintDevToken(findDevUser('officer', 'wuzhou-city'));
    const offices = (token: string | undefined) => asStaff(stack.apiUrl, token, 'GET', '/v1/offices');
    const ids = (answer: { body: { offices: { id: string }[] } }) => answer.body.offices.map(({ id }) => id);
    // Act
    const answers = {
      officer: await offices(tokens.officer),
      cityOfficer: await offices(cityOfficer),
      analyst: await offices(tokens.analyst),
      admin: await offices(tokens.admin),
      partner: await offices(tokens.partner),
      anonymous: await offices(undefined),
    };
    // Assess
    expect(answers.officer.status).toBe(200);
    expect(ids(answers.officer)).toEqual(['wuzhou-customs']);
    expect(ids(answers.cityOfficer)).toEqual(['wuzhou-customs', 'wuzhou-port-checkpoint']);
    for (const answer of [answers.analyst, answers.admin]) {
      expect(answer.status).toBe(200);
      expect(ids(answer)).toEqual(expect.arrayContaining(['wuzhou-customs', 'nanning-customs']));
      expect(ids(answer)).not.toContain('yunnan-guangxi');
    }
    expect(answers.partner).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    expect(answers.anonymous.status).toBe(401);
  });
});
