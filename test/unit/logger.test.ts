import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../functions/platform/errors.js';
import { makeLogger } from '../../functions/platform/logger.js';

const linesOf = (log: (logger: ReturnType<typeof makeLogger>) => void): Record<string, unknown>[] => {
  const lines: string[] = [];
  log(makeLogger('debug', { fn: 'screen' }, (line) => lines.push(line)));
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
};

describe('logger', () => {
  it("logs an error's cause, so a failed record says what the dependency answered", () => {
    // Prepare
    const refusal = Object.assign(new Error('Item size to update has exceeded the maximum allowed size'), {
      name: 'ValidationException',
      $metadata: { httpStatusCode: 400 },
    });
    const error = Object.assign(new Error('count rule hits: ValidationException', { cause: refusal }), {
      code: 'AWS_REQUEST_REJECTED',
    });

    // Act
    const [line] = linesOf((logger) => logger.error('record failed', { messageId: 'm-1', error }));

    // Assess
    expect(line).toMatchObject({
      level: 'error',
      message: 'record failed',
      fn: 'screen',
      messageId: 'm-1',
      error: {
        name: 'Error',
        message: 'count rule hits: ValidationException',
        code: 'AWS_REQUEST_REJECTED',
        cause: {
          name: 'ValidationException',
          message: 'Item size to update has exceeded the maximum allowed size',
        },
      },
    });
  });

  it('keeps only the name of a cause no AWS service wrote: its message may quote the input', () => {
    // Prepare
    let parseError: Error | undefined;
    try {
      JSON.parse('+8613800138000 is the consignee phone');
    } catch (error) {
      parseError = error as Error;
    }
    const error = new Error('message body is not JSON', { cause: parseError });

    // Act
    const [line] = linesOf((logger) => logger.error('record failed', { error }));

    // Assess
    expect(line).toMatchObject({
      error: { message: 'message body is not JSON', cause: { name: 'SyntaxError' } },
    });
    expect(JSON.stringify(line)).not.toContain('861380013');
  });

  it('still redacts personal data and secrets by key name, in nested fields too', () => {
    // Act
    const [line] = linesOf((logger) =>
      logger.warn('refused', {
        partnerId: 'pearl-express',
        consignee: { phone: '+8613800138000' },
        salt: 's',
      }),
    );

    // Assess
    expect(line).toMatchObject({
      partnerId: 'pearl-express',
      consignee: { phone: '[redacted]' },
      salt: '[redacted]',
    });
  });

  it('redacts every personal or secret key name, whatever its case or the words around it', () => {
    // Prepare
    const fields = {
      partnerSecret: 's1',
      accessToken: 't1',
      Authorization: 'Bearer abc',
      webhookSignature: 'v1,sig',
      password: 'p1',
      consigneePhone: '+8613800138000',
      Email: 'li@example.com',
      streetAddress: '12 Jiefang Rd',
      line: '12 Jiefang Rd',
      idDocument: 'E12345678',
      documentNumber: 'E1234',
      consigneeName: 'Li Wei',
      salt: 'x',
    };

    // Act
    const [line] = linesOf((logger) => logger.info('received', fields));

    // Assess
    for (const key of Object.keys(fields)) expect(line![key], key).toBe('[redacted]');
  });

  it('keeps the allowed identifiers whose names look personal: rule set, queue and table names', () => {
    // Prepare
    const identifiers = {
      manifestId: 'M-1',
      parcelId: 'P-1',
      partnerId: 'pearl-express',
      ruleSetName: 'default',
      queueName: 'screening',
      tableName: 'review-queue',
    };

    // Act
    const [line] = linesOf((logger) => logger.info('sent', identifiers));

    // Assess
    expect(line).toMatchObject(identifiers);
  });

  it('redacts personal data inside lists and deeply nested fields, and survives a cycle', () => {
    // Prepare
    const cyclic: Record<string, unknown> = { parcelId: 'P-1' };
    cyclic.self = cyclic;

    // Act
    const [line] = linesOf((logger) =>
      logger.warn('refused', {
        parties: [{ phone: '+8613800138000' }, { role: 'shipper' }],
        a: { b: { c: { d: { e: 'kept' } } } },
        cyclic,
      }),
    );

    // Assess
    expect(line).toMatchObject({
      parties: [{ phone: '[redacted]' }, { role: 'shipper' }],
      a: { b: { c: { d: { e: 'kept' } } } },
    });
    expect(JSON.stringify(line)).not.toContain('861380013');
    expect(JSON.stringify(line)).toContain('[depth]');
  });

  it('logs the first ten issues of a refused input, each as its path and reason', () => {
    // Prepare
    const issues = Array.from({ length: 12 }, (_, index) => ({
      path: `parcels[${index}].hsCode`,
      message: 'must be 6 to 10 digits',
    }));
    const error = new ValidationError('the manifest breaks the contract', issues);

    // Act
    const [line] = linesOf((logger) => logger.info('request refused', { error }));

    // Assess
    expect((line!.error as { issues: string[] }).issues).toEqual(
      issues.slice(0, 10).map((issue) => `${issue.path}: ${issue.message}`),
    );
  });

  it('writes the lines of its level and above, none below', () => {
    // Prepare
    const lines: string[] = [];
    const logger = makeLogger('warn', {}, (line) => lines.push(line));

    // Act
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');

    // Assess
    expect(lines.map((line) => (JSON.parse(line) as { message: string }).message)).toEqual(['w', 'e']);
  });

  it("writes a child logger's fields beside its parent's", () => {
    // Act
    const [line] = linesOf((logger) => logger.child({ messageId: 'm-1' }).info('handled'));

    // Assess
    expect(line).toMatchObject({ fn: 'screen', messageId: 'm-1', message: 'handled' });
  });
});
