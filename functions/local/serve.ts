import { ROUTES } from '../../infra/definitions.js';
import { startEmbeddedStack } from './embedded-stack.js';
import { postSampleManifests } from './sample-manifests.js';

/** `npm start [-- PORT] [--samples]`: the embedded stack, serving until interrupted. */
const args = process.argv.slice(2);
const port = Number(args.find((arg) => /^\d+$/.test(arg)) ?? 3000);
const stack = await startEmbeddedStack({ port, logLevel: 'info' });
if (args.includes('--samples')) {
  const { accepted } = await postSampleManifests(stack, console.log);
  console.log(`  ${accepted} sample parcels screened`);
}
console.log(`parcelguard embedded stack listening on ${stack.apiUrl}`);
for (const route of ROUTES)
  console.log(
    `  ${route.method.padEnd(4)} ${route.path}  (${route.auth === 'staff' ? `staff: ${route.roles.join(', ')}` : 'partner signature'})`,
  );
console.log(
  '  partners: functions/local/dev-partners.json; staff tokens: npm run token -- officer wuzhou (docs/officers.md)',
);
console.log('  stop with Ctrl+C');

const shutdown = async () => {
  await stack.stop();
  process.exit(0);
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
