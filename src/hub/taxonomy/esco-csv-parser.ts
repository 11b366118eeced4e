import { TaxonomyError } from './taxonomy-error';

/**
 * Pure parser for ESCO's occupations CSV (ESCO 1.2 classification export, English): comma-separated,
 * RFC 4180 quoting, fields that span lines (alternative labels are newline-separated in one field).
 * Split from the file reading so it is tested on strings.
 */

export const ESCO_RELEASE = '1.2.0';
export const ESCO_OCCUPATIONS_FILE = 'occupations_en.csv';

export interface EscoOccupation {
  /** The concept URI, ESCO's stable id (the occupation's externalId). */
  uri: string;
  /** ESCO code: the ISCO-08 unit group and a position below it, e.g. `2654.1.7`. */
  code: string;
  /** ISCO-08 unit group (4 digits). */
  iscoGroup: string;
  title: string;
  alternateTitles: string[];
  description: string;
}

/** Rows of a CSV text as arrays of fields; throws TAXONOMY_MALFORMED on an unterminated quote. */
export function parseCsv(text: string, file = 'csv'): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') ((field += '"'), i++);
      else quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === ',') (row.push(field), (field = ''));
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      if (row.length > 1 || row[0] !== '') rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (quoted) throw new TaxonomyError('TAXONOMY_MALFORMED', `${file}: a quoted field is not closed`);
  row.push(field);
  if (row.length > 1 || row[0] !== '') rows.push(row);
  return rows;
}

/** ESCO occupations sorted by code; throws TAXONOMY_MALFORMED naming the missing column or bad row. */
export function parseEscoOccupations(text: string): EscoOccupation[] {
  const [header, ...rows] = parseCsv(text, ESCO_OCCUPATIONS_FILE);
  const columns = ['conceptUri', 'iscoGroup', 'preferredLabel', 'altLabels', 'description', 'code'] as const;
  const at = columns.map((c) => header?.indexOf(c) ?? -1);
  const missing = columns.filter((_, i) => at[i] < 0);
  if (missing.length > 0) {
    throw new TaxonomyError('TAXONOMY_MALFORMED', `${ESCO_OCCUPATIONS_FILE}: header lacks column(s) ${missing.join(', ')}`);
  }
  const [uri, isco, label, alt, description, code] = at;
  return rows
    .map((r, n) => {
      if (!/^\d{4}(\.\d+)+$/.test(r[code] ?? '') || !/^\d{4}$/.test(r[isco] ?? '')) {
        throw new TaxonomyError('TAXONOMY_MALFORMED', `${ESCO_OCCUPATIONS_FILE} row ${n + 2}: "${r[code]}" is not an ESCO occupation code`);
      }
      return {
        uri: r[uri],
        code: r[code],
        iscoGroup: r[isco],
        title: r[label].trim(),
        alternateTitles: [
          ...new Set(
            r[alt]
              .split('\n')
              .map((s) => s.trim())
              .filter(Boolean),
          ),
        ],
        description: r[description].trim(),
      };
    })
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}
