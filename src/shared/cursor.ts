/**
 * Page cursors: base64url of a short text the query that issued the cursor reads back (an offset, a
 * last key, a JSON keyset). Opaque to clients, who pass back what a previous page returned; the wire
 * format of each kind stays fixed so cursors a client already holds keep working.
 */

export function encodeCursor(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

/**
 * The text inside a cursor, or null when it is not one {@link encodeCursor} wrote (empty, or not the
 * canonical base64url of its text); each caller reports a bad cursor in its own words.
 */
export function decodeCursor(cursor: string): string | null {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  return text !== '' && encodeCursor(text) === cursor ? text : null;
}

/** A position in a ranked list: `o:<offset>` (the search cursors). */
export function encodeOffsetCursor(offset: number): string {
  return encodeCursor(`o:${offset}`);
}

/** The offset in a cursor from {@link encodeOffsetCursor}, or null when it is not one. */
export function decodeOffsetCursor(cursor: string): number | null {
  const m = /^o:(\d+)$/.exec(decodeCursor(cursor) ?? '');
  return m ? Number(m[1]) : null;
}

/** A keyset position: the last row's sort value and id, as JSON (the hub list cursors). */
export function encodeKeysetCursor(value: unknown, id: string): string {
  return encodeCursor(JSON.stringify([value, id]));
}

/** The sort value and id in a cursor from {@link encodeKeysetCursor}, or null when it is not one. */
export function decodeKeysetCursor(cursor: string): [value: unknown, id: string] | null {
  const text = decodeCursor(cursor);
  if (text === null) return null;
  try {
    const v: unknown = JSON.parse(text);
    if (Array.isArray(v) && v.length === 2 && typeof v[1] === 'string') return [v[0], v[1]];
  } catch {
    /* not JSON: not ours */
  }
  return null;
}
