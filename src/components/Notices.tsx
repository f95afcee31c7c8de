// Banners: link/import notices, a diverged run, a crashed worker.
import { dismissNotice, restartWorker, usePlayground } from '../state/store';

export function Notices() {
  const notices = usePlayground((s) => s.notices);
  const diverged = usePlayground((s) => s.run.diverged);
  const phase = usePlayground((s) => s.run.phase);
  const runError = usePlayground((s) => s.run.error);
  const worker = usePlayground((s) => s.worker);
  return (
    <div className="notices" aria-live="polite">
      {notices.map((n) => (
        <div key={n.id} className={`notice ${n.kind}`} role={n.kind === 'error' ? 'alert' : 'status'} data-testid="notice">
          <span>{n.text}</span>
          <button type="button" className="mini" onClick={() => dismissNotice(n.id)} title="Dismiss this message" aria-label="Dismiss">
            ×
          </button>
        </div>
      ))}
      {diverged.map((d) => (
        <div key={`${d.runIndex}-${d.step}`} className="notice warn" role="alert" data-testid="diverged">
          <span>
            <strong>
              {d.name} diverged at step {d.step}
            </strong>{' '}
            ({d.message}). The loss became non-finite, so training stopped there and the charts end at the last finite value. Try a lower
            learning rate, a gradient clip norm (Training → Advanced), or a smaller noise/scale.
          </span>
        </div>
      ))}
      {(worker.status === 'crashed' || (phase === 'error' && runError)) && (
        <div className="notice error" role="alert" data-testid="worker-error">
          <span>
            <strong>{worker.status === 'crashed' ? 'The training worker crashed' : 'Training failed'}:</strong> {worker.message ?? runError}. Your config is kept.
          </span>
          <button type="button" onClick={restartWorker} title="Start a fresh training worker with the selected backend; the config stays as it is">
            Restart worker
          </button>
        </div>
      )}
    </div>
  );
}
