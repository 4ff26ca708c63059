/**
 * Structured JSON log lines, one per event, with personal data and secrets scrubbed by key name
 * before anything is written. Kept tiny on purpose: the edge logs once per failure.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const REDACTED_KEYS =
  /secret|token|authorization|signature|password|phone|email|name|address|line|idDocument|number|salt/i;
const ALLOWED_KEYS = new Set([
  'manifestId',
  'parcelId',
  'partnerId',
  'ruleSetName',
  'queueName',
  'tableName',
]);

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

/**
 * An error's cause: its name, and its message only when an AWS service wrote it (DynamoDB's reason for
 * a ValidationException, say), as other messages may quote input (JSON.parse quotes the text it fails on).
 */
const causeOf = (cause: Error): Record<string, unknown> => ({
  name: cause.name,
  ...('$metadata' in cause ? { message: cause.message } : {}),
});

/** Enough of a refused input's issues to find it (JSON path and reason, written by the schemas, not quoting values). */
const MAX_LOGGED_ISSUES = 10;

const issuesOf = (error: Error): { issues?: unknown } => {
  const issues = (error as { details?: { issues?: unknown } }).details?.issues;
  if (!Array.isArray(issues)) return {};
  return {
    issues: issues
      .slice(0, MAX_LOGGED_ISSUES)
      .map((issue: { path?: unknown; message?: unknown }) => `${issue.path}: ${issue.message}`),
  };
};

const scrub = (value: unknown, depth = 0): unknown => {
  if (depth > 6) return '[depth]';
  if (value instanceof Error) {
    const { cause } = value;
    return {
      name: value.name,
      message: value.message,
      code: (value as { code?: unknown }).code,
      ...issuesOf(value),
      ...(cause instanceof Error ? { cause: causeOf(cause) } : {}),
    };
  }
  if (Array.isArray(value)) return value.map((item) => scrub(item, depth + 1));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        !ALLOWED_KEYS.has(key) && REDACTED_KEYS.test(key) ? '[redacted]' : scrub(item, depth + 1),
      ]),
    );
  }
  return value;
};

export const makeLogger = (
  level: LogLevel = 'info',
  base: Record<string, unknown> = {},
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Logger => {
  const emit = (at: LogLevel, message: string, fields?: Record<string, unknown>) => {
    if (LEVELS[at] < LEVELS[level]) return;
    write(
      JSON.stringify({
        level: at,
        time: new Date().toISOString(),
        message,
        ...(scrub({ ...base, ...fields }) as object),
      }),
    );
  };
  return {
    debug: (message, fields) => emit('debug', message, fields),
    info: (message, fields) => emit('info', message, fields),
    warn: (message, fields) => emit('warn', message, fields),
    error: (message, fields) => emit('error', message, fields),
    child: (fields) => makeLogger(level, { ...base, ...fields }, write),
  };
};
