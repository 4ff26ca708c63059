import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { TableGrant } from '../grants.js';

/**
 * The IAM statements of one table grant (infra/grants.ts), for a function's role and a tool's policy
 * alike: reads on the table and the indexes it queries, writes on the table. With `keys`, the statements
 * on the table hold to its items under those partition keys (dynamodb:LeadingKeys); an index query,
 * keyed by the index's own partition key, stays a statement of its own, unconditioned.
 */
export const tableStatements = (
  grant: TableGrant,
  tableArn: string,
  keys?: readonly string[],
): PolicyStatement[] => {
  const indexArns = grant.indexes.map((index) => `${tableArn}/index/${index}`);
  const conditions =
    keys === undefined ? undefined : { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [...keys] } };
  const statement = (actions: readonly string[], resources: string[], onItems: boolean) =>
    new PolicyStatement({
      actions: [...actions],
      resources,
      ...(onItems && conditions !== undefined ? { conditions } : {}),
    });
  const statements: PolicyStatement[] = [];
  if (grant.reads.length > 0) {
    if (conditions === undefined) statements.push(statement(grant.reads, [tableArn, ...indexArns], false));
    else {
      statements.push(statement(grant.reads, [tableArn], true));
      if (indexArns.length > 0) statements.push(statement(grant.reads, indexArns, false));
    }
  }
  if (grant.writes.length > 0) statements.push(statement(grant.writes, [tableArn], true));
  return statements;
};
