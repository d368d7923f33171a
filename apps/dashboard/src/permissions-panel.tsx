import type { ApiWhoami } from '@tau/schemas';
import { Verdict } from './facts-list.js';
import { LoadingOrError, type Loaded } from './loaded-value.js';

/** Who the token acts as, how it authenticated, and rbac whoami's decision table. */
export function PermissionsPanel({ whoami }: { whoami: Loaded<ApiWhoami> }) {
  return (
    <section class="panel" aria-labelledby="whoami-heading">
      <h2 id="whoami-heading">Signed in as</h2>
      <LoadingOrError loaded={whoami} />
      {whoami.state === 'ok' && (
        <>
          <p>
            <strong class="principal">{whoami.value.principal}</strong> <span class="muted">({whoami.value.auth})</span>
          </p>
          <div class="table-scroll" tabIndex={0} role="region" aria-label="What you may do">
            <table>
              <caption>What you may do (policy {whoami.value.policy_path})</caption>
              <thead>
                <tr>
                  <th scope="col">Action</th>
                  <th scope="col">Allowed</th>
                  <th scope="col">Reason</th>
                </tr>
              </thead>
              <tbody>
                {whoami.value.decisions.map((decision) => (
                  <tr key={decision.action}>
                    <td>
                      <code>{decision.action}</code>
                    </td>
                    <td>
                      <Verdict ok={decision.allowed} yes="allowed" no="denied" />
                    </td>
                    <td>
                      <code>{decision.reason_code}</code>
                      {decision.matched_role !== null && <> (role {decision.matched_role})</>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
