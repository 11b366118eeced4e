/**
 * Citations in an answer are record ids in square brackets, `[3f2c...-...]`, one or more per bracket
 * separated by commas. Only ids some step actually returned may stay: the rest are cut from the text
 * (while it streams, so a user never sees an invented reference) and reported.
 */
const UUID_SOURCE = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const CITATION = new RegExp(`^\\[\\s*(${UUID_SOURCE}(?:\\s*[,;]\\s*${UUID_SOURCE})*)\\s*\\]$`);
/** A bracket longer than this cannot be a citation of a few ids: it is passed through as text. */
const MAX_BRACKET = 40 * 8;

export interface CitationCheck {
  /** Cited ids that were retrieved, in first-cited order. */
  kept: string[];
  /** Cited ids that no step returned, in first-cited order. */
  rejected: string[];
}

/**
 * Filters a streamed answer: text outside brackets passes at once; a bracket is held until it closes,
 * then rewritten to keep only retrieved ids (or dropped when none is). `push` returns the text that
 * may be shown now, `end` the rest.
 */
export class CitationFilter {
  private held = '';
  private readonly kept = new Set<string>();
  private readonly rejected = new Set<string>();

  constructor(private readonly allowed: ReadonlySet<string>) {}

  push(chunk: string): string {
    let out = '';
    for (const ch of chunk) {
      if (this.held) {
        this.held += ch;
        if (ch === ']') {
          out += this.rewrite(this.held);
          this.held = '';
        } else if (this.held.length > MAX_BRACKET || ch === '\n' || (ch === '[' && this.held.length > 1)) {
          // Not a citation: release what was held, keeping a new '[' as the start of the next candidate.
          const release = ch === '[' ? this.held.slice(0, -1) : this.held;
          out += release;
          this.held = ch === '[' ? '[' : '';
        }
      } else if (ch === '[') {
        this.held = '[';
      } else {
        out += ch;
      }
    }
    return out;
  }

  end(): string {
    const rest = this.held;
    this.held = '';
    return rest;
  }

  result(): CitationCheck {
    return { kept: [...this.kept], rejected: [...this.rejected] };
  }

  private rewrite(bracket: string): string {
    const m = CITATION.exec(bracket);
    if (!m) return bracket;
    const ids = m[1].split(/\s*[,;]\s*/).map((id) => id.toLowerCase());
    const good = ids.filter((id) => this.allowed.has(id));
    for (const id of ids) (this.allowed.has(id) ? this.kept : this.rejected).add(id);
    return good.length > 0 ? `[${good.join(', ')}]` : '';
  }
}

/** Checks a whole answer at once (the non-streaming path and re-checks of stored answers). */
export function checkCitations(text: string, allowed: ReadonlySet<string>): { text: string } & CitationCheck {
  const filter = new CitationFilter(allowed);
  const out = filter.push(text) + filter.end();
  return { text: out, ...filter.result() };
}
