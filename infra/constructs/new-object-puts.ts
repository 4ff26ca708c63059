import { PolicyStatement } from 'aws-cdk-lib/aws-iam';

/**
 * Adding objects under `objects` and nothing else: PutObject only with `If-None-Match: *`, which S3
 * refuses over an object already there. For a function's role and a tool's policy alike; the anchor
 * bucket's own policy denies every other put (`NeverReplaceAnObject`).
 */
export const newObjectPuts = (objects: string): PolicyStatement =>
  new PolicyStatement({
    actions: ['s3:PutObject'],
    resources: [objects],
    conditions: { Null: { 's3:if-none-match': 'false' } },
  });
