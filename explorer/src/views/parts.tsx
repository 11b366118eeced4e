import type { ReactNode } from 'react';
import { href, typeOfId } from '../route';

/**
 * A labelled bar for one score component; `max` scales unbounded scores (BM25, counts) to the largest
 * shown. The meter carries the exact value, the text `digits` decimals.
 */
export function ScoreBar({
  label,
  value,
  max = 1,
  digits = 3,
}: {
  label: string;
  value: number | null | undefined;
  max?: number;
  digits?: number;
}) {
  const v = value ?? 0;
  const pct = max > 0 ? Math.max(0, Math.min(1, v / max)) * 100 : 0;
  return (
    <div className="bar">
      <span className="bar-label">{label}</span>
      <span className="bar-track" role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={max} aria-valuenow={v}>
        <span className="bar-fill" style={{ width: `${pct}%` }} />
      </span>
      <span className="bar-value">{value == null ? '–' : v.toFixed(digits)}</span>
    </div>
  );
}

export function Status({ loading, error, children }: { loading?: boolean; error?: string; children?: ReactNode }) {
  if (error)
    return (
      <p role="alert" className="error">
        {error}
      </p>
    );
  if (loading)
    return (
      <p role="status" className="loading">
        Loading…
      </p>
    );
  return <>{children}</>;
}

/** A link to the explorer's page for a record, by its global id. */
export function RecordLink({ id, children }: { id: string; children: ReactNode }) {
  return <a href={href('record', id)}>{children}</a>;
}

export function kindOf(id: string): string {
  return typeOfId(id) ?? 'School';
}
