import { z } from 'zod';

/**
 * The inspection office hierarchy (GLOSSARY: inspection office): region → city → county office or
 * checkpoint, kept as data in `rules/reference/offices.yaml`. Access granted at a node covers the node
 * and every office below it. Pure: the adapter reads the file, this module validates and answers.
 */

export const OFFICE_KINDS = ['region', 'city', 'county-office', 'checkpoint'] as const;
export type OfficeKind = (typeof OFFICE_KINDS)[number];

/** Which kinds may sit directly below which: the hierarchy has exactly three levels. */
const CHILD_KINDS: Record<OfficeKind, readonly OfficeKind[]> = {
  region: ['city'],
  city: ['county-office', 'checkpoint'],
  'county-office': [],
  checkpoint: [],
};

const officeId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'office ids are lower-case kebab-case');

export interface OfficeNodeInput {
  id: string;
  kind: OfficeKind;
  name: string;
  children?: OfficeNodeInput[];
}

const OfficeNodeSchema: z.ZodType<OfficeNodeInput> = z.strictObject({
  id: officeId,
  kind: z.enum(OFFICE_KINDS),
  name: z.string().min(1),
  get children() {
    return z.array(OfficeNodeSchema).optional();
  },
});

export const OfficeHierarchySchema = z.strictObject({
  version: z.string().min(1),
  offices: z.array(OfficeNodeSchema).min(1),
});
export type OfficeHierarchyInput = z.infer<typeof OfficeHierarchySchema>;

export interface Office {
  id: string;
  kind: OfficeKind;
  name: string;
  /** Undefined for a region, the top of the hierarchy. */
  parent?: string;
  children: string[];
}

export interface OfficeTree {
  version: string;
  offices: ReadonlyMap<string, Office>;
}

export class OfficeHierarchyError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`${source}: invalid office hierarchy: ${problems.join('; ')}`);
    this.name = 'OfficeHierarchyError';
  }
}

/** Validates the hierarchy as loaded from its file; every problem is named with its path. */
export const buildOfficeTree = (data: unknown, source: string): OfficeTree => {
  const parsed = OfficeHierarchySchema.safeParse(data);
  if (!parsed.success) {
    throw new OfficeHierarchyError(
      source,
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  const offices = new Map<string, Office>();
  const problems: string[] = [];
  const visit = (node: OfficeNodeInput, path: string, parent?: OfficeNodeInput) => {
    if (offices.has(node.id)) problems.push(`${path}: office id ${node.id} appears twice`);
    if (parent === undefined && node.kind !== 'region')
      problems.push(`${path}: a top-level office must be a region`);
    if (parent !== undefined && !CHILD_KINDS[parent.kind].includes(node.kind)) {
      problems.push(`${path}: a ${node.kind} cannot sit below a ${parent.kind}`);
    }
    const children = node.children ?? [];
    offices.set(node.id, {
      id: node.id,
      kind: node.kind,
      name: node.name,
      ...(parent ? { parent: parent.id } : {}),
      children: children.map((child) => child.id),
    });
    for (const [index, child] of children.entries()) visit(child, `${path}.children.${index}`, node);
  };
  for (const [index, node] of parsed.data.offices.entries()) visit(node, `offices.${index}`);
  if (problems.length > 0) throw new OfficeHierarchyError(source, problems);
  return { version: parsed.data.version, offices };
};

/** The office and every office above it, nearest first; empty for an unknown office. */
export const ancestorsOf = (tree: OfficeTree, officeId: string): string[] => {
  const chain: string[] = [];
  for (
    let current = tree.offices.get(officeId);
    current;
    current = current.parent ? tree.offices.get(current.parent) : undefined
  ) {
    chain.push(current.id);
  }
  return chain;
};

/** The region an office belongs to (the top of its chain); undefined for an unknown office. */
export const regionOf = (tree: OfficeTree, officeId: string): string | undefined =>
  ancestorsOf(tree, officeId).at(-1);

/** True when access granted at any of `grants` covers `officeId` (the grant is the office or above it). */
export const covers = (tree: OfficeTree, grants: readonly string[], officeId: string): boolean => {
  const above = ancestorsOf(tree, officeId);
  return grants.some((grant) => above.includes(grant));
};

/** Offices parcels are routed to: the leaves (county offices and checkpoints). */
export const isInspectionOffice = (tree: OfficeTree, officeId: string): boolean => {
  const office = tree.offices.get(officeId);
  return office !== undefined && (office.kind === 'county-office' || office.kind === 'checkpoint');
};

/** Every inspection office at or below `officeId`, in hierarchy order; empty for an unknown id. */
export const inspectionOfficesUnder = (tree: OfficeTree, officeId: string): string[] => {
  const office = tree.offices.get(officeId);
  if (!office) return [];
  if (isInspectionOffice(tree, officeId)) return [officeId];
  return office.children.flatMap((child) => inspectionOfficesUnder(tree, child));
};

/** Every inspection office any of the grants covers, without duplicates. */
export const inspectionOfficesCovered = (tree: OfficeTree, grants: readonly string[]): string[] => [
  ...new Set(grants.flatMap((grant) => inspectionOfficesUnder(tree, grant))),
];
