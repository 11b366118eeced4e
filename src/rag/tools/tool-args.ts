/** What every tool handler shares: its signature, id arguments, row limits. */
import { uuidOf } from '../../shared/global-id';
import { ValidationError } from '../../shared/errors';
import type { ToolContext, ToolName, ToolResult } from '../types';

/** Arguments already checked against the tool's schema. */
export type Args = Record<string, unknown>;
export type ToolHandler = (args: Args, ctx: ToolContext) => Promise<ToolResult>;
/** The handlers of one group of tools, by tool name. */
export type ToolHandlers<Name extends ToolName> = Record<Name, ToolHandler>;

/** Accepts the UUIDs tools return, and GraphQL global ids a user may paste. */
export function uuidArg(value: string, path: string): string {
  try {
    return uuidOf(value);
  } catch {
    throw new ValidationError([{ path, message: `"${value.slice(0, 60)}" is not a record id; use an id an earlier step returned` }]);
  }
}

/** Rows a step returns: what the model asked for, but never more than the context allows. */
export const take = (asked: unknown, dflt: number, ctx: ToolContext) => {
  const want = typeof asked === 'number' ? asked : dflt;
  return { want, n: Math.max(1, Math.min(want, ctx.maxRows)) };
};

export const round = (n: number) => Math.round(n * 1000) / 1000;
