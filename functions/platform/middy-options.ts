/**
 * middy's options for handlers that finish claimed staff-action effects (review, reviewSweep): no
 * early timeout. By default middy answers 5 ms before the Lambda timeout and leaves the handler
 * running; the invocation then ends normally, Lambda freezes the environment instead of resetting it,
 * and the handler's remaining writes resume at a later invocation, possibly after its claim ran out and
 * a later action's effects were written. At the real timeout Lambda resets the environment, so nothing
 * of the handler outlives its claim (see FINISH_CLAIM_MS).
 */
export const RUN_TO_LAMBDA_TIMEOUT = { timeoutEarlyInMillis: 0 } as const;
