import type { ComponentChildren } from 'preact';

/** Label/value pairs as a description list. */
export function FactsList({ facts }: { facts: ReadonlyArray<readonly [string, ComponentChildren]> }) {
  return (
    <dl class="facts">
      {facts.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Pass/fail as a word and a symbol, never colour alone. */
export function Verdict({ ok, yes = 'pass', no = 'fail' }: { ok: boolean; yes?: string; no?: string }) {
  return (
    <span class={ok ? 'verdict verdict-ok' : 'verdict verdict-bad'}>
      <span aria-hidden="true">{ok ? '✓ ' : '✗ '}</span>
      {ok ? yes : no}
    </span>
  );
}
