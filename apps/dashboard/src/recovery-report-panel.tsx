import type { ApiRecoveryReportEnvelope } from '@tau/schemas';
import { formatUnixMs, formatValue } from './display-format.js';
import { FactsList } from './facts-list.js';
import { LoadingOrError, type Loaded } from './loaded-value.js';

/** The last resume's recovery report. */
export function RecoveryReportPanel({ report }: { report: Loaded<ApiRecoveryReportEnvelope> }) {
  const value = report.state === 'ok' ? report.value.report : undefined;
  return (
    <section class="panel" aria-labelledby="recovery-heading">
      <h2 id="recovery-heading">Last recovery report</h2>
      <LoadingOrError loaded={report} />
      {value === null && <p>No recovery report: this run has never been resumed.</p>}
      {value !== undefined && value !== null && (
        <>
          <FactsList
            facts={[
              ['Recovered at', formatUnixMs(value.recovered_at_unix_ms)],
              ['By', value.principal],
              ['Crash detected', formatValue(value.crash_detected)],
              ['Checkpoint source', formatValue(value.checkpoint_source)],
              ['Checkpoint run id', formatValue(value.checkpoint_run_id)],
              ['Global / optimizer step', `${formatValue(value.checkpoint_global_step)} / ${formatValue(value.checkpoint_optimizer_step)}`],
              ['Replayed audit events', formatValue(value.replayed_audit_events)],
            ]}
          />
          <h3>Diagnostics</h3>
          {value.diagnostics.length === 0 ? (
            <p class="muted">None.</p>
          ) : (
            <ul class="diagnostics">
              {value.diagnostics.map((line, index) => (
                <li key={index}>{line}</li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
