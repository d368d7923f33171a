import type { ApiCheckpointCard, ApiCheckpoints } from '@tau/schemas';
import { formatUnixMs, formatValue } from './display-format.js';
import { FactsList } from './facts-list.js';
import { LoadingOrError, type Loaded } from './loaded-value.js';

const DIGEST_TEXT: Record<ApiCheckpointCard['digest'], string> = {
  verified: '✓ verified',
  mismatch: '✗ mismatch',
  absent: 'no digest file',
};

function CheckpointCard({ title, card, used }: { title: string; card: ApiCheckpointCard; used: boolean }) {
  const header = card.header;
  return (
    <section class={used ? 'card card-used' : 'card'} aria-labelledby={`checkpoint-${title}`}>
      <h3 id={`checkpoint-${title}`}>
        {title} checkpoint {used && <span class="badge">resume would use this</span>}
      </h3>
      <p class="path">
        <code>{card.path}</code>
      </p>
      <FactsList
        facts={[
          ['Exists', formatValue(card.exists)],
          ['Size', card.size_bytes === null ? '—' : `${formatValue(card.size_bytes)} bytes`],
          ['Digest', <span class={`digest digest-${card.digest}`}>{DIGEST_TEXT[card.digest]}</span>],
          ['Run id', formatValue(header?.run_id)],
          ['Global / optimizer step', header === null ? '—' : `${formatValue(header.global_step)} / ${formatValue(header.optimizer_step)}`],
          ['Saved', header === null ? '—' : formatUnixMs(header.saved_at_unix_seconds * 1000)],
          ['Version', formatValue(header?.checkpoint_version)],
        ]}
      />
      {card.error !== null && (
        <p class="detail">
          <strong>Does not load:</strong> {card.error}
        </p>
      )}
    </section>
  );
}

/** Both checkpoints as cards, the one a resume would restore marked in words. */
export function CheckpointCards({ checkpoints }: { checkpoints: Loaded<ApiCheckpoints> }) {
  return (
    <section class="panel" aria-labelledby="checkpoints-heading">
      <h2 id="checkpoints-heading">Checkpoints</h2>
      <LoadingOrError loaded={checkpoints} />
      {checkpoints.state === 'ok' && (
        <>
          <p>
            A resume now would restore:{' '}
            <strong>{checkpoints.value.resume_would_use === null ? 'nothing (no checkpoint loads)' : `the ${checkpoints.value.resume_would_use} checkpoint`}</strong>
          </p>
          <div class="cards">
            <CheckpointCard title="Primary" card={checkpoints.value.primary} used={checkpoints.value.resume_would_use === 'primary'} />
            <CheckpointCard title="Fallback" card={checkpoints.value.fallback} used={checkpoints.value.resume_would_use === 'fallback'} />
          </div>
        </>
      )}
    </section>
  );
}
