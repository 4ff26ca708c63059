import type { ScreeningRequested } from '../../events/screening-requested-v1.js';

/** Port: hands accepted parcels to screening. Resolves only when every message is on the queue. */
export interface ScreeningQueue {
  send(messages: ScreeningRequested[]): Promise<void>;
}
