import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { sendAllMessages } from '../../functions/adapters/sqs-batch-sender.js';

const sqs = mockClient(SQSClient);
const failed = (Id: string) => ({ Id, Code: 'InternalError', SenderFault: false });
const successful = (Id: string) => ({ Id, MessageId: `id-${Id}`, MD5OfMessageBody: 'md5' });

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
      const sending = sendAllMessages(new SQSClient({ region: 'us-east-1' }), 'queue', ['a', 'b']);

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
});
