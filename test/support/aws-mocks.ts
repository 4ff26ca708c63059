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
