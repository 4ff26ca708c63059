import { startEmbeddedStack } from './embedded-stack.js';

/** `npm start`: the embedded stack, serving until interrupted. */
const port = Number(process.argv[2] ?? 3000);
const stack = await startEmbeddedStack({ port, logLevel: 'info' });
console.log(`parcelguard embedded stack listening on ${stack.apiUrl}`);
console.log('  POST /v1/manifests (Standard Webhooks signature; dev partners in functions/local/dev-partners.json)');
console.log('  stop with Ctrl+C');

const shutdown = async () => {
  await stack.stop();
  process.exit(0);
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
