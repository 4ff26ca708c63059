import { z } from 'zod';
import { ManifestSchema } from '../../events/manifest-v1.js';

/** `npm run contract:schema`: the manifest contract v1 as JSON Schema, for editors and partners. */
process.stdout.write(`${JSON.stringify(z.toJSONSchema(ManifestSchema), null, 2)}\n`);
