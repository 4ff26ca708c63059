import { describe, expect, it } from 'vitest';
import { parseParcelReferred, parseScreeningRequested } from '../../events/parse-message.js';
import { ValidationError } from '../../functions/platform/errors.js';
import { readMessageSample } from '../support/factories.js';

/** The error a body raises, or a failure when it parses. */
const errorOf = (parse: () => unknown): ValidationError => {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error('the body parsed');
};

describe('queue message parsing', () => {
  it('returns a screening message as its contract reads it: a postcode queued untrimmed comes back trimmed', () => {
    // Prepare: a message queued when a manifest could still carry a padded postcode
    const message = readMessageSample('screening-requested-v1') as Record<string, any>;
    message.items[0].parcel.consignee.address.postcode = '  543000 ';
    // Act
    const parsed = parseScreeningRequested(JSON.stringify(message));
    // Assess
    expect(parsed.items[0]!.parcel.consignee.address.postcode).toBe('543000');
  });

  it('reads a screening message queued before the manifest weights were carried with this parcel’s own weight', () => {
    // Prepare: a message of an ingest from before the weights, one of its parcels heavier than the sample's
    const message = readMessageSample('screening-requested-v1') as Record<string, any>;
    message.items[0].parcel.declaredGrossWeightKg = 23.2;
    for (const field of ['weightToConsigneeKg', 'weightToPhoneKg', 'weightToAddressKg'])
      delete message.items[0].manifestFacts[field];
    // Act
    const parsed = parseScreeningRequested(JSON.stringify(message));
    // Assess: as a parcel alone weighs, and the other manifest facts as sent
    expect(parsed.items[0]!.manifestFacts).toMatchObject({
      weightToConsigneeKg: 23.2,
      weightToPhoneKg: 23.2,
      weightToAddressKg: 23.2,
      parcelsToConsignee: 1,
    });
  });

  it('refuses a body that is not JSON, saying so at the root', () => {
    // Act
    const error = errorOf(() => parseScreeningRequested('{"type":'));
    // Assess
    expect(error.message).toBe('message body is not JSON');
    expect(error.issues).toEqual([{ path: '(root)', message: 'not JSON' }]);
  });

  it('refuses a referral that does not match its contract, naming the contract and each path', () => {
    // Prepare
    const referral = readMessageSample('parcel-referred-v1') as Record<string, any>;
    delete referral.referralId;
    // Act
    const error = errorOf(() => parseParcelReferred(JSON.stringify(referral)));
    // Assess
    expect(error.message).toBe('message does not match ParcelReferred v1');
    expect(error.issues).toEqual([{ path: 'referralId', message: expect.any(String) }]);
  });

  it('refuses a screening message that does not match its contract, naming the contract', () => {
    // Prepare
    const message = readMessageSample('screening-requested-v1') as Record<string, any>;
    message.items[0].parcel.pieceCount = 0;
    // Act
    const error = errorOf(() => parseScreeningRequested(JSON.stringify(message)));
    // Assess
    expect(error.message).toBe('message does not match ScreeningRequested v1');
    expect(error.issues.map((issue) => issue.path)).toEqual(['items[0].parcel.pieceCount']);
  });
});
