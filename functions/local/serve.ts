import { ROUTES, type RouteDefinition, scheduledFunctions } from '../../infra/definitions.js';
import { asksForHelp, endQuietlyWhenOutputCloses } from '../tools/tool-process.js';
import { startEmbeddedStack } from './embedded-stack.js';
import { postSampleManifests } from './sample-manifests.js';
import { otherLiveStackOf, removeToolEnvFile, writeToolEnvFile } from './tool-env-file.js';

/**
 * `npm start [-- PORT] [--samples] [--sign-in]`: the embedded stack, serving until interrupted; with
 * `--sign-in`, the console signs staff in through the dev issuer playing Cognito's managed login.
 */
const USAGE = 'usage: npm start [-- PORT] [--samples] [--sign-in]   (PORT 1–65535, default 3000)';
const FLAGS = new Set(['--samples', '--sign-in']);
const args = process.argv.slice(2);
endQuietlyWhenOutputCloses();
if (asksForHelp(args)) {
  console.log(USAGE);
  process.exit(0);
}
const unknown = args.filter((arg) => !FLAGS.has(arg) && !/^\d+$/.test(arg));
const ports = args.filter((arg) => /^\d+$/.test(arg)).map(Number);
const port = ports[0] ?? 3000;
if (unknown.length > 0 || ports.length > 1 || port < 1 || port > 65_535) {
  console.error(
    `${unknown.length > 0 ? `unknown argument ${unknown.join(' ')}` : `not one port from 1 to 65535: ${ports.join(' ')}`}\n${USAGE}`,
  );
  process.exit(2);
}
const staffSignIn = args.includes('--sign-in');
const stack = await startEmbeddedStack({ port, logLevel: 'info', schedules: true, staffSignIn }).catch(
  (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EADDRINUSE') throw error;
    console.error(`port ${port} is in use: stop what listens there, or pass another port\n${USAGE}`);
    process.exit(1);
  },
);
if (args.includes('--samples')) {
  const { screened } = await postSampleManifests(stack, console.log);
  console.log(`  ${screened} sample parcels screened`);
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
const otherStack = otherLiveStackOf();
const loadToolEnv = writeToolEnvFile(stack.toolEnv);
process.once('exit', () => removeToolEnvFile());
console.log(
  `  operator tools on this stack, from another shell: (${loadToolEnv} && npm run audit -- verify)`,
);
if (otherStack !== undefined)
  console.log(
    `  note: the stack of process ${otherStack} wrote that file; it points at this stack now, and at that one again when this one stops`,
  );
console.log('  stop with Ctrl+C');

const shutdown = async () => {
  removeToolEnvFile();
  await stack.stop();
  process.exit(0);
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
