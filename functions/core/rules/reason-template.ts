import { type CompileEnv, ROOT_SCOPE, report } from './compile-env.js';
import type { EvaluationContext } from './evaluation-context.js';
import { chain, resolveFact } from './fact-access.js';
import { formatNumber } from './numeric.js';

/** A reason with its placeholders resolved at load time; rendered only when the rule fires. */
export interface ReasonTemplate {
  render(ctx: EvaluationContext, values: Record<string, unknown>): string;
}

const PLACEHOLDER = /\{([^{}]*)\}/g;

export const formatValue = (value: unknown): string => {
  if (value === undefined || value === null) return 'n/a';
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
};

type Part = string | ((ctx: EvaluationContext, values: Record<string, unknown>) => string);

/**
 * Placeholders: `{parcel.route.origin.city}` (any fact), `{derived.weightRatio}`, `{line.description}`
 * (the first element that made a `some`/`every` with `as: line` true), and `{list}` (the one list the rule uses).
 * The values shown are also recorded in the fired rule's values.
 */
export const compileReason = (template: string, env: CompileEnv, at: string): ReasonTemplate => {
  const parts: Part[] = [];
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    parts.push(template.slice(last, match.index));
    last = match.index + match[0].length;
    const part = compilePlaceholder(match[1]!.trim(), env, at);
    if (part !== undefined) parts.push(part);
  }
  parts.push(template.slice(last));
  return {
    render: (ctx, values) => {
      let text = '';
      for (const part of parts) text += typeof part === 'string' ? part : part(ctx, values);
      return text;
    },
  };
};

const compilePlaceholder = (path: string, env: CompileEnv, at: string): Part | undefined => {
  if (path === 'list') {
    if (env.usedLists.size !== 1) {
      return report(
        env,
        at,
        `{list} needs a rule that uses exactly one list; this one uses ${env.usedLists.size}`,
      );
    }
    const [name] = env.usedLists;
    return () => name!;
  }
  const [root = ''] = path.split('.');
  const variable = env.boundVars.get(root);
  if (variable !== undefined) {
    if (variable.ambiguous) {
      return report(
        env,
        at,
        `{${path}}: ${root} is bound to elements of different lists in this rule; give each quantifier its own name`,
      );
    }
    if (!variable.witnessed) {
      return report(
        env,
        at,
        `{${path}}: ${root} is bound only by none, sum or count, which pick no element to show; bind it with some or every`,
      );
    }
    const scope = { vars: new Map([[root, { slot: 0, type: variable.type }]]), depth: 1, limit: 1 };
    if (resolveFact(path, scope, env, at) === undefined) return undefined;
    const keys = path.split('.').slice(1);
    const step = chain(keys);
    const suffix = path.slice(root.length);
    // Concrete paths by witness path: built (and internalized as a property key) once, not per firing.
    const concreteKeys = new Map<string, string>();
    const keyFor = (base: string): string => {
      let key = concreteKeys.get(base);
      if (key === undefined) {
        key = `${base}${suffix}`;
        if (concreteKeys.size < 1024) concreteKeys.set(base, key);
      }
      return key;
    };
    return (ctx, values) => {
      const witness = ctx.witnesses.get(root);
      if (witness === undefined) return formatValue(undefined);
      const value = step(witness.value);
      values[keyFor(witness.path)] = value ?? null;
      return formatValue(value);
    };
  }
  const fact = resolveFact(path, ROOT_SCOPE, env, at);
  if (fact === undefined) return undefined;
  return (ctx, values) => {
    const value = fact.read(ctx);
    values[path] = value ?? null;
    return formatValue(value);
  };
};
