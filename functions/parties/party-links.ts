import { kindOfKey, PARTY_KEY_KINDS, type PartyKeyKind } from '../core/parties/party-keys.js';
import { ValidationError } from '../platform/errors.js';
import type { Clock } from '../ports/clock.js';
import type { PartyHistory, PartyNode } from '../ports/party-history.js';

/**
 * The neighbourhood of one party for `GET /v1/parties/{key}/links`: the consignees, shippers, phones,
 * addresses and ID documents seen on the same parcels as it within the last 90 days (hop 1), and those
 * seen with them (hop 2), each with its own counts, flags, inspections and seizures in the caller's
 * region. Bounded: at most `maxLinksPerNode` links are followed from any node and at most `maxNodes`
 * nodes are returned; `truncated` says when a bound cut it. A node's links are taken kind by kind in
 * turn (see `inTurnByKind`), so a busy shipper's hop 1 is not 25 addresses and no consignee.
 * Keys are hashes: the answer carries no personal data, and only the caller's region is read.
 */

export interface PartyLinksLimits {
  maxNodes: number;
  maxLinksPerNode: number;
}

export const DEFAULT_PARTY_LINKS_LIMITS: PartyLinksLimits = { maxNodes: 100, maxLinksPerNode: 25 };

export interface PartyGraphNode extends PartyNode {
  kind: Exclude<PartyKeyKind, 'name'>;
  hop: 0 | 1 | 2;
}

export interface PartyGraph {
  root: string;
  region: string;
  asOf: string;
  nodes: PartyGraphNode[];
  /** Undirected links, each once, `from` the node nearer the root. */
  edges: { from: string; to: string }[];
  truncated: boolean;
}

export interface PartyLinksDeps {
  history: PartyHistory;
  clock: Clock;
  limits?: PartyLinksLimits;
}

/**
 * A node's links in the order they are followed: one of each kind in turn (consignee, shipper, phone,
 * address, ID document), each kind in key order, until every kind is spent. Keys sort by their kind's
 * prefix (`ad_ < cn_ < …`), so key order alone would fill a capped hop with one kind; this keeps every
 * kind seen in the answer and the answer deterministic.
 */
export const inTurnByKind = (links: readonly string[]): string[] => {
  const byKind = PARTY_KEY_KINDS.map((kind) => links.filter((link) => kindOfKey(link) === kind).sort());
  const longest = Math.max(0, ...byKind.map((keys) => keys.length));
  const ordered: string[] = [];
  for (let index = 0; index < longest; index += 1) {
    for (const keys of byKind) if (index < keys.length) ordered.push(keys[index]!);
  }
  return ordered;
};

export const makeGetPartyLinks =
  (deps: PartyLinksDeps) =>
  async (key: string, region: string): Promise<PartyGraph> => {
    const kind = kindOfKey(key);
    // kindOfKey is null for anything not shaped like a party key.
    if (kind === null || kind === 'name') {
      throw new ValidationError('not a party key', [
        { path: 'key', message: 'expected a party key such as ph_…' },
      ]);
    }
    const limits = deps.limits ?? DEFAULT_PARTY_LINKS_LIMITS;
    const now = deps.clock.now().toISOString();
    const hops = new Map<string, 0 | 1 | 2>([[key, 0]]);
    const edges: { from: string; to: string }[] = [];
    const edgeIds = new Set<string>();
    let truncated = false;

    const addEdge = (from: string, to: string) => {
      const id = [from, to].sort().join('|');
      if (edgeIds.has(id)) return;
      edgeIds.add(id);
      edges.push({ from, to });
    };

    let frontier = [key];
    for (const hop of [1, 2] as const) {
      const neighbours = await Promise.all(frontier.map((node) => deps.history.linksOf(node, region, now)));
      const next: string[] = [];
      frontier.forEach((node, index) => {
        const links = inTurnByKind(neighbours[index]!);
        if (links.length > limits.maxLinksPerNode) truncated = true;
        for (const link of links.slice(0, limits.maxLinksPerNode)) {
          if (!hops.has(link)) {
            if (hops.size >= limits.maxNodes) {
              truncated = true;
              continue;
            }
            hops.set(link, hop);
            next.push(link);
          }
          addEdge(node, link);
        }
      });
      frontier = next;
    }

    const keys = [...hops.keys()];
    const counts = await deps.history.nodes(keys, region, now);
    return {
      root: key,
      region,
      asOf: now,
      nodes: counts.map((node) => ({
        ...node,
        kind: kindOfKey(node.key) as PartyGraphNode['kind'],
        hop: hops.get(node.key)!,
      })),
      edges,
      truncated,
    };
  };
