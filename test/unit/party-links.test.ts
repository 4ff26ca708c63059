import { describe, expect, it } from 'vitest';
import { InMemoryPartyHistory } from '../../functions/adapters/in-memory-party-history.js';
import { inTurnByKind, makeGetPartyLinks } from '../../functions/parties/party-links.js';
import { ValidationError } from '../../functions/platform/errors.js';
import type { ParcelObservation } from '../../functions/ports/party-history.js';
import { keyOf, partyKeys } from '../support/party-history-contract.js';

const NOW = new Date('2026-11-28T10:00:00.000Z');
const clock = { now: () => NOW };

const observe = (
  parcelKey: string,
  labels: Parameters<typeof partyKeys>[0],
  flagged = false,
): ParcelObservation => ({
  parcelKey,
  region: 'yunnan',
  observedAt: '2026-11-27T08:00:00.000Z',
  keys: partyKeys(labels),
  originCity: 'Ruili',
  flagged,
});

/** Phone 1 receives from shipper S at address A; phone 2 also uses address A; phone 3 receives from S elsewhere. */
const aNeighbourhood = async () => {
  const history = new InMemoryPartyHistory();
  await history.record([
    observe('p1', { consignee: 1, shipper: 'S', address: 'A' }, true),
    observe('p2', { consignee: 2, shipper: 'T', address: 'A' }),
    observe('p3', { consignee: 3, shipper: 'S', address: 'B' }),
    observe('p4', { consignee: 4, shipper: 'U', address: 'C' }),
  ]);
  await history.recordOutcome([
    {
      parcelKey: 'p1',
      region: 'yunnan',
      recordedAt: '2026-11-27T12:00:00.000Z',
      keys: partyKeys({ consignee: 1, shipper: 'S', address: 'A' }),
      outcome: 'seized',
    },
  ]);
  return history;
};

describe('getPartyLinks', () => {
  it('returns the neighbourhood two hops deep with counts, flags and seizures per node', async () => {
    // Prepare
    const getLinks = makeGetPartyLinks({ history: await aNeighbourhood(), clock });

    // Act
    const graph = await getLinks(keyOf('phone', 1), 'yunnan');

    // Assess
    const hopOf = Object.fromEntries(graph.nodes.map((node) => [node.key, node.hop]));
    expect(hopOf).toEqual({
      [keyOf('phone', 1)]: 0,
      [keyOf('consignee', 1)]: 1,
      [keyOf('shipper', 'S')]: 1,
      [keyOf('address', 'A')]: 1,
      [keyOf('consignee', 2)]: 2,
      [keyOf('phone', 2)]: 2,
      [keyOf('shipper', 'T')]: 2,
      [keyOf('consignee', 3)]: 2,
      [keyOf('phone', 3)]: 2,
      [keyOf('address', 'B')]: 2,
    });
    expect(graph.nodes.find((node) => node.key === keyOf('address', 'A'))).toMatchObject({
      kind: 'address',
      parcels90d: 2,
      flags: 1,
      seizures: 1,
    });
    expect(graph.nodes.some((node) => node.key === keyOf('phone', 4))).toBe(false);
    expect(graph.truncated).toBe(false);
    expect(graph.edges).toContainEqual({ from: keyOf('address', 'A'), to: keyOf('phone', 2) });
  });

  it.each([
    { limits: { maxNodes: 3, maxLinksPerNode: 25 }, nodes: 3 },
    { limits: { maxNodes: 100, maxLinksPerNode: 1 }, nodes: 3 },
  ])('stays within $limits and says it was truncated', async ({ limits, nodes }) => {
    // Prepare
    const getLinks = makeGetPartyLinks({ history: await aNeighbourhood(), clock, limits });

    // Act
    const graph = await getLinks(keyOf('phone', 1), 'yunnan');

    // Assess
    expect(graph.nodes).toHaveLength(nodes);
    expect(graph.truncated).toBe(true);
  });

  it('is not truncated when the largest node has exactly maxLinksPerNode links', async () => {
    // Prepare
    const history = await aNeighbourhood();
    const unbounded = await makeGetPartyLinks({ history, clock })(keyOf('phone', 1), 'yunnan');
    const most = Math.max(
      ...(await Promise.all(
        unbounded.nodes.map(
          async (node) => (await history.linksOf(node.key, 'yunnan', NOW.toISOString())).length,
        ),
      )),
    );
    const getLinks = makeGetPartyLinks({ history, clock, limits: { maxNodes: 100, maxLinksPerNode: most } });

    // Act
    const graph = await getLinks(keyOf('phone', 1), 'yunnan');

    // Assess
    expect(graph.nodes).toHaveLength(unbounded.nodes.length);
    expect(graph.truncated).toBe(false);
  });

  it('links two parties of hop 1 seen on the same parcel', async () => {
    // Prepare
    const getLinks = makeGetPartyLinks({ history: await aNeighbourhood(), clock });

    // Act
    const graph = await getLinks(keyOf('phone', 1), 'yunnan');

    // Assess
    const linked = (a: string, b: string) =>
      graph.edges.some((edge) => (edge.from === a && edge.to === b) || (edge.from === b && edge.to === a));
    expect(linked(keyOf('consignee', 1), keyOf('address', 'A'))).toBe(true);
    expect(linked(keyOf('shipper', 'S'), keyOf('address', 'A'))).toBe(true);
  });

  it("takes a busy party's capped links kind by kind in turn, each kind in key order", async () => {
    // Prepare: one shipper seen with 60 consignees, each at its own address
    const history = new InMemoryPartyHistory();
    await history.record(
      Array.from({ length: 60 }, (_, i) =>
        observe(`p${i}`, { consignee: i, shipper: 'BUSY', address: `A${i}` }),
      ),
    );
    const getLinks = makeGetPartyLinks({ history, clock });
    const firstInKeyOrder = (kind: 'consignee' | 'phone' | 'address', count: number) =>
      Array.from({ length: 60 }, (_, i) => keyOf(kind, kind === 'address' ? `A${i}` : i))
        .sort()
        .slice(0, count);

    // Act
    const graph = await getLinks(keyOf('shipper', 'BUSY'), 'yunnan');

    // Assess: 25 links in turn (consignee, phone, address) are 9 consignees, 8 phones and 8 addresses
    const atHop1 = (kind: string) =>
      graph.nodes
        .filter((node) => node.hop === 1 && node.kind === kind)
        .map((node) => node.key)
        .sort();
    expect(atHop1('consignee')).toEqual(firstInKeyOrder('consignee', 9));
    expect(atHop1('phone')).toEqual(firstInKeyOrder('phone', 8));
    expect(atHop1('address')).toEqual(firstInKeyOrder('address', 8));
    expect(graph.edges).toContainEqual({
      from: keyOf('shipper', 'BUSY'),
      to: firstInKeyOrder('consignee', 1)[0],
    });
    expect(graph.truncated).toBe(true);
  });

  it('orders links one of each kind in turn, whatever order they arrive in', () => {
    // Prepare
    const consignees = [keyOf('consignee', 1), keyOf('consignee', 2)].sort();
    const addresses = [keyOf('address', 1), keyOf('address', 2), keyOf('address', 3)].sort();
    const shipper = keyOf('shipper', 'S');
    const id = keyOf('idDocument', 'X');
    const arriving = [addresses[2], id, consignees[1], addresses[0], shipper, addresses[1], consignees[0]];

    // Act
    const ordered = inTurnByKind(arriving as string[]);

    // Assess
    expect(ordered).toEqual([
      consignees[0],
      shipper,
      addresses[0],
      id,
      consignees[1],
      addresses[1],
      addresses[2],
    ]);
  });

  it.each([{ key: 'not-a-key' }, { key: keyOf('name', '张伟') }])('rejects $key', async ({ key }) => {
    // Prepare
    const getLinks = makeGetPartyLinks({ history: new InMemoryPartyHistory(), clock });

    // Act
    const result = getLinks(key, 'yunnan');

    // Assess
    await expect(result).rejects.toBeInstanceOf(ValidationError);
  });
});
