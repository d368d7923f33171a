import type { DoctorReportDocument } from '@tau/schemas';
import { formatValue } from './display-format.js';
import { Verdict } from './facts-list.js';
import { LoadingOrError, type Loaded } from './loaded-value.js';

/** doctor's checks, each passed or failed, and whether a resume would succeed. */
export function DoctorChecks({ doctor }: { doctor: Loaded<DoctorReportDocument> }) {
  return (
    <section class="panel panel-wide" aria-labelledby="doctor-heading">
      <h2 id="doctor-heading">Doctor</h2>
      <LoadingOrError loaded={doctor} />
      {doctor.state === 'ok' && (
        <>
          <p>
            Resume would succeed: <Verdict ok={doctor.value.resume_would_succeed} yes="yes" no="no" />
            {doctor.value.resume_checkpoint_source !== null && <> (from the {doctor.value.resume_checkpoint_source} checkpoint)</>}
          </p>
          {doctor.value.resume_error !== null && <p class="detail">{doctor.value.resume_error}</p>}
          <ul class="checks">
            {doctor.value.checks.map((check) => (
              <li key={check.name}>
                <Verdict ok={check.ok} /> <strong>{check.name}</strong>
                <span class="detail"> {check.detail}</span>
              </li>
            ))}
          </ul>
          {doctor.value.lock !== null && (
            <p>
              State directory lock held by pid {formatValue(doctor.value.lock.pid)} ({doctor.value.lock.verdict}): {doctor.value.lock.explanation}
            </p>
          )}
        </>
      )}
    </section>
  );
}
