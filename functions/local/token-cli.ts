import { asksForHelp, endQuietlyWhenOutputCloses } from '../tools/tool-process.js';
import { findDevUser, loadDevUsers, mintDevToken } from './dev-issuer.js';

/**
 * `npm run token -- <role> [username]`: prints a dev token for a seeded user of the embedded stack
 * (functions/local/dev-users.json), e.g. `npm run token -- officer wuzhou`. DEVELOPMENT ONLY: the
 * token verifies against `npm start` / `npm run demo`, and nowhere in AWS.
 */
const usage = (): string =>
  [
    'usage: npm run token -- <role> [username]',
    ...loadDevUsers().map((user) => `  ${user.role} ${user.username}  (offices: ${user.offices.join(', ')})`),
  ].join('\n');

endQuietlyWhenOutputCloses();
const args = process.argv.slice(2);
if (asksForHelp(args)) {
  console.log(usage());
  process.exit(0);
}
const [role, name, ...extra] = args;
if (!role || extra.length > 0) {
  if (extra.length > 0) console.error(`unexpected arguments: ${extra.join(' ')}`);
  console.error(usage());
  process.exit(2);
}
try {
  console.log(await mintDevToken(findDevUser(role, name)));
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
