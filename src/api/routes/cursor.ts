// Cursor decoding for handlers: a cursor this API did not produce is a 400 invalid_cursor.
import { InvalidCursorError, decodeGroupCursor, decodeSeqCursor, decodeTimeCursor, type TimeKey } from '../../db/queries/pagination';
import { DomainError } from '../../domain/errors';

function orFail<T>(decode: () => T): T {
  try {
    return decode();
  } catch (err) {
    if (err instanceof InvalidCursorError) throw new DomainError(400, 'invalid_cursor', err.message);
    throw err;
  }
}

export function decodeTimeCursorOrFail(cursor: string | undefined): TimeKey | undefined {
  return cursor === undefined ? undefined : orFail(() => decodeTimeCursor(cursor));
}

export function decodeSeqCursorOrFail(cursor: string | undefined): number | undefined {
  return cursor === undefined ? undefined : orFail(() => decodeSeqCursor(cursor));
}

export function decodeGroupCursorOrFail(cursor: string | undefined): { count: number; firstSeq: number } | null {
  return cursor === undefined ? null : orFail(() => decodeGroupCursor(cursor));
}
