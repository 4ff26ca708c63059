import { expect } from 'vitest';
import { checkEffects, type EffectsReport } from '../../functions/local/effects-check.js';
import type { EmbeddedStack } from '../../functions/local/embedded-stack.js';
import { drainQueue } from './embedded.js';

/**
 * Asserts "nothing lost, nothing counted twice" over the whole stack: every accepted parcel has exactly
 * one decision with its effects done, and every party-history counter, rule hit counter and review-queue
 * entry equals what the accepted parcels and their decisions imply.
 */
export const expectEffectivelyOnce = async (
  stack: EmbeddedStack,
  acceptedParcels: number,
): Promise<EffectsReport> => {
  const report = await checkEffects(stack);
  expect(report).toMatchObject({
    accepted: acceptedParcels,
    screened: acceptedParcels,
    undecided: [],
    unfinished: [],
    orphanDecisions: [],
    history: [],
    ruleHits: [],
    reviewQueue: { missing: [], unexpected: [] },
  });
  return report;
};

/** Asserts the screening queue's DLQ holds exactly these bodies (and takes them off it). */
export const expectDeadLetters = async (stack: EmbeddedStack, bodies: string[]): Promise<void> => {
  expect(await drainQueue(stack.sqs, stack.queues.screening.dlqUrl)).toEqual(bodies);
};
