// Where an upload's bytes come from: the `file` field of a multipart form (parsed as a stream by
// busboy) or the raw body. Nothing is buffered beyond what the parser holds.
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import busboy from 'busboy';
import { DomainError } from '../../../domain/errors';

export interface UploadBody {
  name: string | undefined;
  content: AsyncIterable<Uint8Array>;
}

const MULTIPART = /^multipart\/form-data/i;
const RAW = /^application\/octet-stream\s*(;.*)?$/i;

const missingFile = (): DomainError => new DomainError(400, 'missing_file', 'send the file in a multipart field named "file", or as a raw application/octet-stream body');

function multipartFile(body: Readable, contentType: string): Promise<UploadBody> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: { 'content-type': contentType }, limits: { files: 1 } });
    } catch {
      reject(new DomainError(400, 'invalid_multipart', 'the multipart body has no usable boundary'));
      return;
    }
    parser.on('file', (field, stream, info) => {
      if (field !== 'file') {
        stream.resume();
        return;
      }
      resolve({ name: info.filename || undefined, content: stream });
    });
    parser.on('error', () => reject(new DomainError(400, 'invalid_multipart', 'the multipart body is malformed')));
    // Settles nothing once the file was found; otherwise there was no file field.
    parser.on('close', () => reject(missingFile()));
    body.pipe(parser);
  });
}

export async function uploadBody(raw: Request): Promise<UploadBody> {
  const contentType = raw.headers.get('content-type') ?? '';
  if (raw.body === null) throw missingFile();
  const body = Readable.fromWeb(raw.body as WebReadableStream<Uint8Array>);
  if (MULTIPART.test(contentType)) return multipartFile(body, contentType);
  if (RAW.test(contentType)) return { name: undefined, content: body };
  throw new DomainError(415, 'unsupported_media_type', 'send the file as multipart/form-data (field "file") or application/octet-stream');
}
