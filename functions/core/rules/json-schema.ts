import { z } from 'zod';
import { CaseFileSchema, ListDocumentSchema, RuleSetDocumentSchema } from './rule-set-schema.js';

/** JSON Schemas for editors (YAML language servers, VS Code), generated from the one zod schema. */
export const ruleSetJsonSchemas = (): Record<'rule-set' | 'list' | 'cases', unknown> => ({
  'rule-set': z.toJSONSchema(RuleSetDocumentSchema, { io: 'input' }),
  list: z.toJSONSchema(ListDocumentSchema, { io: 'input' }),
  cases: z.toJSONSchema(CaseFileSchema, { io: 'input' }),
});
