import type { Manifest } from '../../events/manifest-v1.js';
import { loadSampleManifests } from './sample-manifests.js';

/** The sample manifests (events/samples/manifests) parsed, as templates for generated ones. */
export const sampleTemplates = (): Manifest[] =>
  loadSampleManifests().map((sample) => JSON.parse(sample.body) as Manifest);

export interface SyntheticManifestOptions {
  manifestId: string;
  parcelCount: number;
  /**
   * Distinct consignees the parcels are spread over (by phone), so that history counters are shared
   * and written concurrently; defaults to one per parcel.
   */
  consignees?: number;
  /** Where this manifest's consignee numbers start, to share (or not) consignees across manifests. */
  consigneeOffset?: number;
}

/** A CN mobile number, in the spaced form partners type: `+86 139 0000 0042`. */
const consigneePhone = (n: number): string => {
  const digits = String(n % 100_000_000).padStart(8, '0');
  return `+86 139 ${digits.slice(0, 4)} ${digits.slice(4)}`;
};

/**
 * A manifest of `parcelCount` parcels cycled from `template`'s parcels (so the share of flagged
 * parcels follows the samples), each with its own house document number and a consignee phone from
 * the pool.
 */
export const syntheticManifest = (template: Manifest, options: SyntheticManifestOptions): Manifest => {
  const pool = options.consignees ?? options.parcelCount;
  const offset = options.consigneeOffset ?? 0;
  return {
    ...structuredClone(template),
    manifestId: options.manifestId,
    parcels: Array.from({ length: options.parcelCount }, (_, index) => {
      const parcel = structuredClone(template.parcels[index % template.parcels.length]!);
      return {
        ...parcel,
        parcelId: `${options.manifestId}-${String(index).padStart(4, '0')}`,
        consignee: { ...parcel.consignee, phone: consigneePhone(offset + (index % pool)) },
      };
    }),
  };
};
