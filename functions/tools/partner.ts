import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { DynamoDbPartnerSecrets } from '../adapters/dynamodb-partner-secrets.js';
import { systemClock } from '../adapters/system-clock.js';
import { makeRotatePartnerSecret } from '../operations/rotate-partner-secret.js';
import { getDocumentClient } from '../platform/clients.js';
import { loadConfig, PartnerToolConfigSchema } from '../platform/config.js';
import { isAppError } from '../platform/errors.js';

/**
 * `npm run partner -- rotate <partnerId> [--overlap-hours 24]`: gives a partner a new webhook secret and
 * lets its old ones verify for the overlap only. The new secret is printed once, on stdout, for the
 * operator to hand over; it is never logged. The table comes from PARTNERS_TABLE.
 * Exit codes: 0 rotated, 1 failed (unknown partner, concurrent rotation, AWS error), 2 wrong usage.
 */

const USAGE = 'usage: npm run partner -- rotate <partnerId> [--overlap-hours 24]';
const MAX_OVERLAP_HOURS = 24 * 30;

/** 32 random bytes, base64, in the Standard Webhooks `whsec_` form. */
const generateSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

const main = async (): Promise<number> => {
  let partnerId: string;
  let overlapHours: number;
  let config: ReturnType<typeof loadConfig<typeof PartnerToolConfigSchema>>;
  try {
    const { values, positionals } = parseArgs({
      options: { 'overlap-hours': { type: 'string', default: '24' } },
      allowPositionals: true,
      strict: true,
    });
    const [command, id, ...rest] = positionals;
    if (command !== 'rotate' || !id || rest.length > 0) throw new Error('expected: rotate <partnerId>');
    partnerId = id;
    overlapHours = Number(values['overlap-hours']);
    if (!Number.isFinite(overlapHours) || overlapHours < 0 || overlapHours > MAX_OVERLAP_HOURS) {
      throw new Error(`--overlap-hours must be between 0 and ${MAX_OVERLAP_HOURS}`);
    }
    config = loadConfig(PartnerToolConfigSchema);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const rotate = makeRotatePartnerSecret({
    secrets: new DynamoDbPartnerSecrets(getDocumentClient(), config.PARTNERS_TABLE),
    clock: systemClock,
    generateSecret,
  });
  try {
    const result = await rotate(partnerId, overlapHours);
    process.stderr.write(
      `rotated ${result.partnerId}: previous secrets verify until ${result.previousValidUntil}` +
        `${result.removed > 0 ? `; ${result.removed} expired secret(s) removed` : ''}\n` +
        'new secret (shown once, hand it to the partner over a secure channel):\n',
    );
    process.stdout.write(`${result.secret}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(
      `rotation failed: ${isAppError(error) ? `${error.code}: ${error.message}` : (error as Error).message}\n`,
    );
    return 1;
  }
};

process.exitCode = await main();
