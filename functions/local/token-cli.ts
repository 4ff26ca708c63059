import { findDevUser, loadDevUsers, mintDevToken } from './dev-issuer.js';

/**
 * `npm run token -- <role> [username]`: prints a dev token for a seeded user of the embedded stack
 * (functions/local/dev-users.json), e.g. `npm run token -- officer wuzhou`. DEVELOPMENT ONLY: the
 * token verifies against `npm start` / `npm run demo`, and nowhere in AWS.
 */
const [role, name] = process.argv.slice(2);
if (!role) {
  console.error('usage: npm run token -- <role> [username]');
  for (const user of loadDevUsers())
    console.error(`  ${user.role} ${user.username}  (offices: ${user.offices.join(', ')})`);
  process.exit(2);
}
try {
  console.log(await mintDevToken(findDevUser(role, name)));
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
