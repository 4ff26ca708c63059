import { describe, expect, it } from 'vitest';
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
});
