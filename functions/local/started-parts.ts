/**
 * The parts of something started one after another (emulators, servers, pollers), each with how to stop
 * it: stopped last-started first, every one even when one fails to stop (the first failure is thrown
 * once all have been tried).
 */
export class StartedParts {
  private readonly stops: (() => unknown)[] = [];

  add(stop: () => unknown): void {
    this.stops.push(stop);
  }

  async stopAll(): Promise<void> {
    const failures: unknown[] = [];
    for (const stop of this.stops.splice(0).reverse()) {
      try {
        await stop();
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length > 0) throw failures[0];
  }
}

/**
 * Runs `start`, which adds each part to `parts` as it starts it; when it fails partway, stops what it had
 * started before rethrowing, so that no emulator or server is left listening in the process. The start's
 * own error is the one to see: a part that also fails to stop adds nothing to it.
 */
export const startInParts = async <T>(start: (parts: StartedParts) => Promise<T>): Promise<T> => {
  const parts = new StartedParts();
  try {
    return await start(parts);
  } catch (error) {
    await parts.stopAll().catch(() => undefined);
    throw error;
  }
};
