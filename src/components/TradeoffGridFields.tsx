// The trade-off sweep's grid in the suite box: the task-weight ratios and the
// models swept, and how many runs that makes before Play. The suite is
// rebuilt from them (makeTradeoffPreset) and the URL hash carries them.
import { useId } from 'react';
import { MODEL_LABELS } from '../core/config/schema';
import { parseSeedList } from '../state/urlHash';
import { setTradeoffModels, setTradeoffRatios, usePlayground } from '../state/store';
import { formatRatios, runCountText, TRADEOFF_PICKABLE, useTradeoffGrid } from '../state/tradeoffGrid';
import { TRADEOFF_MODELS, TRADEOFF_RATIOS } from '../core/config/presets';

const RATIOS_HELP =
  'The task-weight ratio r = ω_A / (ω_A + ω_B) of each run, with ω_A = 2r and ω_B = 2(1 − r): 0.5 is the usual equal weighting (1 + 1), 0.9 puts 90% of the weight on task A. ' +
  'Comma-separated numbers strictly between 0 and 1, at least 2. Every model is trained once per ratio and seed; the single-task baseline ignores the weights and runs once per seed.';
const MODELS_HELP = 'Which models are swept over the ratios: each one becomes a curve in the trade-off chart. Single-task is always run once per seed as the baseline at the origin.';

const FIELDSET: React.CSSProperties = { border: 0, padding: 0, margin: '2px 0', display: 'flex', flexWrap: 'wrap', gap: '2px 12px', minWidth: 0 };
const CHECK: React.CSSProperties = { fontSize: 12.5, display: 'inline-flex', alignItems: 'center', gap: 3, whiteSpace: 'nowrap' };

export function TradeoffGridFields() {
  const ratiosText = useTradeoffGrid((s) => s.ratiosText);
  const ratiosError = useTradeoffGrid((s) => s.ratiosError);
  const ratios = useTradeoffGrid((s) => s.ratios);
  const models = useTradeoffGrid((s) => s.models);
  const modelsError = useTradeoffGrid((s) => s.modelsError);
  const seedsText = usePlayground((s) => s.seedsText);
  const busy = usePlayground((s) => s.run.phase === 'running' || s.run.phase === 'starting');
  const id = useId();
  const seeds = parseSeedList(seedsText);
  const nSeeds = seeds.ok ? seeds.seeds.length : 1;
  const toggle = (m: string, on: boolean) => setTradeoffModels(on ? [...models, m] : models.filter((x) => x !== m));
  return (
    <div className="tradeoff-grid" data-testid="tradeoff-grid">
      <div className={`field wide${ratiosError ? ' has-error' : ''}`}>
        <label htmlFor={`${id}-r`} title={RATIOS_HELP}>
          Weight ratios ω_A share
        </label>
        <input
          id={`${id}-r`}
          type="text"
          inputMode="decimal"
          value={ratiosText}
          aria-invalid={!!ratiosError}
          aria-describedby={ratiosError ? `${id}-r-err` : undefined}
          title={RATIOS_HELP}
          disabled={busy}
          onChange={(e) => setTradeoffRatios(e.target.value)}
        />
        {ratiosError && (
          <p className="field-error" id={`${id}-r-err`} role="alert">
            Weight ratios: {ratiosError}.
          </p>
        )}
        <p className="field-note">
          <button type="button" className="mini" disabled={busy} title={`Back to the preset's ${TRADEOFF_RATIOS.length} ratios: ${formatRatios(TRADEOFF_RATIOS)}`} onClick={() => setTradeoffRatios(formatRatios(TRADEOFF_RATIOS))}>
            default ratios
          </button>
        </p>
      </div>
      <fieldset className={`tradeoff-models${modelsError ? ' has-error' : ''}`} disabled={busy} style={FIELDSET}>
        <legend title={MODELS_HELP} style={{ fontSize: 13, padding: 0, marginBottom: 2 }}>
          Models swept
        </legend>
        {TRADEOFF_PICKABLE.map((m) => (
          <label key={m} style={CHECK} title={`${MODEL_LABELS[m]}: one run per ratio and seed${TRADEOFF_MODELS.includes(m) ? ' (in the preset by default)' : ''}`}>
            <input type="checkbox" checked={models.includes(m)} onChange={(e) => toggle(m, e.target.checked)} data-model={m} /> {MODEL_LABELS[m]}
          </label>
        ))}
        {modelsError && (
          <p className="field-error" role="alert" style={{ flexBasis: '100%' }}>
            Models: {modelsError}.
          </p>
        )}
      </fieldset>
      <p className="tradeoff-count" style={{ fontWeight: 600 }} data-testid="tradeoff-run-count" aria-live="polite">
        {ratiosError || modelsError
          ? 'Fix the grid above to see the run count.'
          : `${runCountText(models.length, ratios.length, nSeeds)}.`}
      </p>
    </div>
  );
}
