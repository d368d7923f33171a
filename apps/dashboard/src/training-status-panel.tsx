import type { TrainingStatus } from '@tau/schemas';
import { formatUnixMs, formatValue } from './display-format.js';
import { FactsList } from './facts-list.js';
import { LoadingOrError, type Loaded } from './loaded-value.js';

/** The trainer's status.json: run state, rollouts, and the optimizer's figures when present. */
export function TrainingStatusPanel({ trainingStatus }: { trainingStatus: Loaded<TrainingStatus | null> }) {
  const status = trainingStatus.state === 'ok' ? trainingStatus.value : undefined;
  const optimizer = status?.rl_optimizer ?? undefined;
  return (
    <section class="panel" aria-labelledby="training-heading">
      <h2 id="training-heading">Training status</h2>
      <LoadingOrError loaded={trainingStatus} />
      {status === null && <p>No status.json: the trainer has not reported (or died before it did).</p>}
      {status !== undefined && status !== null && (
        <FactsList
          facts={[
            ['Run state', <strong>{status.run_state}</strong>],
            ['Rollouts', formatValue(status.total_rollouts)],
            ['Succeeded / failed / cancelled', `${formatValue(status.succeeded)} / ${formatValue(status.failed)} / ${formatValue(status.cancelled)}`],
            ['Model', status.model_ref],
            ['Updated', formatUnixMs(status.updated_unix_ms)],
            ...(optimizer === undefined || optimizer === null
              ? []
              : ([
                  ['Optimizer executed', formatValue(optimizer.executed)],
                  ['Trajectories / samples', `${formatValue(optimizer.trajectories)} / ${formatValue(optimizer.samples)}`],
                  ['Mean total loss', formatValue(optimizer.mean_total_loss)],
                  ['Observed approx. KL', formatValue(optimizer.observed_approx_kl)],
                  ['Early stop', formatValue(optimizer.early_stop_triggered)],
                  ['Skipped because', formatValue(optimizer.skipped_reason)],
                ] as const)),
          ]}
        />
      )}
    </section>
  );
}
