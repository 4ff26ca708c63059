import { userInfo } from 'node:os';

/** The account name the process runs as, when the system can tell. */
const accountName = (): string | undefined => {
  try {
    return userInfo().username || undefined;
  } catch {
    return undefined;
  }
};

/**
 * Who runs a tool that writes the audit log, as its entries record them: `--actor`, else $USER (`user`,
 * empty counted as unset), else the account name the process runs as ($USER is often unset in containers
 * and CI). An Error to exit 2 with when `--actor` is blank or nothing names anyone.
 */
export const toolActor = (given: string | undefined, user: string | undefined): string | Error => {
  if (given !== undefined && given.trim() === '')
    return new Error('--actor needs a name: the audit log records who acted');
  const actor = given ?? user ?? accountName();
  return actor === undefined ? new Error('no actor: pass --actor or set USER') : actor;
};
