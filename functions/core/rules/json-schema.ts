import { z } from 'zod';
import {
  CaseFileSchema,
  ListDocumentSchema,
  MAX_TALLIES,
  RuleSetDocumentSchema,
  TallySchema,
} from './rule-set-schema.js';

/**
 * What a list file may hold: `hashed` and `saltProof` are set by the loader when it hashes a watchlist,
 * and refused in a file (file-rule-set-source.ts).
 */
const ListFileSchema = ListDocumentSchema.omit({ hashed: true, saltProof: true });

/**
 * A tally's JSON Schema as one of two, so that editors refuse `distinct` beside `sum` as the loader does
 * (TallySchema's refine, which JSON Schema cannot carry): a tally without `sum` (it counts parcels or
 * distinct keys), or one without `distinct` (it counts parcels or sums). Changes `json` in place.
 */
const distinctOrSum = (json: z.core.JSONSchema.BaseSchema): void => {
  const { properties = {}, ...tally } = json;
  const { sum: _sum, ...withoutSum } = properties;
  const { distinct: _distinct, ...withoutDistinct } = properties;
  for (const key of Object.keys(json)) delete json[key];
  json.anyOf = [
    { ...tally, properties: withoutSum },
    { ...tally, properties: withoutDistinct },
  ];
};

/** The most tallies a rule set declares (a refine the JSON Schema does not carry), as `maxProperties`. */
const withTallyLimit = (json: z.core.JSONSchema.BaseSchema): z.core.JSONSchema.BaseSchema => {
  const tallies = json.properties?.tallies;
  if (typeof tallies === 'object') tallies.maxProperties = MAX_TALLIES;
  return json;
};

/**
 * JSON Schemas for editors (YAML language servers, VS Code), generated from the one zod schema. They
 * check structure; what the compiler checks (one operator per condition, facts, types, list names) only
 * the loader (`npm run rules -- validate`) says.
 */
export const ruleSetJsonSchemas = (): Record<'rule-set' | 'list' | 'cases', unknown> => ({
  'rule-set': withTallyLimit(
    z.toJSONSchema(RuleSetDocumentSchema, {
      io: 'input',
      override: ({ zodSchema, jsonSchema }) => {
        if (zodSchema === TallySchema) distinctOrSum(jsonSchema);
      },
    }),
  ),
  list: z.toJSONSchema(ListFileSchema, { io: 'input' }),
  cases: z.toJSONSchema(CaseFileSchema, { io: 'input' }),
});
