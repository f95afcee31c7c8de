// One-click presets, each with what to look for, the mechanism it shows and
// the findings of `npm run reproduce` its text relies on (docs/findings.json):
// one badge per claim with the committed verdict, the full finding one click
// away, and a visible warning where the text was written for another verdict.
import { PRESETS, type Preset } from '../core/config/presets';
import { claimStatuses, FINDINGS, mismatchWarning, provenance, verdictClass, verdictWords } from '../state/findings';
import { planCount, planText } from '../state/planCount';
import { loadPreset, usePlayground } from '../state/store';
import { useTradeoffGrid } from '../state/tradeoffGrid';

/** The four the article refers to first, then the rest. */
const ORDER = ['mmoe-vs-cgc', 'seesaw', 'correlation-sweep', 'negative-transfer'];

export function PresetBar() {
  const active = usePlayground((s) => s.presetId);
  const steps = usePlayground((s) => (s.parsed.ok ? s.parsed.config.train.steps : null));
  // The trade-off sweep runs the suite box's grid: models × ratios + the baseline.
  const grid = useTradeoffGrid((s) => s);
  // The same count the suite builds (planCount.ts): the seeds typed, not the preset's defaults.
  const plan = usePlayground((s) => planCount(s, grid));
  const presets = [...PRESETS].sort((a, b) => {
    const ia = ORDER.indexOf(a.id);
    const ib = ORDER.indexOf(b.id);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
  });
  const cur = presets.find((p) => p.id === active);
  return (
    <section className="presets" aria-label="Presets">
      <div className="preset-buttons">
        <span className="presets-label">Presets:</span>
        {presets.map((p) => (
          <button
            key={p.id}
            type="button"
            className={`preset ${p.id === active ? 'active' : ''}`}
            aria-pressed={p.id === active}
            title={p.description}
            onClick={() => loadPreset(p.id)}
          >
            {p.title}
          </button>
        ))}
      </div>
      {cur && (
        <>
          <p className="preset-desc" data-testid="preset-description">
            <strong>{cur.title}.</strong> {cur.description}{' '}
            <span className="muted">
              (<span data-testid="plan-count">{cur.kind === 'suite' ? planText(plan, !!cur.tradeoff) : 'one run'}</span>, {steps ?? cur.steps} steps each; press Play.)
            </span>
          </p>
          {cur.mechanism && (
            <p className="preset-mechanism" data-testid="preset-mechanism">
              <span className="preset-mechanism-label">Mechanism:</span> {cur.mechanism}
            </p>
          )}
          <PresetClaims preset={cur} />
        </>
      )}
    </section>
  );
}

function PresetClaims({ preset }: { preset: Preset }) {
  const statuses = claimStatuses(preset);
  if (statuses.length === 0)
    return (
      <p className="preset-claims muted" data-testid="preset-claims">
        This preset’s text makes no measured claim.
      </p>
    );
  const warnings = statuses.map(mismatchWarning).filter((w): w is string => !!w);
  const quick = FINDINGS.mode !== 'full';
  return (
    <div className="preset-claims" data-testid="preset-claims">
      {warnings.map((w) => (
        <p key={w} className="claim-warning" role="status" data-testid="claim-warning">
          <strong>Out of date:</strong> {w}.
        </p>
      ))}
      <details className="claim-details">
        <summary title="Open for each finding’s claim, how its verdict is decided, and the numbers">
          <span className="claims-label">Findings behind this text:</span>
          {statuses.map((s) => (
            <span
              key={s.finding}
              className={`claim-badge verdict-${verdictClass(s.actual ?? '')}${s.mismatch ? ' mismatch' : ''}`}
              title={s.detail ? s.detail.claim : `${s.finding} is not in docs/findings.json`}
              data-testid="claim-badge"
              data-finding={s.finding}
              data-verdict={s.actual ?? ''}
              data-expected={s.expected}
            >
              {s.finding} {s.actual ?? 'missing'}
            </span>
          ))}
          <span className="muted claims-source">
            ({provenance()}
            {quick ? '; provisional' : ''})
          </span>
        </summary>
        <dl className="claim-list">
          {statuses.map((s) => (
            <div key={s.finding} className="claim-item" data-testid="claim-detail" data-finding={s.finding}>
              <dt>
                {s.finding}: {s.detail?.claim ?? 'not in docs/findings.json'}
              </dt>
              <dd>
                {s.detail ? (
                  <>
                    <p>
                      <strong>{verdictWords(s.detail.verdict)}</strong> ({s.detail.verdict}; this text was written for “{s.expected}”.)
                    </p>
                    <p>
                      <span className="claim-key">Numbers:</span> {s.detail.evidence}
                    </p>
                    <p className="muted">
                      <span className="claim-key">Rule:</span> {s.detail.rule}
                    </p>
                  </>
                ) : (
                  <p>The latest run has no finding {s.finding}: rerun npm run reproduce, or change the preset’s claims.</p>
                )}
              </dd>
            </div>
          ))}
        </dl>
      </details>
    </div>
  );
}
