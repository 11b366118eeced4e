import { Kind, Lexer, Source, TokenKind, visit, type DocumentNode, type ValueNode } from 'graphql';
import { AppError, ValidationError, type FieldProblem } from '../shared/errors';

/**
 * How deep a document's brackets and an input value's objects and lists may nest. graphql-js parses,
 * and our services walk, input by recursion: a 50,000-deep value overflows the stack. Queries are at
 * most 10 fields deep (QUERY_TOO_COMPLEX) and records a few levels, so 64 refuses no real request.
 */
export const MAX_NESTING = 64;

const OPENING = new Set<string>([TokenKind.BRACE_L, TokenKind.BRACKET_L, TokenKind.PAREN_L]);
const CLOSING = new Set<string>([TokenKind.BRACE_R, TokenKind.BRACKET_R, TokenKind.PAREN_R]);

/**
 * Throws QUERY_TOO_COMPLEX when the document's brackets nest deeper than MAX_NESTING, before it is
 * parsed (the parser recurses once per level; the lexer does not). A document the lexer rejects is
 * left to the parser, which reports the syntax error at the same place.
 */
export function checkDocumentNesting(query: string): void {
  const lexer = new Lexer(new Source(query));
  let depth = 0;
  try {
    for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
      if (OPENING.has(token.kind) && ++depth > MAX_NESTING) {
        throw new AppError(
          'QUERY_TOO_COMPLEX',
          `the document nests brackets ({ [ ( ) deeper than ${MAX_NESTING} levels (line ${token.line}): ` +
            'split the query into several shallower ones, or pass deep input values as variables (also at most 64 levels)',
        );
      }
      if (CLOSING.has(token.kind)) depth--;
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
  }
}

const NUL_PROBLEM = 'contains a NUL character (\\u0000), which cannot be stored: remove it';
const DEEP_PROBLEM = `nests objects and lists deeper than ${MAX_NESTING} levels: flatten it`;

/** NULs and nesting in a JSON value (a variable); stops descending at the limit, so it never recurses deeply. */
function checkJson(value: unknown, path: string, depth: number, problems: FieldProblem[]): void {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) problems.push({ path, message: NUL_PROBLEM });
    return;
  }
  if (value === null || typeof value !== 'object') return;
  if (depth >= MAX_NESTING) {
    problems.push({ path, message: DEEP_PROBLEM });
    return;
  }
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  for (const [key, v] of entries) {
    if (key.includes('\u0000')) problems.push({ path: `${path}.${JSON.stringify(key)}`, message: NUL_PROBLEM });
    checkJson(v, `${path}.${key}`, depth + 1, problems);
  }
}

/** The same for a literal in the document; its depth is already bounded by checkDocumentNesting. */
function checkLiteral(value: ValueNode, path: string, problems: FieldProblem[]): void {
  if (value.kind === Kind.STRING) {
    if (value.value.includes('\u0000')) problems.push({ path, message: NUL_PROBLEM });
  } else if (value.kind === Kind.LIST) {
    value.values.forEach((v, i) => checkLiteral(v, `${path}.${i}`, problems));
  } else if (value.kind === Kind.OBJECT) {
    for (const f of value.fields) checkLiteral(f.value, `${path}.${f.name.value}`, problems);
  }
}

/**
 * Throws BAD_USER_INPUT, naming each variable path (`$filter.text`) or argument (`candidates.filter.text`),
 * when a string anywhere in the input holds a NUL character or a variable nests deeper than MAX_NESTING.
 * Postgres stores no NUL in text or jsonb, so every string input (String, ID, JSON) is checked here,
 * once per request before anything runs, rather than failing later in whichever write or filter meets
 * it first (mid-import, with a SQLSTATE and no argument name).
 */
export function checkInputValues(document: DocumentNode, variables: Record<string, unknown>): void {
  const problems: FieldProblem[] = [];
  for (const [name, value] of Object.entries(variables)) checkJson(value, `$${name}`, 0, problems);
  visit(document, {
    Field(field) {
      for (const a of field.arguments ?? []) checkLiteral(a.value, `${field.name.value}.${a.name.value}`, problems);
    },
    VariableDefinition(def) {
      if (def.defaultValue) checkLiteral(def.defaultValue, `$${def.variable.name.value}`, problems);
    },
    Directive(directive) {
      for (const a of directive.arguments ?? []) checkLiteral(a.value, `@${directive.name.value}.${a.name.value}`, problems);
    },
  });
  if (problems.length) throw new ValidationError(problems.slice(0, 20));
}
