import { manifestKey } from '../core/keys.js';
import type { ManifestInRegion, ManifestParts } from '../ports/manifest-parts.js';

/** ManifestParts in memory: for the tests that screen without a party history table. */
export class InMemoryManifestParts implements ManifestParts {
  private readonly screened = new Map<string, Set<number>>();

  async markScreened(manifest: ManifestInRegion, index: number, of: number): Promise<boolean> {
    const id = `${manifest.region}#${manifestKey(manifest.partnerId, manifest.manifestId)}#${manifest.receivedAt}`;
    const parts = this.screened.get(id) ?? new Set<number>();
    parts.add(index);
    this.screened.set(id, parts);
    return parts.size >= of;
  }
}
