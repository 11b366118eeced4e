import fs from 'node:fs';
import readline from 'node:readline';
import type { Readable } from 'node:stream';

/**
 * Reads JSON Lines lazily, numbering lines from 1 and skipping blank ones. A line that is not JSON
 * becomes `{ type: '(not JSON)' }`, which the import reports as a bad line instead of aborting.
 */
export async function* readJsonLines(input: string | Readable): AsyncGenerator<{ line: number; value: unknown }> {
  const stream = typeof input === 'string' ? (input === '-' ? process.stdin : fs.createReadStream(input, 'utf8')) : input;
  const rl = readline.createInterface({ input: stream, crlfDelay: Infinity });
  let line = 0;
  for await (const text of rl) {
    line += 1;
    if (!text.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = { type: '(not JSON)' };
    }
    yield { line, value };
  }
}
