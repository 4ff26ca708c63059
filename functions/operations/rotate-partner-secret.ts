import { isLiveSecret } from '../core/webhooks/secret-validity.js';
import { NotFoundError } from '../platform/errors.js';
import type { Clock } from '../ports/clock.js';
import type { PartnerSecret, PartnerSecretStore } from '../ports/partner-secrets.js';

export interface RotatePartnerSecretDeps {
  secrets: PartnerSecretStore;
  clock: Clock;
  /** A fresh secret in the Standard Webhooks form (`whsec_` + base64 of 24 to 64 random bytes). */
  generateSecret: () => string;
}

export interface RotationResult {
  partnerId: string;
  /** The new secret: shown to the operator once, to hand to the partner; never logged or stored elsewhere. */
  secret: string;
  /** When the secrets that were valid before stop verifying. */
  previousValidUntil: string;
  /** Secrets whose overlap had already ended, removed by this rotation. */
  removed: number;
  /** Secrets that still verified before the rotation: each now verifies until `previousValidUntil` at most. */
  liveBefore: number;
  /** When the rotation was made. */
  at: string;
}

/**
 * Rotates a partner's webhook secret with an overlap: adds a new secret and gives every older one a
 * `notAfter` at most `overlapHours` away, so the partner can switch within the overlap while both
 * verify. Secrets already past their `notAfter` are dropped. An older `notAfter` is never extended.
 */
export const makeRotatePartnerSecret =
  (deps: RotatePartnerSecretDeps) =>
  async (partnerId: string, overlapHours: number): Promise<RotationResult> => {
    if (!(overlapHours >= 0)) throw new RangeError('the overlap must be zero or more hours');
    const stored = await deps.secrets.read(partnerId);
    if (!stored) throw new NotFoundError(`no partner ${partnerId}`);
    const now = deps.clock.now();
    const nowIso = now.toISOString();
    const until = new Date(now.getTime() + overlapHours * 3_600_000).toISOString();
    const live = stored.secrets.filter((entry) => isLiveSecret(entry, nowIso));
    const secret = deps.generateSecret();
    const secrets: PartnerSecret[] = [
      ...live.map((entry) => ({
        secret: entry.secret,
        notAfter: entry.notAfter && Date.parse(entry.notAfter) < Date.parse(until) ? entry.notAfter : until,
      })),
      { secret },
    ];
    await deps.secrets.replace(partnerId, secrets, stored.version);
    return {
      partnerId,
      secret,
      previousValidUntil: until,
      removed: stored.secrets.length - live.length,
      liveBefore: live.length,
      at: nowIso,
    };
  };
