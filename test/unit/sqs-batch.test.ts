import { describe, expect, it } from 'vitest';
import { DependencyError, ValidationError } from '../../functions/platform/errors.js';
import { makeLogger } from '../../functions/platform/logger.js';
import { settleBatch } from '../../functions/platform/sqs-batch.js';
import { anSqsEvent } from '../support/lambda.js';

const PHONE = '+8613977412080';
const NAME = '李明';

/** settleBatch over the bodies, with the lines its logger writes. */
const settle = async (bodies: string[], processRecord: Parameters<typeof settleBatch>[1]) => {
  const lines: string[] = [];
  const response = await settleBatch(
    anSqsEvent(bodies),
    processRecord,
    makeLogger('debug', { fn: 'screen' }, (line) => lines.push(line)),
  );
  return { response, lines, logged: lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
};

const SCREENING_BODY = JSON.stringify({
  type: 'ScreeningRequested',
  version: 1,
  partnerId: 'southwest-freight',
  manifestId: 'SWF-20261127-0041',
  items: [
    { parcel: { parcelId: 'SWF7781000123', consignee: { name: NAME, phone: PHONE } } },
    { parcel: { parcelId: 'SWF7781000124', consignee: { name: NAME, phone: PHONE } } },
  ],
});

describe('settleBatch', () => {
  it('logs a failure with the identifiers its message holds, beside the message id', async () => {
    // Prepare
    const ids = {
      partnerId: 'southwest-freight',
      manifestId: 'SWF-20261127-0041',
      parcelId: 'SWF7781000123',
      referralId: 'ref_0123456789abcdef0123',
    };
    // Act
    const { response, logged } = await settle([JSON.stringify({ type: 'ParcelReferred', ...ids })], () =>
      Promise.reject(new DependencyError("the partner's callback answered 500")),
    );
    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'message-0' }]);
    expect(logged).toEqual([
      expect.objectContaining({
        level: 'warn',
        message: 'record failed',
        messageId: 'message-0',
        ...ids,
        code: 'DEPENDENCY_UNAVAILABLE',
      }),
    ]);
  });

  it('names the identifiers of a body its processor could not parse, and nothing else of it', async () => {
    // Prepare: a screening message that breaks its contract, carrying names and phones
    // Act
    const { logged, lines } = await settle([SCREENING_BODY], async () => {
      throw new ValidationError('message does not match ScreeningRequested v1', []);
    });
    // Assess
    expect(logged[0]).toMatchObject({
      level: 'error',
      message: 'record failed',
      messageId: 'message-0',
      partnerId: 'southwest-freight',
      manifestId: 'SWF-20261127-0041',
      parcelIds: ['SWF7781000123', 'SWF7781000124'],
    });
    expect(lines.join('\n')).not.toContain(PHONE.slice(1));
    expect(lines.join('\n')).not.toContain(NAME);
  });

  it('logs only the message id of a body that is not JSON, never the body', async () => {
    // Act
    const { logged, lines } = await settle([`{"partnerId":"southwest-freight","phone":"${PHONE}"`], () =>
      Promise.reject(new ValidationError('message body is not JSON', [])),
    );
    // Assess
    expect(logged[0]).toMatchObject({ message: 'record failed', messageId: 'message-0' });
    expect(logged[0]).not.toHaveProperty('partnerId');
    expect(lines.join('\n')).not.toContain(PHONE.slice(1));
  });

  it('logs each failed record with its own identifiers, and nothing for those that succeed', async () => {
    // Prepare
    const bodies = ['SWF7781000123', 'SWF7781000124', 'SWF7781000125'].map((parcelId) =>
      JSON.stringify({ partnerId: 'southwest-freight', parcelId }),
    );
    // Act
    const { response, logged } = await settle(bodies, async (record) => {
      const { parcelId } = JSON.parse(record.body) as { parcelId: string };
      if (parcelId !== 'SWF7781000124') throw new DependencyError('slow down');
    });
    // Assess
    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: 'message-0' },
      { itemIdentifier: 'message-2' },
    ]);
    expect(logged.map((line) => [line.messageId, line.parcelId])).toEqual([
      ['message-0', 'SWF7781000123'],
      ['message-2', 'SWF7781000125'],
    ]);
  });
});
