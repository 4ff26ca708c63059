import { CONTRACT_NAMES, contractJsonSchema, isContractName } from '../../events/contracts.js';
import { asksForHelp, endQuietlyWhenOutputCloses } from './tool-process.js';

/**
 * `npm run contract:schema [-- <contract>]`: one message contract as JSON Schema, on stdout
 * (`manifest-v1` when none is named). A wrong argument is exit 2, with the names on stderr.
 */
const USAGE = 'usage: npm run --silent contract:schema [-- <contract>]';
const CONTRACTS = `contracts: ${CONTRACT_NAMES.join(', ')}`;
endQuietlyWhenOutputCloses();
const args = process.argv.slice(2);
const name = args[0] ?? 'manifest-v1';
if (asksForHelp(args)) {
  process.stdout.write(`${USAGE}\n${CONTRACTS}\n`);
} else if (args.length > 1 || !isContractName(name)) {
  process.stderr.write(
    `${USAGE}\n` +
      `${args.length > 1 ? `one contract at a time; got ${args.length}` : `no contract named "${name}"`}; ${CONTRACTS}\n`,
  );
  process.exitCode = 2;
} else {
  process.stdout.write(`${JSON.stringify(contractJsonSchema(name), null, 2)}\n`);
}
