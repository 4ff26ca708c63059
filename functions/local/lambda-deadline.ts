import type { Context } from 'aws-lambda';

/**
 * How an invocation that ran out of time fails, as Lambda reports it ("Task timed out after 3.00
 * seconds"): the time it had, to the hundredth, so that the millisecond spent before the handler
 * started does not show.
 */
export class InvocationTimedOut extends Error {
  constructor(functionName: string, timeoutMs: number) {
    super(`${functionName}: task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`);
    this.name = 'InvocationTimedOut';
  }
}

/**
 * Invokes a handler as Lambda does under its timeout: when the handler has not settled by the context's
 * deadline, the invocation fails (an HTTP request is answered 500, an SQS batch comes back). Unlike
 * Lambda, which stops the sandbox, this process cannot stop the handler: its work goes on, and whatever
 * it writes late is what a crash followed by a retry must already tolerate.
 */
export const invokeWithinDeadline = async <T>(context: Context, invoke: () => Promise<T>): Promise<T> => {
  const timeoutMs = context.getRemainingTimeInMillis();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new InvocationTimedOut(context.functionName, timeoutMs)), timeoutMs);
  });
  try {
    return await Promise.race([invoke(), deadline]);
  } finally {
    clearTimeout(timer);
  }
};
