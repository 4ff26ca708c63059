import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { checkEffects } from './effects-check.js';
import type { EmbeddedStack } from './embedded-stack.js';
import { REPO_ROOT } from './embedded-stack.js';
import { postSignedManifest } from './partner-client.js';

export interface SampleManifest {
  file: string;
  partnerId: string;
  body: string;
  offices: string[];
}

/** The sample manifests in events/samples/manifests, as the raw bodies a partner would post. */
export const loadSampleManifests = (): SampleManifest[] => {
  const folder = resolve(REPO_ROOT, 'events/samples/manifests');
  return readdirSync(folder)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const body = readFileSync(resolve(folder, file), 'utf8');
      const manifest = JSON.parse(body) as {
        partnerId: string;
        parcels: { route: { inspectionOffice: string } }[];
      };
      return {
        file,
        partnerId: manifest.partnerId,
        body,
        offices: manifest.parcels.map((parcel) => parcel.route.inspectionOffice),
      };
    });
};

/**
 * Posts every sample manifest as its dev partner would and waits until all are screened. The counts
 * are the stores' (checkEffects), not the 202s': a parcel accepted and never screened fails the call.
 */
export const postSampleManifests = async (
  stack: EmbeddedStack,
  log: (line: string) => void = () => undefined,
): Promise<{ screened: number; flagged: number; offices: string[] }> => {
  const samples = loadSampleManifests();
  let accepted = 0;
  for (const sample of samples) {
    const partner = stack.partners.find((candidate) => candidate.partnerId === sample.partnerId);
    if (!partner) throw new Error(`${sample.file}: no dev partner ${sample.partnerId}`);
    const result = await postSignedManifest(stack.apiUrl, partner.secrets[0]!.secret, sample.body);
    log(`  POST /v1/manifests ${sample.file} → ${result.status} ${JSON.stringify(result.body)}`);
    if (result.status !== 202) throw new Error(`${sample.file} was not accepted`);
    accepted += (result.body as { parcelCount: number }).parcelCount;
  }
  await stack.waitForIdle(60_000);
  const effects = await checkEffects(stack);
  if (effects.accepted !== accepted || effects.screened !== accepted)
    throw new Error(
      `the stores hold ${effects.accepted} accepted and ${effects.screened} screened of the ${accepted} parcels the 202s accepted: see the stack's log above`,
    );
  return {
    screened: effects.screened,
    flagged: effects.flagged,
    offices: [...new Set(samples.flatMap((sample) => sample.offices))].sort(),
  };
};
