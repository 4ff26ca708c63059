/**
 * middy's options for every function that writes: no early timeout. By default middy answers 5 ms
 * before the Lambda timeout and leaves the handler running; the invocation then ends normally, Lambda
 * freezes the environment instead of resetting it, and the handler's remaining writes resume at a later
 * invocation. For the review functions that could land a finisher's writes after its claim ran out and
 * a later action's effects were written (see FINISH_CLAIM_MS); elsewhere it would interleave one
 * invocation's leftovers with the next one's work. At the real timeout Lambda resets the environment,
 * so nothing of a handler outlives its invocation.
 */
export const RUN_TO_LAMBDA_TIMEOUT = { timeoutEarlyInMillis: 0 } as const;
