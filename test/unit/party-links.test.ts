import { describe, expect, it } from 'vitest';
import { InMemoryPartyHistory } from '../../functions/adapters/in-memory-party-history.js';
import { makeGetPartyLinks } from '../../functions/parties/party-links.js';
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
      shipments90d: 2,
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

  it.each([{ key: 'not-a-key' }, { key: keyOf('name', '张伟') }])('rejects $key', async ({ key }) => {
    // Prepare
    const getLinks = makeGetPartyLinks({ history: new InMemoryPartyHistory(), clock });

    // Act
    const result = getLinks(key, 'yunnan');

    // Assess
    await expect(result).rejects.toBeInstanceOf(ValidationError);
  });
});
