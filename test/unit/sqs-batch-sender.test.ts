import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { sendAllMessages } from '../../functions/adapters/sqs-batch-sender.js';

const sqs = mockClient(SQSClient);
const failed = (Id: string) => ({ Id, Code: 'InternalError', SenderFault: false });
const successful = (Id: string) => ({ Id, MessageId: `id-${Id}`, MD5OfMessageBody: 'md5' });
const noWait = async () => undefined;

/** SQS refuses entry m1 (b) with `refusal` on the first `times` attempts, accepting everything else. */
const refusingB = (refusal: { Code: string; SenderFault: boolean }, times: number) => {
  sqs.reset();
  let attempt = 0;
  sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: { Id: string }[] }) => {
    attempt += 1;
    const ids = input.Entries.map((entry) => entry.Id);
    const refused: string[] = attempt <= times ? ids.filter((id) => id === 'm1') : [];
    return {
      Successful: ids.filter((id) => !refused.includes(id)).map(successful),
      Failed: refused.map((Id) => ({ Id, ...refusal })),
    };
  });
};

describe('sendAllMessages', () => {
  it.each([
    ['takes them at the second attempt', 2, [['a', 'b'], ['b']], undefined],
    ['takes them at the third attempt', 3, [['a', 'b'], ['b'], ['b']], undefined],
    ['refuses them a third time', 4, [['a', 'b'], ['b'], ['b']], 'SQS refused 1 message(s) after 3 attempts'],
  ])(
    'sends again the entries a batch reports as failed when SQS %s',
    async (_name, acceptedAt, sent, error) => {
      // Prepare: SQS refuses b until attempt `acceptedAt`
      sqs.reset();
      let attempt = 0;
      sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: { Id: string }[] }) => {
        attempt += 1;
        const ids = input.Entries.map((entry) => entry.Id);
        const refused: string[] = attempt < acceptedAt ? ids.filter((id) => id === 'm1') : [];
        return {
          Successful: ids.filter((id) => !refused.includes(id)).map(successful),
          Failed: refused.map(failed),
        };
      });

      // Act
      const sending = sendAllMessages(new SQSClient({ region: 'us-east-1' }), 'queue', ['a', 'b'], noWait);

      // Assess
      if (error === undefined) await sending;
      else await expect(sending).rejects.toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', message: error });
      expect(
        sqs
          .commandCalls(SendMessageBatchCommand)
          .map((call) => call.args[0].input.Entries!.map((entry) => entry.MessageBody)),
      ).toEqual(sent);
    },
  );

  it('waits a little longer before each attempt again, within a bound', async () => {
    // Prepare
    refusingB({ Code: 'InternalError', SenderFault: false }, 2);
    const waits: number[] = [];
    // Act
    await sendAllMessages(new SQSClient({ region: 'us-east-1' }), 'queue', ['a', 'b'], async (ms) => {
      waits.push(ms);
    });
    // Assess
    expect(waits).toHaveLength(2);
    expect(waits[0]).toBeGreaterThan(0);
    expect(waits[1]).toBeGreaterThan(waits[0]!);
    expect(Math.max(...waits)).toBeLessThanOrEqual(1_000);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(3);
  });

  it('fails at once, naming the entry and its code, when SQS refuses an entry for good (a sender fault)', async () => {
    // Prepare
    refusingB({ Code: 'InvalidParameterValue', SenderFault: true }, 3);
    const waits: number[] = [];
    // Act
    const sending = sendAllMessages(
      new SQSClient({ region: 'us-east-1' }),
      'queue',
      ['a', 'b'],
      async (ms) => {
        waits.push(ms);
      },
    );
    // Assess
    await expect(sending).rejects.toMatchObject({
      code: 'AWS_REQUEST_REJECTED',
      retryable: false,
      message: expect.stringMatching(/m1.*InvalidParameterValue/),
    });
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(1);
    expect(waits).toEqual([]);
  });
});
