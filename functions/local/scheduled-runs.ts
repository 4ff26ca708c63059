import type { Context, ScheduledEvent } from 'aws-lambda';
import { type FunctionName, scheduledFunctions } from '../../infra/definitions.js';
import { invokeWithinDeadline } from './lambda-deadline.js';
import type { LocalFunctions } from './local-functions.js';
import { scheduledEvent } from './scheduled-event.js';
import { LOCAL_REGION } from './stack-environment.js';

export type RunScheduled = (name: FunctionName) => Promise<unknown>;

/** Invokes a scheduled function now with the event its EventBridge schedule sends, within its timeout. */
export const makeScheduledRunner =
  (functions: LocalFunctions): RunScheduled =>
  async (name) => {
    if (!scheduledFunctions().some((scheduled) => scheduled.name === name))
      throw new Error(`function ${name} has no schedule`);
    const handler = functions.handlerOf(name) as (
      event: ScheduledEvent,
      context: Context,
    ) => Promise<unknown>;
    const context = functions.contextFor(name)();
    return invokeWithinDeadline(context, () =>
      handler(scheduledEvent(`${name}-schedule`, LOCAL_REGION), context),
    );
  };

/** Plays EventBridge: a timer per scheduled function, every `everyMinutes`; none keeps the process alive. */
export const startScheduleTimers = (runScheduled: RunScheduled): NodeJS.Timeout[] =>
  scheduledFunctions().map(({ name, everyMinutes }) =>
    setInterval(
      // As in Lambda, a failed run is reported and the next tick is the retry.
      () =>
        void runScheduled(name).catch((error: unknown) =>
          console.error(
            `scheduled ${name} failed: ${error instanceof Error ? error.message : String(error)}`,
          ),
        ),
      everyMinutes * 60_000,
    ).unref(),
  );
