// An uploaded file as the API shows it (metadata only; the content goes to agents, never back out).
import { z } from '@hono/zod-openapi';
import type { FileView } from '../../db/queries/files';
import { iso, ownerSchema, shownOwner, timestamp } from './common';

export const fileNameSchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[^\u0000-\u001f\u007f]+$/, 'must not contain control characters');

export const fileSchema = z
  .object({
    id: z.uuid(),
    owner: ownerSchema,
    name: z.string(),
    size: z.number().int().openapi({ description: 'bytes' }),
    sha256: z.string().openapi({ description: 'hex sha256 of the content, computed while it was stored' }),
    createdAt: timestamp,
  })
  .openapi('File');

export type FileJson = z.infer<typeof fileSchema>;

export function toFileJson(f: FileView, showOwner: boolean): FileJson {
  return { id: f.id, ...shownOwner(f.owner, showOwner), name: f.name, size: f.size, sha256: f.sha256, createdAt: iso(f.createdAt) };
}
