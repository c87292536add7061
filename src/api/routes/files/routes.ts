// /v1/files: upload (multipart `file` field, or a raw application/octet-stream body with ?name=),
// list, read metadata, delete. Uploads are streamed; the JSON body limit does not apply to them.
import { createRoute, z } from '@hono/zod-openapi';
import { bearer, commonErrors, errorResponses, idParam, jsonContent, ownerQuery, pageOf, pageQuery } from '../../schemas/common';
import { fileNameSchema, fileSchema } from '../../schemas/file';

const tags = ['files'];
export const FILES_PATH = '/v1/files';

export const upload = createRoute({
  method: 'post',
  path: FILES_PATH,
  operationId: 'uploadFile',
  tags,
  summary: 'Upload a file for file steps (stored in PostgreSQL with its sha256; at most FLOTILLA_MAX_FILE_BYTES)',
  security: bearer,
  request: {
    query: z.object({
      name: fileNameSchema.optional().openapi({ param: { name: 'name', in: 'query' }, description: 'required for a raw body; overrides a multipart filename' }),
    }),
    body: {
      required: true,
      description: 'The content: a multipart form with a `file` field, or the raw bytes',
      content: {
        // Plain schema objects: documented, not buffered by a validator (the handler streams the body).
        'multipart/form-data': { schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] } },
        'application/octet-stream': { schema: { type: 'string', format: 'binary' } },
      },
    },
  },
  responses: {
    201: jsonContent(z.object({ file: fileSchema }), 'Stored'),
    ...commonErrors,
  },
});

export const list = createRoute({
  method: 'get',
  path: FILES_PATH,
  operationId: 'listFiles',
  tags,
  summary: 'List uploaded files, newest first',
  security: bearer,
  request: { query: z.object({ ...pageQuery, ...ownerQuery }) },
  responses: { 200: jsonContent(pageOf(fileSchema), 'A page of files'), ...commonErrors },
});

export const get = createRoute({
  method: 'get',
  path: `${FILES_PATH}/{id}`,
  operationId: 'getFile',
  tags,
  summary: "A file's metadata",
  security: bearer,
  request: { params: idParam },
  responses: { 200: jsonContent(z.object({ file: fileSchema }), 'The file'), ...commonErrors, 404: errorResponses[404] },
});

export const remove = createRoute({
  method: 'delete',
  path: `${FILES_PATH}/{id}`,
  operationId: 'deleteFile',
  tags,
  summary: 'Delete a file (batches already running that push it fail those steps)',
  security: bearer,
  request: { params: idParam },
  responses: { 204: { description: 'Deleted' }, ...commonErrors, 404: errorResponses[404] },
});

export type UploadRoute = typeof upload;
export type ListRoute = typeof list;
export type GetRoute = typeof get;
export type RemoveRoute = typeof remove;
