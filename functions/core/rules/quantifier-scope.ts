import { type CompileEnv, report, type Scope } from './compile-env.js';
import { RESERVED_NAMES, type ResolvedFact, resolveFact } from './fact-access.js';

/** A quantifier (`some`, `every`, `none`, `sum`, `count`) bound to its array and its element variable. */
export interface BoundQuantifier {
  array: ResolvedFact;
  name: string;
  slot: number;
  inner: Scope;
}

export const DEFAULT_VARIABLE = 'item';

export const bindQuantifier = (
  of: string,
  as: string | undefined,
  scope: Scope,
  env: CompileEnv,
  at: string,
  witnessed: boolean,
): BoundQuantifier | undefined => {
  const array = resolveFact(of, scope, env, `${at}.of`);
  if (array === undefined) return undefined;
  if (array.type.kind !== 'list')
    return report(env, `${at}.of`, `${of} is not a list, it cannot be quantified`);
  const name = as ?? DEFAULT_VARIABLE;
  if (RESERVED_NAMES.has(name))
    return report(env, `${at}.as`, `${name} is a reserved name, choose another variable`);
  if (scope.vars.has(name))
    return report(env, `${at}.as`, `variable ${name} is already bound by an outer quantifier`);
  const slot = scope.depth;
  if (slot >= scope.limit) return report(env, at, `quantifiers nest at most ${scope.limit} deep`);
  const vars = new Map(scope.vars);
  vars.set(name, { slot, type: array.type.element });
  env.maxDepth.value = Math.max(env.maxDepth.value, slot + 1);
  const element = array.type.element;
  const previous = env.boundVars.get(name);
  witnessed &&= scope.unrecorded !== true;
  if (previous === undefined) env.boundVars.set(name, { type: element, witnessed, ambiguous: false });
  else {
    previous.witnessed ||= witnessed;
    previous.ambiguous ||= previous.type !== element;
  }
  const inner: Scope = { vars, depth: slot + 1, limit: scope.limit };
  if (scope.negated === true) inner.negated = true;
  if (scope.unrecorded === true) inner.unrecorded = true;
  return { array, name, slot, inner };
};
