import { z } from 'zod';
import { CaseFileSchema, ListDocumentSchema, RuleSetDocumentSchema } from './rule-set-schema.js';

/**
 * What a list file may hold: `hashed` and `saltProof` are set by the loader when it hashes a watchlist,
 * and refused in a file (file-rule-set-source.ts).
 */
const ListFileSchema = ListDocumentSchema.omit({ hashed: true, saltProof: true });

/**
 * JSON Schemas for editors (YAML language servers, VS Code), generated from the one zod schema. They
 * check structure; what the compiler checks (one operator per condition, facts, types, list names) only
 * the loader (`npm run rules -- validate`) says.
 */
export const ruleSetJsonSchemas = (): Record<'rule-set' | 'list' | 'cases', unknown> => ({
  'rule-set': z.toJSONSchema(RuleSetDocumentSchema, { io: 'input' }),
  list: z.toJSONSchema(ListFileSchema, { io: 'input' }),
  cases: z.toJSONSchema(CaseFileSchema, { io: 'input' }),
});
