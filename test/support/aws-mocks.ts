import type { AwsStub } from 'aws-sdk-client-mock';

/** The inputs of every call of one command kind to one DynamoDB table, in call order. */
export const inputsTo = (
  mock: AwsStub<any, any, any>,
  command: new (...args: never[]) => unknown,
  table: string,
): Record<string, any>[] =>
  mock
    .commandCalls(command as never)
    .map((call) => (call.args[0] as { input: Record<string, any> }).input)
    .filter((input) => input.TableName === table);

/**
 * An AWS service error as the SDK throws it: the service's error code as `name`, whose fault (`client`:
 * the request was refused; `server`: the service failed), and the HTTP status that came with it.
 */
export const awsError = (name: string, message: string = name, fault: 'client' | 'server' = 'client') =>
  Object.assign(new Error(message), {
    name,
    $fault: fault,
    $metadata: { httpStatusCode: fault === 'client' ? 400 : 500 },
  });
