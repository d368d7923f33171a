import type { ControlState } from '@tau/schemas';
import { formatUnixMs, formatValue } from './display-format.js';
import { FactsList } from './facts-list.js';
import { LoadingOrError, type Loaded } from './loaded-value.js';

/** The control state: lifecycle, the last action and who took it. */
export function LifecyclePanel({ controlState }: { controlState: Loaded<ControlState | null> }) {
  return (
    <section class="panel" aria-labelledby="lifecycle-heading">
      <h2 id="lifecycle-heading">Lifecycle</h2>
      <LoadingOrError loaded={controlState} />
      {controlState.state === 'ok' &&
        (controlState.value === null ? (
          <p>No control state yet: no control action has been taken.</p>
        ) : (
          <FactsList
            facts={[
              ['Lifecycle state', <strong class="lifecycle-state">{controlState.value.lifecycle_state}</strong>],
              ['Last action', controlState.value.last_action],
              ['By', controlState.value.principal],
              ['At', formatUnixMs(controlState.value.updated_unix_ms)],
              ['Rollback checkpoint', formatValue(controlState.value.rollback_checkpoint)],
            ]}
          />
        ))}
    </section>
  );
}
