import { kindOfKey, type PartyKeyKind } from '../core/parties/party-keys.js';
import { ValidationError } from '../platform/errors.js';
import type { Clock } from '../ports/clock.js';
import type { PartyHistory, PartyNode } from '../ports/party-history.js';

/**
 * The neighbourhood of one party for `GET /v1/parties/{key}/links`: the consignees, shippers, phones,
 * addresses and ID documents seen on the same parcels as it within the last 90 days (hop 1), and those
 * seen with them (hop 2), each with its own counts, flags, inspections and seizures in the caller's
 * region. Bounded: at most `maxLinksPerNode` links are followed from any node (in key order, so the
 * answer is stable) and at most `maxNodes` nodes are returned; `truncated` says when a bound cut it.
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
        const links = neighbours[index]!;
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
