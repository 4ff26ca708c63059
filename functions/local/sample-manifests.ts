import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { REPO_ROOT } from './embedded-stack.js';

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
