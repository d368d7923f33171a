// How values read on the page: times in UTC ISO form, missing values as a dash.

/** `2026-12-04 03:12:09Z` for a Unix-milliseconds time; a dash when absent. */
export function formatUnixMs(value: unknown): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '—';
  const iso = new Date(value).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}Z`;
}

/** A scalar as text: a dash for null/undefined, yes/no for booleans. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return value.toLocaleString('en-US');
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}
