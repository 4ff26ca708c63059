import { ROUTES, type RouteDefinition, scheduledFunctions } from '../../infra/definitions.js';
import { startEmbeddedStack } from './embedded-stack.js';
import { postSampleManifests } from './sample-manifests.js';
import { removeToolEnvFile, writeToolEnvFile } from './tool-env-file.js';

/**
 * `npm start [-- PORT] [--samples] [--sign-in]`: the embedded stack, serving until interrupted; with
 * `--sign-in`, the console signs staff in through the dev issuer playing Cognito's managed login.
 */
const args = process.argv.slice(2);
const port = Number(args.find((arg) => /^\d+$/.test(arg)) ?? 3000);
const staffSignIn = args.includes('--sign-in');
const stack = await startEmbeddedStack({ port, logLevel: 'info', schedules: true, staffSignIn });
if (args.includes('--samples')) {
  const { accepted } = await postSampleManifests(stack, console.log);
  console.log(`  ${accepted} sample parcels screened`);
}
console.log(`parcelguard embedded stack listening on ${stack.apiUrl}`);
const whoMayCall = (route: RouteDefinition): string => {
  switch (route.auth) {
    case 'staff':
      return `staff: ${route.roles?.join(', ')}`;
    case 'webhook-signature':
      return 'partner signature';
    case 'public':
      return 'public';
  }
};
for (const route of ROUTES as readonly RouteDefinition[])
  console.log(`  ${route.method.padEnd(4)} ${route.path}  (${whoMayCall(route)})`);
for (const { name, everyMinutes } of scheduledFunctions())
  console.log(`  every ${everyMinutes} min: ${name}`);
console.log(
  '  partners: functions/local/dev-partners.json; staff tokens: npm run token -- officer wuzhou (docs/officers.md)',
);
if (stack.staffSignInUrl !== undefined)
  console.log(
    `  console: ${stack.apiUrl}/console signs staff in at ${stack.staffSignInUrl} (pick a seeded user)`,
  );
const loadToolEnv = writeToolEnvFile(stack.toolEnv);
process.once('exit', () => removeToolEnvFile());
console.log(`  operator tools on this stack, from another shell: ${loadToolEnv} && npm run audit -- verify`);
console.log('  stop with Ctrl+C');

const shutdown = async () => {
  removeToolEnvFile();
  await stack.stop();
  process.exit(0);
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
